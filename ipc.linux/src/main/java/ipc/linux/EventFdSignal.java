package ipc.linux;

import java.lang.System.Logger.Level;

import ipc.api.IpcException;
import ipc.linux.jna.Poll;
import ipc.linux.os.EventFd;
import ipc.linux.os.Posix;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;

/**
 * An eventfd doorbell: the server's inbound wake signal, so that one epoll can watch every connection. A ring
 * stays pending until drained, so a wake that lands before the wait is not lost.
 */
final class EventFdSignal implements WakeSignal, Selectable
{
    private static final System.Logger LOGGER = System.getLogger(EventFdSignal.class.getName());

    private final int fd;

    EventFdSignal(final int fd)
    {
        this.fd = fd;
    }

    @Override
    public void await(final long timeoutNanos) throws IpcException
    {
        if (Posix.poll(fd, Poll.POLLIN, Posix.toMillis(Math.max(0, timeoutNanos))) != 0)
        {
            EventFd.drain(fd);
        }
    }

    @Override
    public void wake()
    {
        try
        {
            EventFd.signal(fd);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.ERROR, "eventfd signal failed: " + ex.getMessage());
        }
    }

    @Override
    public Selectable selectable()
    {
        return this;
    }

    @Override
    public boolean drain()
    {
        try
        {
            EventFd.drain(fd);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.ERROR, "eventfd drain failed: " + ex.getMessage());
        }
        return true;
    }

    @Override
    public long selectHandle()
    {
        return fd;
    }
}
