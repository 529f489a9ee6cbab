package ipc.shared.call;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import ipc.api.IpcChannel;
import ipc.api.IpcClaim;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcMessage;
import ipc.api.IpcMessageHandler;
import ipc.api.IpcPeer;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcStats;
import ipc.api.IpcTimeoutException;

/**
 * One end of an in-memory pair of channels, for unit tests of the call state machines: the peer's sends land in a
 * queue this end polls, in order. {@link #full} makes every send and claim fail as a full ring would (at once), to
 * drive the paths that keep frames owed. It implements the {@link IpcChannel} contract only as far as the call layer
 * uses it; the real transport is tested end to end in ipc.conformance.
 */
final class MemoryChannel implements IpcChannel
{
    private static final byte[] CLOSED = new byte[0];

    private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private volatile int polling;
    private MemoryChannel peer;
    private volatile boolean closed;
    private volatile boolean peerClosed;
    /** While set, sends and claims fail as on a full ring. */
    volatile boolean full;
    /** Runs as a {@link #send(ByteBuffer, Duration)} begins (a framed REQUEST), before its bytes are in the channel. */
    volatile Runnable beforeTimedSend;

    static MemoryChannel[] pair()
    {
        final MemoryChannel a = new MemoryChannel();
        final MemoryChannel b = new MemoryChannel();
        a.peer = b;
        b.peer = a;
        return new MemoryChannel[] {a, b};
    }

    @Override
    public void send(final byte[] message) throws IpcException
    {
        send(message, 0, message.length);
    }

    @Override
    public void send(final byte[] message, final int offset, final int length) throws IpcException
    {
        checkSendable();
        final byte[] copy = new byte[length];
        System.arraycopy(message, offset, copy, 0, length);
        peer.inbox.add(copy);
    }

    @Override
    public void send(final ByteBuffer message) throws IpcException
    {
        checkSendable();
        final byte[] copy = new byte[message.remaining()];
        message.get(copy);
        peer.inbox.add(copy);
    }

    @Override
    public void send(final ByteBuffer message, final Duration timeout) throws IpcException
    {
        final Runnable hook = beforeTimedSend;
        if (null != hook)
        {
            hook.run();
        }
        // Unbounded: never full, so the timeout never applies.
        send(message);
    }

    @Override
    public IpcClaim claim(final int length, final Duration timeout) throws IpcException
    {
        checkSendable();
        final ByteBuffer room = ByteBuffer.allocate(length);
        return new IpcClaim()
        {
            private boolean finished;

            @Override
            public ByteBuffer buffer()
            {
                return room;
            }

            @Override
            public void commit()
            {
                finished = true;
                peer.inbox.add(room.array());
            }

            @Override
            public void abort()
            {
                finished = true;
            }

            @Override
            public void close()
            {
                finished = true;
            }
        };
    }

    private void checkSendable() throws IpcException
    {
        if (closed)
        {
            throw new IpcClosedException("closed");
        }
        if (peerClosed)
        {
            throw new IpcPeerClosedException("peer closed");
        }
        if (full)
        {
            throw new IpcTimeoutException("ring full");
        }
    }

    @Override
    public int receive(final ByteBuffer destination, final Duration timeout)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] receive(final Duration timeout) throws IpcException
    {
        final byte[][] one = new byte[1][];
        if (0 == poll(message ->
        {
            one[0] = new byte[message.remaining()];
            message.get(one[0]);
        }, 1, timeout))
        {
            throw new IpcTimeoutException("nothing received");
        }
        return one[0];
    }

    @Override
    public IpcMessage receiveBorrowed(final Duration timeout)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public int poll(final IpcMessageHandler handler, final int limit, final Duration timeout) throws IpcException
    {
        if (closed)
        {
            throw new IpcClosedException("closed");
        }
        int delivered = 0;
        polling++;
        try
        {
            byte[] message;
            try
            {
                message = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            finally
            {
                polling--;
            }
            while (null != message && delivered < limit)
            {
                if (message == CLOSED)
                {
                    peerClosed = true;
                    if (0 == delivered)
                    {
                        throw new IpcPeerClosedException("peer closed");
                    }
                    inbox.add(CLOSED);
                    return delivered;
                }
                handler.onMessage(ByteBuffer.wrap(message).asReadOnlyBuffer());
                delivered++;
                message = delivered < limit ? inbox.poll() : null;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return delivered;
    }

    /** Whether a thread is waiting in {@link #poll} for a first message now. */
    boolean isPolling()
    {
        return polling > 0;
    }

    /** The next message the peer sent, waiting up to 10 s. */
    byte[] next() throws IpcException
    {
        return receive(Duration.ofSeconds(10));
    }

    /** Whether the peer sent nothing that is still unread. */
    boolean nothingPending()
    {
        return inbox.isEmpty();
    }

    @Override
    public int maxMessageSize()
    {
        return 1 << 20;
    }

    @Override
    public int maxClaimLength()
    {
        return 1 << 16;
    }

    @Override
    public IpcPeer peer()
    {
        return new IpcPeer(IpcPeer.UNKNOWN, IpcPeer.UNKNOWN);
    }

    @Override
    public IpcStats stats()
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen()
    {
        return !closed && !peerClosed;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            peer.inbox.add(CLOSED);
        }
    }

    @Override
    public String toString()
    {
        return "MemoryChannel";
    }
}
