package ipc.linux;

import java.lang.System.Logger.Level;

import ipc.api.IpcException;
import ipc.linux.os.Epoll;
import ipc.linux.os.EventFd;
import ipc.linux.os.Posix;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Selectable;

/**
 * {@code epoll}, level-triggered, plus an eventfd of its own for {@link #wakeup()}, which any thread may call, also
 * after (or while) another one closes the multiplexer.
 */
final class LinuxMultiplexer implements Multiplexer
{
    private static final System.Logger LOGGER = System.getLogger(LinuxMultiplexer.class.getName());
    private static final long WAKEUP_KEY = -1;
    private static final int MAX_EVENTS = 256;
    private static final int HANG_UP = ipc.linux.jna.Epoll.EPOLLHUP | ipc.linux.jna.Epoll.EPOLLERR |
        ipc.linux.jna.Epoll.EPOLLRDHUP;

    private final Epoll epoll;
    private final int wakeupFd;
    /**
     * Guards {@link #closed} and the life of {@link #wakeupFd}: {@link #wakeup()} and {@link #close()} exclude each
     * other.
     */
    private final Object lifecycle = new Object();
    private boolean closed;

    LinuxMultiplexer() throws IpcException
    {
        epoll = new Epoll(MAX_EVENTS);
        int fd = -1;
        try
        {
            fd = EventFd.create();
            epoll.add(fd, ipc.linux.jna.Epoll.EPOLLIN, WAKEUP_KEY);
        }
        catch (final IpcException ex)
        {
            Posix.closeQuietly(fd);
            epoll.close();
            throw ex;
        }
        wakeupFd = fd;
    }

    @Override
    public void register(final Selectable selectable, final long key) throws IpcException
    {
        epoll.add((int)selectable.selectHandle(), ipc.linux.jna.Epoll.EPOLLIN | ipc.linux.jna.Epoll.EPOLLRDHUP, key);
    }

    @Override
    public void unregister(final Selectable selectable)
    {
        try
        {
            epoll.remove((int)selectable.selectHandle());
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.DEBUG, () -> "epoll remove failed: " + ex.getMessage());
        }
    }

    @Override
    public int select(final long timeoutNanos, final ReadyHandler handler) throws IpcException
    {
        final int count = epoll.wait(Posix.toMillis(timeoutNanos));
        int reported = 0;
        for (int i = 0; i < count; i++)
        {
            final long key = epoll.eventData(i);
            if (key == WAKEUP_KEY)
            {
                EventFd.drain(wakeupFd);
                continue;
            }
            handler.onReady(key, (epoll.eventFlags(i) & HANG_UP) != 0);
            reported++;
        }
        return reported;
    }

    /**
     * Wakes a thread blocked in {@link #select}; a no-op once closed. Mutually exclusive with {@link #close()}: the
     * wake-up descriptor's number returns to the process when it is closed and may by then be a peer's socket, a
     * memfd or an application's file, which a late wake-up must never write to.
     */
    @Override
    public void wakeup()
    {
        synchronized (lifecycle)
        {
            if (closed)
            {
                return;
            }
            try
            {
                EventFd.signal(wakeupFd);
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
        synchronized (lifecycle)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            epoll.close();
            Posix.closeQuietly(wakeupFd);
        }
    }
}
