package ipc.linux;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;

import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcException;
import ipc.linux.jna.Poll;
import ipc.linux.os.Posix;
import ipc.linux.os.UnixSocket;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;

/**
 * A server name on Linux: {@code <dir>/<name>.sock}, a listening Unix domain socket, guarded by a lock on
 * {@code <dir>/<name>.lock} held for the server's life. The kernel drops the lock when its process dies, so a
 * name whose lock can be taken belongs to nobody: its socket file is stale and is replaced. A name whose lock is
 * held belongs to a live server: {@link IpcAlreadyBoundException}.
 */
final class LinuxControlListener implements ControlListener
{
    private static final int BACKLOG = 4096;

    private final int fd;
    private final Path socketPath;
    private final Path lockPath;
    private final FileChannel lockChannel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LinuxControlListener(final int fd, final Path socketPath, final Path lockPath,
        final FileChannel lockChannel)
    {
        this.fd = fd;
        this.socketPath = socketPath;
        this.lockPath = lockPath;
        this.lockChannel = lockChannel;
    }

    static Path socketPath(final Path directory, final String name)
    {
        return directory.resolve(name + ".sock");
    }

    static LinuxControlListener bind(final Path directory, final String name, final boolean othersMayConnect)
        throws IpcException
    {
        final Path socketPath = socketPath(directory, name);
        final Path lockPath = directory.resolve(name + ".lock");
        final FileChannel lockChannel = lock(lockPath, name);
        int fd = -1;
        try
        {
            // We hold the name: whatever socket file is there was left by a server that died.
            Posix.unlink(socketPath.toString());
            fd = UnixSocket.listen(socketPath.toString(), BACKLOG);
            if (othersMayConnect)
            {
                // The server still checks every peer's uid against the allowed set.
                Posix.chmod(socketPath.toString(), 0666);
            }
            Posix.setNonBlocking(fd, true);
            return new LinuxControlListener(fd, socketPath, lockPath, lockChannel);
        }
        catch (final IpcException | RuntimeException ex)
        {
            Posix.closeQuietly(fd);
            if (fd >= 0)
            {
                unlinkQuietly(socketPath);
            }
            unlock(lockChannel, lockPath);
            throw ex;
        }
    }

    private static FileChannel lock(final Path lockPath, final String name) throws IpcException
    {
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(lockPath, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (final IOException ex)
        {
            throw new IpcException("cannot open lock file: path=" + lockPath + " " + ex, ex);
        }
        try
        {
            final FileLock lock = channel.tryLock();
            if (null == lock)
            {
                closeQuietly(channel);
                throw new IpcAlreadyBoundException("name already bound by a live server: name=" + name + " lock=" +
                    lockPath);
            }
            if (!Files.exists(lockPath))
            {
                // The previous holder removed the file between our open and our lock: the name is free, but ours
                // is not the lock file others will see. Try again on a fresh file.
                closeQuietly(channel);
                return lock(lockPath, name);
            }
            return channel;
        }
        catch (final OverlappingFileLockException ex)
        {
            closeQuietly(channel);
            throw new IpcAlreadyBoundException("name already bound in this process: name=" + name, ex);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new IpcException("cannot lock: path=" + lockPath + " " + ex, ex);
        }
    }

    @Override
    public ControlChannel accept() throws IpcException
    {
        final int client = UnixSocket.accept(fd, true);
        return client < 0 ? null : new LinuxControlChannel(client);
    }

    @Override
    public boolean awaitPending(final long timeoutNanos) throws IpcException
    {
        return Posix.poll(fd, Poll.POLLIN, Posix.toMillis(timeoutNanos)) != 0;
    }

    @Override
    public String address()
    {
        return socketPath.toString();
    }

    @Override
    public long selectHandle()
    {
        return fd;
    }

    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            Posix.closeQuietly(fd);
            unlinkQuietly(socketPath);
            unlock(lockChannel, lockPath);
        }
    }

    private static void unlock(final FileChannel lockChannel, final Path lockPath)
    {
        // Remove the file while still holding the lock, so a waiting binder notices (see lock()).
        try
        {
            Files.deleteIfExists(lockPath);
        }
        catch (final IOException ignore)
        {
            // Harmless: the next binder takes the lock on the existing file.
        }
        closeQuietly(lockChannel);
    }

    private static void unlinkQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // A socket file left behind is replaced by the next bind.
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing a lock file cannot lose data.
        }
    }
}
