package ipc.linux.os;

import java.nio.ByteBuffer;

import com.sun.jna.Native;

import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.Fcntl;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Poll;
import ipc.linux.jna.Stat;

/**
 * Process identity, file descriptors and paths, readiness and blocking mode of a descriptor: the plain POSIX
 * calls the backend needs besides sockets and memory. Java NIO does the rest
 * ({@code Files.getAttribute(path, "unix:uid")}, {@code PosixFilePermissions}).
 */
public final class Posix
{
    /** {@link #pollEither}: the first descriptor is ready. */
    public static final int FIRST_READY = 1;
    /** {@link #pollEither}: the second descriptor is ready. */
    public static final int SECOND_READY = 2;

    private Posix()
    {
    }

    /**
     * Closes a file descriptor. The descriptor is released even on {@code EINTR}, so it is not retried.
     *
     * @param fd the descriptor.
     * @throws IpcException when the descriptor was not open ({@code EBADF}) or the close reported an I/O error.
     */
    public static void close(final int fd) throws IpcException
    {
        if (LibC.close(fd) < 0)
        {
            final int errno = Native.getLastError();
            if (errno != Errno.EINTR)
            {
                throw LinuxErrors.exception("close", errno, "fd=" + fd);
            }
        }
    }

    /**
     * Closes a file descriptor on an error path, ignoring failures; negative descriptors are skipped.
     *
     * @param fd the descriptor, or a negative value.
     */
    public static void closeQuietly(final int fd)
    {
        if (fd >= 0)
        {
            LibC.close(fd);
        }
    }

    /**
     * Converts a timeout to the milliseconds {@code poll} and {@code epoll_wait} take, rounding up so that a short
     * wait never becomes a busy poll.
     *
     * @param nanos the timeout in nanoseconds; negative means forever.
     * @return the milliseconds, at most {@link Integer#MAX_VALUE}; -1 (forever) for a negative timeout.
     */
    public static int toMillis(final long nanos)
    {
        if (nanos < 0)
        {
            return -1;
        }
        return (int)Math.min(Integer.MAX_VALUE, (nanos / 1_000_000L) + (nanos % 1_000_000L == 0 ? 0 : 1));
    }

    /**
     * Waits until one descriptor is ready ({@code poll} on one {@code pollfd}, per-thread native memory, no
     * allocation).
     *
     * @param fd            the descriptor.
     * @param events        the events wanted, e.g. {@link Poll#POLLIN}.
     * @param timeoutMillis the timeout in milliseconds; negative waits forever.
     * @return the events that occurred ({@code revents}, e.g. {@code POLLIN | POLLHUP}); 0 on timeout or when
     *         interrupted by a signal.
     * @throws IpcException when {@code poll} fails.
     */
    public static int poll(final int fd, final int events, final int timeoutMillis) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        scratch.buffer.putInt(NativeScratch.POLLFD + Poll.POLLFD_FD_OFFSET, fd);
        scratch.buffer.putShort(NativeScratch.POLLFD + Poll.POLLFD_EVENTS_OFFSET, (short)events);
        scratch.buffer.putShort(NativeScratch.POLLFD + Poll.POLLFD_REVENTS_OFFSET, (short)0);
        final int ready = LibC.poll(scratch.address + NativeScratch.POLLFD, 1L, timeoutMillis);
        if (ready < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EINTR)
            {
                return 0;
            }
            throw LinuxErrors.exception("poll", errno, "fd=" + fd);
        }
        return ready == 0 ? 0 : scratch.buffer.getShort(NativeScratch.POLLFD + Poll.POLLFD_REVENTS_OFFSET) & 0xFFFF;
    }

    /**
     * Waits until either of two descriptors is ready for reading ({@code poll} on two {@code pollfd}s with
     * {@code POLLIN}, per-thread native memory, no allocation).
     *
     * @param first         a descriptor.
     * @param second        another descriptor.
     * @param timeoutMillis the timeout in milliseconds; negative waits forever.
     * @return {@link #FIRST_READY} and/or {@link #SECOND_READY} for each descriptor with events ({@code POLLIN},
     *         {@code POLLHUP}, {@code POLLERR}); 0 on timeout or when interrupted by a signal.
     * @throws IpcException when {@code poll} fails.
     */
    public static int pollEither(final int first, final int second, final int timeoutMillis) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        final int secondOffset = NativeScratch.POLLFD_PAIR + Poll.SIZEOF_POLLFD;
        scratch.buffer.putInt(NativeScratch.POLLFD_PAIR + Poll.POLLFD_FD_OFFSET, first);
        scratch.buffer.putShort(NativeScratch.POLLFD_PAIR + Poll.POLLFD_EVENTS_OFFSET, Poll.POLLIN);
        scratch.buffer.putShort(NativeScratch.POLLFD_PAIR + Poll.POLLFD_REVENTS_OFFSET, (short)0);
        scratch.buffer.putInt(secondOffset + Poll.POLLFD_FD_OFFSET, second);
        scratch.buffer.putShort(secondOffset + Poll.POLLFD_EVENTS_OFFSET, Poll.POLLIN);
        scratch.buffer.putShort(secondOffset + Poll.POLLFD_REVENTS_OFFSET, (short)0);
        final int ready = LibC.poll(scratch.address + NativeScratch.POLLFD_PAIR, 2L, timeoutMillis);
        if (ready < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EINTR)
            {
                return 0;
            }
            throw LinuxErrors.exception("poll", errno, "fds=" + first + "," + second);
        }
        int result = 0;
        if (scratch.buffer.getShort(NativeScratch.POLLFD_PAIR + Poll.POLLFD_REVENTS_OFFSET) != 0)
        {
            result |= FIRST_READY;
        }
        if (scratch.buffer.getShort(secondOffset + Poll.POLLFD_REVENTS_OFFSET) != 0)
        {
            result |= SECOND_READY;
        }
        return result;
    }

    /**
     * Switches a descriptor between blocking and non-blocking mode ({@code O_NONBLOCK}). The flag belongs to the
     * open file description: every process holding a descriptor of it sees the change.
     *
     * @param fd          the descriptor.
     * @param nonBlocking the new mode.
     * @throws IpcException when {@code fcntl} fails.
     */
    public static void setNonBlocking(final int fd, final boolean nonBlocking) throws IpcException
    {
        final int flags = LibC.fcntl(fd, Fcntl.F_GETFL, 0);
        if (flags < 0)
        {
            throw LinuxErrors.exception("fcntl(F_GETFL)", Native.getLastError(), "fd=" + fd);
        }
        final int wanted = nonBlocking ? flags | Fcntl.O_NONBLOCK : flags & ~Fcntl.O_NONBLOCK;
        if (wanted != flags && LibC.fcntl(fd, Fcntl.F_SETFL, wanted) < 0)
        {
            throw LinuxErrors.exception("fcntl(F_SETFL)", Native.getLastError(), "fd=" + fd);
        }
    }

    /**
     * Removes a name from the file system (e.g. a socket file).
     *
     * @param path the path.
     * @return {@code true} if removed, {@code false} if it did not exist.
     * @throws IpcException on any other failure.
     */
    public static boolean unlink(final String path) throws IpcException
    {
        if (LibC.unlink(path) < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.ENOENT)
            {
                return false;
            }
            throw LinuxErrors.exception("unlink", errno, "path=" + path);
        }
        return true;
    }

    /**
     * Changes the permission bits of a file.
     *
     * @param path the path.
     * @param mode the permission bits, e.g. {@code 0600}.
     * @throws IpcException on failure.
     */
    public static void chmod(final String path, final int mode) throws IpcException
    {
        if (LibC.chmod(path, mode) < 0)
        {
            throw LinuxErrors.exception("chmod", Native.getLastError(),
                "path=" + path + " mode=0" + Integer.toOctalString(mode));
        }
    }

    /**
     * Creates a directory. The umask may remove bits from {@code mode}; check with {@link #stat(String)} and
     * {@link #chmod} when the exact mode matters.
     *
     * @param path the path.
     * @param mode the permission bits, e.g. {@code 0700}.
     * @return {@code true} if created, {@code false} if something already exists at {@code path}.
     * @throws IpcException on any other failure.
     */
    public static boolean mkdir(final String path, final int mode) throws IpcException
    {
        if (LibC.mkdir(path, mode) < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EEXIST)
            {
                return false;
            }
            throw LinuxErrors.exception("mkdir", errno, "path=" + path + " mode=0" + Integer.toOctalString(mode));
        }
        return true;
    }

    /**
     * Returns the status of a path, not following a symbolic link in its last component (as {@code lstat}).
     *
     * @param path the path.
     * @return its size, owner, mode and inode.
     * @throws IpcException on failure ({@code ENOENT} if it does not exist).
     */
    public static FileStatus stat(final String path) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        if (LibC.statx(Fcntl.AT_FDCWD, path, Fcntl.AT_SYMLINK_NOFOLLOW, Stat.STATX_BASIC_STATS,
            scratch.address + NativeScratch.STATX) < 0)
        {
            throw LinuxErrors.exception("statx", Native.getLastError(), "path=" + path);
        }
        return status(scratch);
    }

    /**
     * Returns the status of a path if it exists, not following a symbolic link in its last component.
     *
     * @param path the path.
     * @return its size, owner, mode and inode; {@code null} if nothing exists at {@code path} ({@code ENOENT}).
     * @throws IpcException on any other failure.
     */
    public static FileStatus statIfExists(final String path) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        if (LibC.statx(Fcntl.AT_FDCWD, path, Fcntl.AT_SYMLINK_NOFOLLOW, Stat.STATX_BASIC_STATS,
            scratch.address + NativeScratch.STATX) < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.ENOENT)
            {
                return null;
            }
            throw LinuxErrors.exception("statx", errno, "path=" + path);
        }
        return status(scratch);
    }

    /**
     * Returns the status of an open file descriptor (as {@code fstat}).
     *
     * @param fd the descriptor.
     * @return its size, owner, mode and inode.
     * @throws IpcException on failure.
     */
    public static FileStatus fstat(final int fd) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        if (LibC.statx(fd, "", Fcntl.AT_EMPTY_PATH, Stat.STATX_BASIC_STATS, scratch.address + NativeScratch.STATX) < 0)
        {
            throw LinuxErrors.exception("statx", Native.getLastError(), "fd=" + fd);
        }
        return status(scratch);
    }

    private static FileStatus status(final NativeScratch scratch)
    {
        final ByteBuffer statx = scratch.buffer;
        return new FileStatus(statx.getLong(NativeScratch.STATX + Stat.STX_SIZE_OFFSET),
            statx.getInt(NativeScratch.STATX + Stat.STX_UID_OFFSET),
            statx.getShort(NativeScratch.STATX + Stat.STX_MODE_OFFSET) & 0xFFFF,
            statx.getLong(NativeScratch.STATX + Stat.STX_INO_OFFSET));
    }

    /**
     * Returns the real user ID of this process.
     *
     * @return the user ID.
     */
    public static int getuid()
    {
        return LibC.getuid();
    }

    /**
     * Returns the ID of this process.
     *
     * @return the process ID.
     */
    public static int getpid()
    {
        return LibC.getpid();
    }
}
