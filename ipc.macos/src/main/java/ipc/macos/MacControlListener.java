package ipc.macos;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcException;
import ipc.macos.jna.Poll;
import ipc.macos.os.Posix;
import ipc.macos.os.UnixSocket;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;

/**
 * A server name on macOS: {@code <dir>/<name>.sock}, a listening Unix domain socket (mode 0600, or 0666 when other
 * uids are allowed: the server still checks each peer's uid), guarded by a lock on {@code <dir>/<name>.lock} held
 * for the server's life. The kernel drops the lock when its process dies, so a name whose lock can be taken belongs
 * to nobody and its socket file is replaced; a held lock means a live server: {@link IpcAlreadyBoundException}.
 */
final class MacControlListener implements ControlListener
{
    /** Capped by the kernel at {@code kern.ipc.somaxconn} (128 by default, xnu {@code socket.h:597}). */
    private static final int BACKLOG = 4096;

    private final int fd;
    private final Path socketPath;
    private final Path lockPath;
    private final FileChannel lockChannel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MacControlListener(final int fd, final Path socketPath, final Path lockPath, final FileChannel lockChannel)
    {
        this.fd = fd;
        this.socketPath = socketPath;
        this.lockPath = lockPath;
        this.lockChannel = lockChannel;
    }

    static MacControlListener bind(final Path directory, final String name, final boolean othersMayConnect)
        throws IpcException
    {
        final Path socketPath = SocketDirectory.socketPath(directory, name);
        final Path lockPath = directory.resolve(name + ".lock");
        final FileChannel lockChannel = lock(lockPath, name);
        int fd = -1;
        try
        {
            // We hold the name: whatever socket file is there was left by a server that died.
            Posix.unlink(socketPath.toString());
            fd = UnixSocket.listen(socketPath.toString(), BACKLOG);
            Files.setPosixFilePermissions(socketPath, PosixFilePermissions.fromString(othersMayConnect ?
                "rw-rw-rw-" : "rw-------"));
            Posix.setNonBlocking(fd);
            return new MacControlListener(fd, socketPath, lockPath, lockChannel);
        }
        catch (final IOException ex)
        {
            cleanUp(fd, socketPath, lockChannel, lockPath);
            throw new IpcException("cannot set socket permissions: path=" + socketPath + " " + ex, ex);
        }
        catch (final IpcException | RuntimeException ex)
        {
            cleanUp(fd, socketPath, lockChannel, lockPath);
            throw ex;
        }
    }

    private static void cleanUp(final int fd, final Path socketPath, final FileChannel lockChannel,
        final Path lockPath)
    {
        Posix.closeQuietly(fd);
        if (fd >= 0)
        {
            unlinkQuietly(socketPath);
        }
        unlock(lockChannel, lockPath);
    }

    private static FileChannel lock(final Path lockPath, final String name) throws IpcException
    {
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(lockPath, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
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
                // The previous holder removed the file between our open and our lock: try again on a fresh file.
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
        final int client = UnixSocket.accept(fd);
        return client < 0 ? null : MacSocketCalls.channel(client);
    }

    @Override
    public boolean awaitPending(final long timeoutNanos) throws IpcException
    {
        return UnixSocket.poll(fd, Poll.POLLIN, UnixSocket.toMillis(Math.max(0, timeoutNanos))) != 0;
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
