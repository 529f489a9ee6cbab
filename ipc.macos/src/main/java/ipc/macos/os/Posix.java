package ipc.macos.os;

import com.sun.jna.Native;

import ipc.api.IpcException;
import ipc.macos.jna.Errno;
import ipc.macos.jna.Fcntl;
import ipc.macos.jna.LibC;
import ipc.macos.jna.LibCVariadic;
import ipc.macos.jna.Stat;

/**
 * Descriptors, their flags and status, and process identity: the plain POSIX calls besides sockets and memory.
 * {@code fcntl} and {@code fstat} go through {@link LibCVariadic} (cold paths only).
 */
public final class Posix
{
    private Posix()
    {
    }

    /**
     * Closes a descriptor on an error path or at release, ignoring failures; negative descriptors are skipped.
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
     * Removes a name from the file system.
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
            throw MacErrors.exception("unlink", errno, "path=" + path);
        }
        return true;
    }

    /**
     * Sets {@code FD_CLOEXEC}: macOS has no {@code SOCK_CLOEXEC} nor {@code MSG_CMSG_CLOEXEC}, so the backend sets
     * it right after {@code socket}, {@code socketpair}, {@code accept}, {@code kqueue} and {@code recvmsg}.
     *
     * @param fd the descriptor.
     * @throws IpcException when {@code fcntl} fails.
     */
    public static void setCloseOnExec(final int fd) throws IpcException
    {
        if (LibCVariadic.INSTANCE.fcntl(fd, Fcntl.F_SETFD, Fcntl.FD_CLOEXEC) < 0)
        {
            throw MacErrors.exception("fcntl(F_SETFD)", Native.getLastError(), "fd=" + fd);
        }
    }

    /**
     * Switches one of this process's own descriptors to non-blocking mode ({@code O_NONBLOCK}). Never used on a
     * descriptor whose open file the peer shares: reads of those use {@code MSG_DONTWAIT} instead.
     *
     * @param fd the descriptor.
     * @throws IpcException when {@code fcntl} fails.
     */
    public static void setNonBlocking(final int fd) throws IpcException
    {
        final int flags = LibCVariadic.INSTANCE.fcntl(fd, Fcntl.F_GETFL);
        if (flags < 0)
        {
            throw MacErrors.exception("fcntl(F_GETFL)", Native.getLastError(), "fd=" + fd);
        }
        if ((flags & Fcntl.O_NONBLOCK) == 0 &&
            LibCVariadic.INSTANCE.fcntl(fd, Fcntl.F_SETFL, flags | Fcntl.O_NONBLOCK) < 0)
        {
            throw MacErrors.exception("fcntl(F_SETFL)", Native.getLastError(), "fd=" + fd);
        }
    }

    /**
     * The status of an open descriptor ({@code fstat}, 64-bit-inode layout).
     *
     * @param fd the descriptor.
     * @return its size, owner and mode.
     * @throws IpcException when {@code fstat} fails.
     */
    public static FileStatus fstat(final int fd) throws IpcException
    {
        final Stat.stat buffer = new Stat.stat();
        if (LibCVariadic.INSTANCE.fstat(fd, buffer) < 0)
        {
            throw MacErrors.exception("fstat", Native.getLastError(), "fd=" + fd);
        }
        return new FileStatus(buffer.st_size, buffer.st_uid, buffer.st_mode & 0xFFFF);
    }

    /**
     * The real user ID of this process.
     *
     * @return the uid.
     */
    public static int getuid()
    {
        return LibC.getuid();
    }
}
