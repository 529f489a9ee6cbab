package ipc.shared.posix;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import ipc.api.IpcException;
import ipc.api.IpcPeer;
import ipc.api.IpcTimeoutException;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ReceivedHandles;

/**
 * A connected Unix domain stream socket, non-blocking, as the control channel of the POSIX backends: handshake frames
 * with {@code SCM_RIGHTS} descriptors, then nothing but the end of stream when the peer closes or dies. The logic is
 * the same on Linux and macOS; each backend supplies its system calls ({@link UnixSocketCalls}).
 */
public final class UnixControlChannel implements ControlChannel
{
    /** How long a send may wait for a peer that does not read before it fails. */
    static final long SEND_STALL_NANOS = 1_000_000_000L;

    private final UnixSocketCalls calls;
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Takes ownership of a connected socket that the backend made non-blocking.
     *
     * @param calls the backend's system calls.
     * @param fd    the socket.
     */
    public UnixControlChannel(final UnixSocketCalls calls, final int fd)
    {
        this.calls = calls;
        this.fd = fd;
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
            final int sent = calls.send().sendMessage(fd, frame, fds);
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
            calls.poll().poll(fd, UnixSocketCalls.POLLOUT, remaining);
        }
    }

    @Override
    public int receive(final ByteBuffer dst, final ReceivedHandles handles) throws IpcException
    {
        final int maxFds = Math.min(handles.remaining(), calls.maxReceivedFds());
        final int[] fds = new int[Math.max(1, maxFds)];
        final ReceivedMessage received = calls.receive().receiveMessage(fd, dst, fds, maxFds);
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
        return calls.poll().poll(fd, UnixSocketCalls.POLLIN, Math.max(0, timeoutNanos)) != 0;
    }

    @Override
    public IpcPeer peer() throws IpcException
    {
        return calls.peer().of(fd);
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
            calls.closeQuietly().accept(fd);
        }
    }

    @Override
    public String toString()
    {
        return "unix-socket{fd=" + fd + "}";
    }
}
