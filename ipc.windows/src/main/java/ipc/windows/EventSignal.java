package ipc.windows;

import java.lang.System.Logger.Level;

import ipc.api.IpcException;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;
import ipc.windows.os.Events;
import ipc.windows.os.Timeouts;

/**
 * An auto-reset event on a wait word of the segment, shared by both processes (the server created it and
 * duplicated it into the client). Unlike a futex the event does not look at the word; it does not need to: a
 * {@code SetEvent} with nobody waiting leaves the event signaled, so the waiter that announced sleep and then
 * blocks returns at once, and the protocol re-checks its condition. The handle is owned by the connection.
 */
final class EventSignal implements WakeSignal
{
    private static final System.Logger LOGGER = System.getLogger(EventSignal.class.getName());

    private final long event;

    EventSignal(final long event)
    {
        this.event = event;
    }

    @Override
    public void await(final long timeoutNanos) throws IpcException
    {
        Events.await(event, Timeouts.toMillisNotInfinite(timeoutNanos));
    }

    @Override
    public void wake()
    {
        try
        {
            Events.set(event);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.ERROR, "event signal failed: " + ex.getMessage());
        }
    }

    @Override
    public Selectable selectable()
    {
        return null;
    }

    @Override
    public boolean drain()
    {
        return true;
    }
}
