package ipc.linux;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import ipc.api.IpcException;
import ipc.api.IpcPeer;
import ipc.api.IpcTimeoutException;
import ipc.linux.jna.Poll;
import ipc.linux.os.PeerCredentials;
import ipc.linux.os.Posix;
import ipc.linux.os.UnixSocket;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ReceivedHandles;

/**
 * A connected Unix domain socket, non-blocking: handshake frames with {@code SCM_RIGHTS} descriptors, then
 * nothing but the end of stream when the peer closes or dies.
 */
final class LinuxControlChannel implements ControlChannel
{
    private static final long SEND_STALL_NANOS = 1_000_000_000L;

    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    LinuxControlChannel(final int fd) throws IpcException
    {
        this.fd = fd;
        try
        {
            Posix.setNonBlocking(fd, true);
        }
        catch (final IpcException ex)
        {
            Posix.closeQuietly(fd);
            throw ex;
        }
    }

    @Override
    public void send(final ByteBuffer frame, final long[] handles) throws IpcException
    {
        int[] fds = new int[handles.length];
        for (int i = 0; i < handles.length; i++)
        {
            fds[i] = (int)handles[i];
        }
        final long deadline = System.nanoTime() + SEND_STALL_NANOS;
        while (frame.hasRemaining())
        {
            // Descriptors travel with the first byte that goes out.
            final int sent = UnixSocket.sendMessage(fd, frame, fds);
            if (sent > 0)
            {
                fds = null;
                continue;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                throw new IpcTimeoutException("control socket stalled: peer is not reading: fd=" + fd);
            }
            // Returns early on a signal (EINTR) too: the next send or the deadline decides.
            Posix.poll(fd, Poll.POLLOUT, Posix.toMillis(remaining));
        }
    }

    @Override
    public int receive(final ByteBuffer dst, final ReceivedHandles handles) throws IpcException
    {
        final int maxFds = Math.min(handles.remaining(), UnixSocket.MAX_FDS);
        final int[] fds = new int[Math.max(1, maxFds)];
        final ipc.linux.os.ReceivedMessage received = UnixSocket.receiveMessage(fd, dst, fds, maxFds);
        for (int i = 0; i < received.fdCount(); i++)
        {
            handles.add(fds[i]);
        }
        if (received.wouldBlock())
        {
            return 0;
        }
        return received.endOfStream() ? -1 : received.bytes();
    }

    @Override
    public boolean awaitReadable(final long timeoutNanos) throws IpcException
    {
        return Posix.poll(fd, Poll.POLLIN, Posix.toMillis(Math.max(0, timeoutNanos))) != 0;
    }

    @Override
    public IpcPeer peer() throws IpcException
    {
        final PeerCredentials credentials = UnixSocket.peerCredentials(fd);
        return new IpcPeer(credentials.pid(), Integer.toUnsignedLong(credentials.uid()));
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
        }
    }

    @Override
    public String toString()
    {
        return "unix-socket{fd=" + fd + "}";
    }
}
