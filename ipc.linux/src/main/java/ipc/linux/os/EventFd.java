package ipc.linux.os;

import static ipc.linux.jna.EventFd.EFD_CLOEXEC;
import static ipc.linux.jna.EventFd.EFD_NONBLOCK;

import com.sun.jna.Native;
import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.LibC;

/**
 * A non-blocking, close-on-exec {@code eventfd}: a doorbell that another thread or process rings with
 * {@link #signal} and that {@code epoll}/{@code poll} report readable until {@link #drain}ed. Signal and drain do
 * not allocate: the 8-byte counter goes through a per-thread native buffer.
 */
public final class EventFd
{
    private static final long COUNTER_SIZE = 8L;

    private EventFd()
    {
    }

    /**
     * Creates an eventfd with counter 0, {@code EFD_NONBLOCK | EFD_CLOEXEC}.
     *
     * @return the new file descriptor, owned by the caller.
     * @throws IpcException when the kernel refuses (e.g. {@code EMFILE}).
     */
    public static int create() throws IpcException
    {
        final int fd = LibC.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0)
        {
            throw LinuxErrors.exception("eventfd", Native.getLastError(), null);
        }
        return fd;
    }

    /**
     * Adds 1 to the counter, making the eventfd readable. A counter already at its maximum ({@code EAGAIN})
     * counts as signalled.
     *
     * @param fd the eventfd.
     * @throws IpcException when the write fails for another reason (e.g. {@code EBADF}).
     */
    public static void signal(final int fd) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        scratch.buffer.putLong(NativeScratch.COUNTER, 1L);
        while (LibC.write(fd, scratch.address + NativeScratch.COUNTER, COUNTER_SIZE) < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EAGAIN)
            {
                return;
            }
            if (errno != Errno.EINTR)
            {
                throw LinuxErrors.exception("write", errno, "eventfd=" + fd);
            }
        }
    }

    /**
     * Reads and resets the counter. Nothing to read ({@code EAGAIN}) is not an error: it returns 0.
     *
     * @param fd the eventfd.
     * @return the counter's value before the reset (the number of signals), 0 when there was none.
     * @throws IpcException when the read fails for another reason (e.g. {@code EBADF}).
     */
    public static long drain(final int fd) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        while (LibC.read(fd, scratch.address + NativeScratch.COUNTER, COUNTER_SIZE) < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EAGAIN)
            {
                return 0L;
            }
            if (errno != Errno.EINTR)
            {
                throw LinuxErrors.exception("read", errno, "eventfd=" + fd);
            }
        }
        return scratch.buffer.getLong(NativeScratch.COUNTER);
    }
}
