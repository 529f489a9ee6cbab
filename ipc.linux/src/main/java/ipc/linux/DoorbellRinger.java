package ipc.linux;

import java.lang.System.Logger.Level;
import java.util.concurrent.locks.LockSupport;

import ipc.api.IpcException;
import ipc.linux.os.Doorbell;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;

/**
 * The client's end of a connection's doorbell ({@link Doorbell}): {@link #wake()} rings the server, without ever
 * blocking (a full doorbell means a ring is pending; a closed one means the server is gone). Nobody waits on this
 * end: the server waits on its own.
 */
final class DoorbellRinger implements WakeSignal
{
    private static final System.Logger LOGGER = System.getLogger(DoorbellRinger.class.getName());

    private final int fd;

    DoorbellRinger(final int fd)
    {
        this.fd = fd;
    }

    /** Rings the server's doorbell: one byte, {@code MSG_DONTWAIT | MSG_NOSIGNAL}. */
    static void ring(final int fd)
    {
        try
        {
            Doorbell.ring(fd);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.ERROR, "doorbell ring failed: " + ex.getMessage());
        }
    }

    /**
     * Sleeps for the timeout: the client never waits for its own ring, and the wait protocol re-checks its
     * condition after any return.
     */
    @Override
    public void await(final long timeoutNanos)
    {
        LockSupport.parkNanos(Math.max(0, timeoutNanos));
    }

    @Override
    public void wake()
    {
        ring(fd);
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
