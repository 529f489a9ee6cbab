package ipc.macos;

import java.lang.System.Logger.Level;

import ipc.api.IpcException;
import ipc.macos.jna.Event;
import ipc.macos.os.KQueue;
import ipc.macos.os.Posix;
import ipc.macos.os.UnixSocket;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Selectable;

/**
 * {@code kqueue} with {@code EVFILT_READ}, level-triggered, plus a socket pair of its own for {@link #wakeup()}.
 *
 * <p>An end of stream ({@code EV_EOF}: the peer of a control socket or a doorbell closed or died) is reported once,
 * with {@code hangUp}, and the registration is then disabled ({@code EV_DISABLE}): an end of stream can never be
 * consumed, so a level-triggered filter would otherwise report it on every {@link #select} and spin the dispatcher
 * (for instance on the doorbell of a hostile client that closed it but kept its control socket).
 */
final class MacMultiplexer implements Multiplexer
{
    private static final System.Logger LOGGER = System.getLogger(MacMultiplexer.class.getName());
    private static final long WAKEUP_KEY = -1;
    private static final int MAX_EVENTS = 256;
    private static final int HANG_UP = Event.EV_EOF | Event.EV_ERROR;

    private final KQueue kqueue;
    private final int wakeupReadFd;
    private final int wakeupWriteFd;
    private final Object lock = new Object();
    private boolean closed;

    MacMultiplexer() throws IpcException
    {
        kqueue = new KQueue(MAX_EVENTS);
        int[] pair = null;
        try
        {
            pair = UnixSocket.socketPair();
            kqueue.addRead(pair[0], WAKEUP_KEY);
        }
        catch (final IpcException ex)
        {
            if (null != pair)
            {
                Posix.closeQuietly(pair[0]);
                Posix.closeQuietly(pair[1]);
            }
            kqueue.close();
            throw ex;
        }
        wakeupReadFd = pair[0];
        wakeupWriteFd = pair[1];
    }

    @Override
    public void register(final Selectable selectable, final long key) throws IpcException
    {
        kqueue.addRead((int)selectable.selectHandle(), key);
    }

    @Override
    public void unregister(final Selectable selectable)
    {
        try
        {
            kqueue.removeRead((int)selectable.selectHandle());
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.DEBUG, () -> "kevent EV_DELETE failed: " + ex.getMessage());
        }
    }

    @Override
    public int select(final long timeoutNanos, final ReadyHandler handler) throws IpcException
    {
        final int count = kqueue.await(timeoutNanos);
        int reported = 0;
        for (int i = 0; i < count; i++)
        {
            final long key = kqueue.eventData(i);
            if (key == WAKEUP_KEY)
            {
                UnixSocket.drainRings(wakeupReadFd);
                continue;
            }
            final int flags = kqueue.eventFlags(i);
            if ((flags & Event.EV_EOF) != 0)
            {
                disable(kqueue.eventIdent(i));
            }
            handler.onReady(key, (flags & HANG_UP) != 0);
            reported++;
        }
        return reported;
    }

    private void disable(final int fd)
    {
        try
        {
            kqueue.disableRead(fd);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.DEBUG, () -> "kevent EV_DISABLE failed: " + ex.getMessage());
        }
    }

    @Override
    public void wakeup()
    {
        synchronized (lock)
        {
            // After close the descriptor number may belong to someone else: never write to it.
            if (closed)
            {
                return;
            }
            try
            {
                UnixSocket.ring(wakeupWriteFd);
            }
            catch (final IpcException ex)
            {
                LOGGER.log(Level.ERROR, "multiplexer wakeup failed: " + ex.getMessage());
            }
        }
    }

    @Override
    public void close()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        kqueue.close();
        Posix.closeQuietly(wakeupReadFd);
        Posix.closeQuietly(wakeupWriteFd);
    }
}
