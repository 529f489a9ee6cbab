package ipc.shared.transport;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import ipc.api.IdleStrategy;
import ipc.api.IpcChannel;
import ipc.api.IpcClaim;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcMessage;
import ipc.api.IpcMessageHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.api.IpcProtocolException;
import ipc.api.IpcStats;
import ipc.shared.ring.Direction;
import ipc.shared.ring.SegmentDescriptor;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.ring.SpscRing;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.wait.ProcessBarrier;
import ipc.shared.wait.WaitProtocol;

/**
 * One end of a connection, the same code on every platform and on both sides: a thin front over the
 * {@link ChannelOutbound outbound half} (send lock, writer, claims, waits for room, the dispatcher's pending
 * queue), the {@link ChannelInbound inbound half} (receive flag, reader, waits for data, batches, borrowed
 * messages) and the {@link MappingLease lease} on the mapping (closed and peer-gone state, the one unmap).
 *
 * <p>Both rings start at position zero in the segment the server has just initialised; nothing the peer wrote
 * before the handshake ended is trusted (see {@link SpscRing}).
 */
public final class SharedChannel implements IpcChannel
{
    private static final System.Logger LOGGER = System.getLogger(SharedChannel.class.getName());

    private final MappingLease lease;
    private final ControlChannel control;
    private final boolean serverSide;
    private final IpcPeer peer;
    private final Counters counters = new Counters();
    private final ChannelOutbound outbound;
    private final ChannelInbound inbound;
    private final AtomicBoolean controlReleased = new AtomicBoolean();

    /** Why the channel closed itself (a protocol violation by the peer, a client that stopped reading). */
    private volatile IpcException closeCause;
    private volatile ChannelOwner owner;
    private volatile Consumer<SharedChannel> closeListener;
    /** Runs on the dispatcher's thread when the replies it queued are all written (see {@link #onQueueWritten}). */
    private Runnable queueWrittenListener;

    SharedChannel(
        final ConnectionResources resources,
        final SegmentLayout layout,
        final int maxMessageSize,
        final boolean serverSide,
        final ControlChannel control,
        final IpcPeer peer,
        final IpcOptions options,
        final boolean peerWakesWords,
        final ProcessBarrier barrier,
        final boolean waitsRunBarrier)
    {
        this.control = control;
        this.serverSide = serverSide;
        this.peer = peer;
        this.lease = new MappingLease(resources, serverSide);
        final ByteBuffer segment = resources.segment();
        final IdleStrategy idleStrategy = options.idleStrategy();
        final long spinNanos = options.spinDuration().toNanos();

        final Direction out = serverSide ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER;
        final Direction in = serverSide ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
        // Our two waits (reader, writer for room) run the process barrier, or both fence; the peer reads which.
        final ProcessBarrier sleepBarrier = waitsRunBarrier && barrier.registered() ? barrier : ProcessBarrier.NONE;
        outbound = new ChannelOutbound(this, lease, new SpscRing(segment, layout, out), maxMessageSize,
            new WaitProtocol(segment, layout.readerWaitOffset(out), resources.readerSignal(out),
                resources.readerWordSignal(out)),
            new WaitProtocol(segment, layout.writerWaitOffset(out), resources.writerSignal(out), null, sleepBarrier),
            idleStrategy, spinNanos, options.sendTimeout().toNanos(), barrier, counters);
        // Our reader sleeps on its word itself only if the peer wakes it there (else on the doorbell).
        final WaitProtocol readerWait = new WaitProtocol(segment, layout.readerWaitOffset(in),
            resources.readerSignal(in), peerWakesWords ? resources.readerWordSignal(in) : null, sleepBarrier);
        if (WaitProtocol.FORECAST)
        {
            readerWait.forecastArrivals();
        }
        readerWait.yieldAtOnceAfterWaking(outbound::lastPublishWoke);
        inbound = new ChannelInbound(this, lease, new SpscRing(segment, layout, in), maxMessageSize, readerWait,
            new WaitProtocol(segment, layout.writerWaitOffset(in), resources.writerSignal(in)),
            outbound::peerBehind, idleStrategy, spinNanos, barrier.registered(), counters);
        lease.parties(inbound::isBusy, outbound::isBusy);
        SegmentHeader.putIdleRelease(segment, serverSide, idleStrategy == IdleStrategy.BUSY_SPIN ?
            SegmentDescriptor.IDLE_NEVER_PARKS : sleepBarrier.registered() ?
            SegmentDescriptor.IDLE_PARKS_AFTER_BARRIER : SegmentDescriptor.IDLE_MAY_PARK);
        SegmentHeader.putStateRelease(segment, serverSide, SegmentDescriptor.STATE_OPEN);
    }

    // ---------------------------------------------------------------- sending

    @Override
    public void send(final byte[] message) throws IpcException
    {
        outbound.send(ByteBuffer.wrap(message));
    }

    @Override
    public void send(final byte[] message, final int offset, final int length) throws IpcException
    {
        Objects.checkFromIndexSize(offset, length, message.length);
        outbound.send(ByteBuffer.wrap(message, offset, length));
    }

    @Override
    public void send(final ByteBuffer message) throws IpcException
    {
        outbound.send(message);
    }

    @Override
    public void send(final ByteBuffer message, final Duration timeout) throws IpcException
    {
        outbound.send(message, saturatedNanos(timeout));
    }

    /**
     * Sends one message made of a 16-byte prefix and the payload's remaining bytes, the prefix written straight into
     * the record beside the payload: for the call layer, whose frame header would otherwise be put together with
     * the payload in a buffer and copied once more. Waits, never waits on the dispatcher, and fails as
     * {@link #send(ByteBuffer, Duration)} does. The payload's position is not moved.
     *
     * @param first   the prefix's first eight bytes, as a little-endian long.
     * @param second  its last eight, likewise.
     * @param payload the bytes after the prefix.
     * @param timeout the longest wait for room.
     * @throws IpcException as {@link #send(ByteBuffer, Duration)}.
     */
    public void sendPrefixed(final long first, final long second, final ByteBuffer payload, final Duration timeout)
        throws IpcException
    {
        outbound.sendPrefixed(first, second, payload, saturatedNanos(timeout));
    }

    /**
     * As {@link #sendPrefixed(long, long, ByteBuffer, Duration)}, with the channel's send timeout.
     *
     * @param first   the prefix's first eight bytes, as a little-endian long.
     * @param second  its last eight, likewise.
     * @param payload the bytes after the prefix.
     * @throws IpcException as {@link #send(ByteBuffer)}.
     */
    public void sendPrefixed(final long first, final long second, final ByteBuffer payload) throws IpcException
    {
        outbound.sendPrefixed(first, second, payload, outbound.sendTimeoutNanos());
    }

    @Override
    public IpcClaim claim(final int length, final Duration timeout) throws IpcException
    {
        return outbound.claim(length, saturatedNanos(timeout));
    }

    @Override
    public int maxMessageSize()
    {
        return outbound.maxMessageSize();
    }

    @Override
    public int maxClaimLength()
    {
        return outbound.maxClaimLength();
    }

    // ---------------------------------------------------------------- receiving

    @Override
    public int receive(final ByteBuffer destination, final Duration timeout) throws IpcException
    {
        return inbound.receive(destination, saturatedNanos(timeout));
    }

    @Override
    public byte[] receive(final Duration timeout) throws IpcException
    {
        return inbound.receive(saturatedNanos(timeout));
    }

    @Override
    public IpcMessage receiveBorrowed(final Duration timeout) throws IpcException
    {
        return inbound.receiveBorrowed(saturatedNanos(timeout));
    }

    @Override
    public int poll(final IpcMessageHandler handler, final int limit, final Duration timeout) throws IpcException
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit must be at least 1: limit=" + limit);
        }
        return inbound.poll(handler, limit, saturatedNanos(timeout));
    }

    // ---------------------------------------------------------------- for the owner and the server

    ChannelInbound inbound()
    {
        return inbound;
    }

    ChannelOutbound outbound()
    {
        return outbound;
    }

    void owner(final ChannelOwner owner)
    {
        this.owner = owner;
    }

    ChannelOwner owner()
    {
        return owner;
    }

    /** Called once, after this channel closed; the server uses it for its accounting. */
    void closeListener(final Consumer<SharedChannel> listener)
    {
        this.closeListener = listener;
    }

    ControlChannel control()
    {
        return control;
    }

    ConnectionResources resources()
    {
        return lease.resources();
    }

    boolean isServerSide()
    {
        return serverSide;
    }

    // ---------------------------------------------------------------- state

    @Override
    public IpcPeer peer()
    {
        return peer;
    }

    @Override
    public IpcStats stats()
    {
        return counters.snapshot();
    }

    @Override
    public boolean isOpen()
    {
        // Flags only: this may run on any thread, at any time, so it must not read the mapping.
        return !lease.isClosed() && !lease.peerGoneFlag() && !outbound.isShut();
    }

    /** The peer closed gracefully or died; reads the mapping, so only for a party that holds it. */
    boolean isPeerGone()
    {
        return lease.isPeerGone();
    }

    /** The owner saw the control channel end: the peer closed or died. Wakes every local waiter. */
    void onPeerGone()
    {
        lease.peerGone();
        inbound.wakeLocalWaiter();
        outbound.wakeLocalWaiter();
    }

    boolean isClosed()
    {
        return lease.isClosed();
    }

    /** Whether the peer has yet to take everything this side sent (see {@link ChannelOutbound#peerBehind()}). */
    boolean peerBehind()
    {
        return outbound.peerBehind();
    }

    /**
     * Closes the channel. A server's channel whose dispatcher queued replies that did not fit the client's ring yet
     * refuses new messages at once and closes once the queue is written (or the client left, or the send timeout
     * passed), as a socket's close lets the peer read what was written before it: a reply {@code send} accepted is
     * not dropped by the close that follows it.
     */
    @Override
    public void close()
    {
        final ChannelOwner currentOwner = owner;
        if (null != currentOwner && outbound.hasPending() && !lease.isClosed() && !lease.peerGoneFlag())
        {
            outbound.shut();
            if (currentOwner.closeWhenWritten(this))
            {
                return;
            }
        }
        closeNow();
    }

    /** Closes at once: what is still queued is dropped. */
    void closeNow()
    {
        if (lease.beginClose())
        {
            try
            {
                LOGGER.log(Level.DEBUG, () -> "closing " + this);
                SegmentHeader.putStateRelease(lease.segment(), serverSide, SegmentDescriptor.STATE_CLOSED);
                // The peer may sleep waiting for data from us or for room in our inbound ring.
                outbound.wakePeerReader();
                inbound.wakePeerWriter();
                inbound.wakeLocalWaiter();
                outbound.wakeLocalWaiter();
                outbound.discardPending();
            }
            finally
            {
                lease.endClose();
            }
        }
        else
        {
            lease.endClose();
            return;
        }
        final Consumer<SharedChannel> listener = closeListener;
        if (null != listener)
        {
            listener.accept(this);
        }
        final ChannelOwner currentOwner = owner;
        if (null != currentOwner)
        {
            currentOwner.detach(this);
        }
        else
        {
            releaseControl();
        }
    }

    /**
     * Whether replies the server's dispatcher queued for want of room still wait: another send from that thread would
     * only queue behind them. For a producer on that thread that can wait for room instead of queueing without end.
     *
     * @return {@code true} while such replies wait.
     */
    public boolean hasQueuedReplies()
    {
        return outbound.hasPending();
    }

    /**
     * Sets what the server's dispatcher runs, on its thread, once the replies it queued are all written (the client
     * made room); replaces an earlier one.
     *
     * @param listener the listener, or {@code null} for none.
     */
    public void onQueueWritten(final Runnable listener)
    {
        queueWrittenListener = listener;
    }

    /** On the dispatcher's thread: its queue is written. */
    void queueWritten()
    {
        final Runnable listener = queueWrittenListener;
        if (null != listener)
        {
            listener.run();
        }
    }

    /** Closes the channel for a reason of its own (protocol violation, a peer that does not read), kept for owners. */
    void closeWith(final IpcException cause)
    {
        if (null == closeCause)
        {
            closeCause = cause;
        }
        closeNow();
    }

    /** Called by the owner (on its thread) once it no longer watches this channel, or by close without owner. */
    void releaseControl()
    {
        if (controlReleased.compareAndSet(false, true))
        {
            control.close();
            lease.ownerDetached();
        }
    }

    /**
     * Why this channel closed itself, if it did.
     *
     * @return the violation or fault that closed it, or {@code null} if it was closed from outside.
     */
    IpcException closeCause()
    {
        return closeCause;
    }

    IpcClosedException closedException()
    {
        final IpcException cause = closeCause;
        return null == cause ? new IpcClosedException("channel closed " + this) :
            new IpcClosedException("channel closed " + this + ": " + cause.getMessage(), cause);
    }

    IpcProtocolException protocolError(final IpcProtocolException ex)
    {
        counters.addAtomic(Counters.PROTOCOL_ERRORS, 1);
        LOGGER.log(Level.WARNING, () -> "protocol violation by peer, closing " + this + ": " + ex.getMessage());
        closeWith(ex);
        return ex;
    }

    private static long saturatedNanos(final Duration timeout)
    {
        if (timeout.isNegative())
        {
            return 0;
        }
        try
        {
            return Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE / 4;
        }
    }

    @Override
    public String toString()
    {
        return (serverSide ? "server-side" : "client-side") + " channel{peerPid=" + peer.pid() + " peerUid=" +
            peer.uid() + " open=" + !lease.isClosed() + " peerGone=" + lease.peerGoneFlag() + "}";
    }
}
