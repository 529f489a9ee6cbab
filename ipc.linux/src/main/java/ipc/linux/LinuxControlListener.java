package ipc.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcException;
import ipc.linux.jna.Poll;
import ipc.linux.os.Posix;
import ipc.linux.os.UnixSocket;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;

/**
 * A server name on Linux: {@code <dir>/<name>.sock}, a listening Unix domain socket, guarded by a {@link NameLock}
 * on {@code <dir>/<name>.lock} held for the server's life. The kernel drops the lock when its process dies, so a
 * name whose lock can be taken belongs to nobody: its socket file is stale and is replaced. A name whose lock is
 * held belongs to a live server: {@link IpcAlreadyBoundException}.
 */
final class LinuxControlListener implements ControlListener
{
    private static final int BACKLOG = 4096;

    private final int fd;
    private final Path socketPath;
    private final NameLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LinuxControlListener(final int fd, final Path socketPath, final NameLock lock)
    {
        this.fd = fd;
        this.socketPath = socketPath;
        this.lock = lock;
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
        final NameLock lock = NameLock.acquire(lockPath, name);
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
            return new LinuxControlListener(fd, socketPath, lock);
        }
        catch (final IpcException | RuntimeException ex)
        {
            Posix.closeQuietly(fd);
            if (fd >= 0)
            {
                unlinkQuietly(socketPath);
            }
            lock.close();
            throw ex;
        }
    }

    /**
     * Takes a pending connection, or returns {@code null} if none is pending. Running out of descriptors
     * ({@code EMFILE}/{@code ENFILE}) throws an {@link IpcException}: the connection stays queued and the listener
     * readable, so the caller backs off rather than polling again at once.
     */
    @Override
    public ControlChannel accept() throws IpcException
    {
        final int client = UnixSocket.accept(fd, true);
        return client < 0 ? null : LinuxSocketCalls.channel(client);
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
            lock.close();
        }
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
}
