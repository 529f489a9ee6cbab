package ipc.linux;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.Native;

import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.Fcntl;
import ipc.linux.jna.LibC;
import ipc.linux.os.FileStatus;
import ipc.linux.os.LinuxErrors;
import ipc.linux.os.Posix;

/**
 * What makes a server name one live server's: an exclusive {@code flock} on {@code <dir>/<name>.lock}, held for the
 * server's life. The kernel drops the lock when its process dies, so a name whose lock can be taken belongs to
 * nobody.
 *
 * <p>The owner removes the file on release, while still holding the lock, so that the next binder makes a fresh
 * one. A binder that opened the file just before it was removed (or replaced by yet another binder's fresh file) may
 * then lock a file that no longer is the name's: so after locking it compares the inode of the locked descriptor with
 * the inode the path names now, and tries again if they differ. Two binders can thus never both own a name: each
 * owner holds the lock on the file the path names for as long as it owns it. {@code flock} locks belong to the open
 * file description, so binders of one process exclude each other just like binders of two.
 */
final class NameLock implements AutoCloseable
{
    /** Tries before giving up on a lock file that keeps being replaced under us (only a flood of binders does it). */
    private static final int MAX_ATTEMPTS = 1000;

    private final int fd;
    private final Path path;
    private final AtomicBoolean released = new AtomicBoolean();

    private NameLock(final int fd, final Path path)
    {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Takes the lock of a name, without waiting.
     *
     * @param path the lock file, in the private socket directory.
     * @param name the server name, for messages.
     * @return the lock, held until {@link #close()}.
     * @throws IpcAlreadyBoundException if a live binder holds it.
     * @throws IpcException             if the file cannot be opened or locked.
     */
    static NameLock acquire(final Path path, final String name) throws IpcException
    {
        final String file = path.toString();
        for (int attempt = 1; ; attempt++)
        {
            final int fd = LibC.open(file, Fcntl.O_RDWR | Fcntl.O_CREAT | Fcntl.O_CLOEXEC, 0600);
            if (fd < 0)
            {
                throw LinuxErrors.exception("open", Native.getLastError(), "path=" + file);
            }
            try
            {
                if (!tryLock(fd, file))
                {
                    // Closed once, below.
                    throw new IpcAlreadyBoundException("name already bound by a live server: name=" + name +
                        " lock=" + file);
                }
                final long locked = Posix.fstat(fd).inode();
                final FileStatus current = Posix.statIfExists(file);
                if (null != current && current.inode() == locked)
                {
                    return new NameLock(fd, path);
                }
            }
            catch (final IpcException | RuntimeException ex)
            {
                Posix.closeQuietly(fd);
                throw ex;
            }
            // We locked a file that its owner removed on release (or that was replaced since): not the name's lock.
            Posix.closeQuietly(fd);
            if (attempt >= MAX_ATTEMPTS)
            {
                throw new IpcException("lock file keeps being replaced: name=" + name + " lock=" + file +
                    " attempts=" + attempt);
            }
        }
    }

    private static boolean tryLock(final int fd, final String file) throws IpcException
    {
        while (LibC.flock(fd, Fcntl.LOCK_EX | Fcntl.LOCK_NB) < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EWOULDBLOCK)
            {
                return false;
            }
            if (errno != Errno.EINTR)
            {
                throw LinuxErrors.exception("flock", errno, "path=" + file);
            }
        }
        return true;
    }

    /**
     * Removes the lock file while still holding the lock (so a binder that locks it afterwards notices), then drops
     * the lock. Idempotent.
     */
    @Override
    public void close()
    {
        if (released.compareAndSet(false, true))
        {
            try
            {
                Posix.unlink(path.toString());
            }
            catch (final IpcException ignore)
            {
                // A file left behind is harmless: the next binder locks it (or finds it replaced and retries).
            }
            Posix.closeQuietly(fd);
        }
    }
}
