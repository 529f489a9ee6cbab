package ipc.shared.transport;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import ipc.api.IdleStrategy;
import ipc.api.IpcChannel;
import ipc.api.IpcClaim;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcMessage;
import ipc.api.IpcMessageHandler;
import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcStats;
import ipc.api.IpcTimeoutException;
import ipc.shared.ring.Direction;
import ipc.shared.ring.MessageView;
import ipc.shared.ring.RingMessageReader;
import ipc.shared.ring.RingMessageWriter;
import ipc.shared.ring.SegmentDescriptor;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.ring.SpaceWaiter;
import ipc.shared.ring.SpscRing;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.wait.WaitProtocol;

/**
 * One end of a connection, the same code on every platform and on both sides.
 *
 * <h2>Resource ownership</h2>
 * The channel holds the segment mapping and wake signals ({@link ConnectionResources}) and the control channel.
 * Four parties may touch the mapping: the receiving thread (it holds the {@code receiving} flag), the sending
 * thread (it holds the send lock), the {@link ChannelOwner} (until {@link #releaseControl()}), and {@link #close()}
 * while it writes the closed state. No per-operation reference count: the flag and the lock that single-reader and
 * serialized-sender semantics need anyway are the references. Each party leaves with a volatile write and then
 * calls {@link #releaseIfLast()}, which reads every party's state; as all these accesses are volatile, the last to
 * leave sees the others gone, and a CAS lets exactly one of them unmap. So {@code close()} from one thread never
 * unmaps memory that another thread is copying, and the hot path pays no extra atomic instruction.
 */
public final class SharedChannel implements IpcChannel
{
    private static final System.Logger LOGGER = System.getLogger(SharedChannel.class.getName());

    private final ConnectionResources resources;
    private final ControlChannel control;
    private final boolean serverSide;
    private final IpcPeer peer;
    private final IdleStrategy idleStrategy;
    private final long spinNanos;
    private final long sendTimeoutNanos;
    private final int maxMessageSize;
    private final ByteBuffer segment;

    private final SpscRing outboundRing;
    private final SpscRing inboundRing;
    private final RingMessageWriter writer;
    private final RingMessageReader reader;
    /** The peer's reader sleeps on this word of the outbound ring: we wake it after publishing. */
    private final WaitProtocol peerReaderWait;
    /** We sleep on this word of the inbound ring while waiting for a message. */
    private final WaitProtocol readerWait;
    /** We sleep on this word of the outbound ring while it is full. */
    private final WaitProtocol writerWait;
    /** The peer's writer sleeps on this word of the inbound ring while it is full: we wake it after consuming. */
    private final WaitProtocol peerWriterWait;

    private final WaitProtocol.Condition inboundReady;
    private final WaitProtocol.Condition outboundHasSpaceOrGone = this::outboundHasSpaceOrGone;
    /** Bound once: a method reference evaluated per send would allocate on the hot path. */
    private final SpaceWaiter spaceWaiter = this::awaitSpace;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicBoolean receiving = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger closers = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean controlReleased = new AtomicBoolean();
    private final Counters counters = new Counters();
    private final BorrowedMessage borrowed = new BorrowedMessage(this);

    private volatile boolean peerGone;
    /** Why the channel closed itself (a protocol violation by the peer), for the owner's report. */
    private volatile IpcException closeCause;
    /** Receiver thread only: inside poll, wake checks are deferred to the end of the batch. */
    private boolean batching;
    private boolean consumedInBatch;
    private volatile ChannelOwner owner;
    private volatile Consumer<SharedChannel> closeListener;
    /** The owner (or, before one is set, the creator) may still read the rings and wake the words. */
    private volatile boolean ownerAttached = true;
    /**
     * Deadline of the send in progress, taken only when it first has to wait: reading the clock costs about as
     * much as a whole hand-off, so the fast path never does. Guarded by the send lock.
     */
    private long sendDeadline;
    private boolean sendDeadlineTaken;
    private long sendTimeoutForThisSend;
    /** The outbound head the writer saw when its claim failed: room appears when the reader moves it. */
    private long spaceWaitHead;

    SharedChannel(
        final ConnectionResources resources,
        final SegmentLayout layout,
        final int maxMessageSize,
        final boolean serverSide,
        final ControlChannel control,
        final IpcPeer peer,
        final IpcOptions options)
    {
        this.resources = resources;
        this.control = control;
        this.serverSide = serverSide;
        this.peer = peer;
        this.idleStrategy = options.idleStrategy();
        this.spinNanos = options.spinDuration().toNanos();
        this.sendTimeoutNanos = options.sendTimeout().toNanos();
        this.maxMessageSize = maxMessageSize;
        this.segment = resources.segment();

        final Direction outbound = serverSide ? Direction.SERVER_TO_CLIENT : Direction.CLIENT_TO_SERVER;
        final Direction inbound = serverSide ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
        outboundRing = new SpscRing(segment, layout, outbound);
        inboundRing = new SpscRing(segment, layout, inbound);
        peerReaderWait = new WaitProtocol(segment, layout.readerWaitOffset(outbound), resources.readerSignal(outbound));
        readerWait = new WaitProtocol(segment, layout.readerWaitOffset(inbound), resources.readerSignal(inbound));
        writerWait = new WaitProtocol(segment, layout.writerWaitOffset(outbound), resources.writerSignal(outbound));
        peerWriterWait = new WaitProtocol(segment, layout.writerWaitOffset(inbound), resources.writerSignal(inbound));
        writer = new RingMessageWriter(outboundRing, maxMessageSize, this::onPublish);
        reader = new RingMessageReader(inboundRing, maxMessageSize, this::onConsume);
        // closed is part of the condition so that close() from another thread ends a blocked receive.
        inboundReady = () -> !inboundRing.isEmpty() || closed.get() || isPeerGone();
        SegmentHeader.putIdleRelease(segment, serverSide, idleStrategy == IdleStrategy.BUSY_SPIN ?
            SegmentDescriptor.IDLE_NEVER_PARKS : SegmentDescriptor.IDLE_MAY_PARK);
        SegmentHeader.putStateRelease(segment, serverSide, SegmentDescriptor.STATE_OPEN);
    }

    void owner(final ChannelOwner owner)
    {
        this.owner = owner;
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
        return resources;
    }

    boolean isServerSide()
    {
        return serverSide;
    }

    // ---------------------------------------------------------------- sending

    @Override
    public void send(final byte[] message) throws IpcException
    {
        send(ByteBuffer.wrap(message));
    }

    @Override
    public void send(final byte[] message, final int offset, final int length) throws IpcException
    {
        Objects.checkFromIndexSize(offset, length, message.length);
        send(ByteBuffer.wrap(message, offset, length));
    }

    @Override
    public void send(final ByteBuffer message) throws IpcException
    {
        final int length = message.remaining();
        if (length > maxMessageSize)
        {
            throw new IpcMessageTooLargeException("message too large: length=" + length + " maxMessageSize=" +
                maxMessageSize);
        }
        lockForSend(sendTimeoutNanos);
        try
        {
            final int records = writer.send(message, message.position(), length, spaceWaiter, 0);
            message.position(message.limit());
            counters.increment(Counters.MESSAGES_SENT);
            counters.add(Counters.BYTES_SENT, length);
            if (records > 1)
            {
                counters.add(Counters.FRAGMENTS_SENT, records);
            }
        }
        catch (final IpcProtocolException ex)
        {
            unlockSend();
            throw protocolError(ex);
        }
        finally
        {
            if (sendLock.isHeldByCurrentThread())
            {
                unlockSend();
            }
        }
    }

    @Override
    public IpcClaim claim(final int length, final Duration timeout) throws IpcException
    {
        if (length < 0 || length > maxClaimLength())
        {
            throw new IpcMessageTooLargeException("claim too large: length=" + length + " maxClaimLength=" +
                maxClaimLength());
        }
        final long timeoutNanos = saturatedNanos(timeout);
        lockForSend(timeoutNanos);
        boolean claimed = false;
        try
        {
            while (true)
            {
                final int index = writer.claim(length);
                if (index >= 0)
                {
                    claimed = true;
                    return new RingClaim(this, segment.slice(index, length), index);
                }
                awaitSpace(length, 0);
            }
        }
        finally
        {
            if (!claimed)
            {
                // The claim keeps the lock until it is committed or aborted; anything else gives it back.
                unlockSend();
            }
        }
    }

    @Override
    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    @Override
    public int maxClaimLength()
    {
        return Math.min(outboundRing.maxRecordLength(), maxMessageSize);
    }

    /**
     * Takes the send lock; on return the send's clock is set up: not read yet if the lock was free.
     */
    private void lockForSend(final long timeoutNanos) throws IpcException
    {
        if (sendLock.tryLock())
        {
            sendTimeoutForThisSend = timeoutNanos;
            sendDeadlineTaken = false;
        }
        else
        {
            final long start = System.nanoTime();
            try
            {
                if (!sendLock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS))
                {
                    throw new IpcTimeoutException("send timed out waiting for other senders: timeout=" +
                        Duration.ofNanos(timeoutNanos) + " " + this);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IpcTimeoutException("send interrupted while waiting for other senders: " + this, ex);
            }
            sendTimeoutForThisSend = timeoutNanos;
            sendDeadline = start + timeoutNanos;
            sendDeadlineTaken = true;
        }
        try
        {
            // A peer that closed or died reads nothing more: fail now rather than fill its ring unnoticed.
            checkSendable();
        }
        catch (final IpcException ex)
        {
            unlockSend();
            throw ex;
        }
    }

    private void unlockSend()
    {
        sendLock.unlock();
        releaseIfLast();
    }

    /** Called by the ring writer, with the send lock held, when the outbound ring has no room. */
    private void awaitSpace(final int bytesNeeded, final long unusedDeadline) throws IpcException
    {
        checkSendable();
        counters.increment(Counters.FULL_RING_WAITS);
        // The failed claim has just read the head: if it moved since, there is new room; otherwise the ring holds
        // unread records, so the reader will move it and wake us.
        spaceWaitHead = outboundRing.headPositionAcquire();
        final long remaining = sendDeadlineTaken ? sendDeadline - System.nanoTime() : sendTimeoutForThisSend;
        final WaitProtocol.Outcome outcome = writerWait.await(outboundHasSpaceOrGone, idleStrategy, spinNanos,
            remaining);
        if (!sendDeadlineTaken)
        {
            // A fragmented send may wait again: the rest of its time counts from this first wait.
            sendDeadline = writerWait.clockStartNanos() + sendTimeoutForThisSend;
            sendDeadlineTaken = true;
        }
        countWait(outcome);
        checkSendable();
        if (outcome == WaitProtocol.Outcome.TIMED_OUT)
        {
            throw new IpcTimeoutException("ring full: no room for bytes=" + bytesNeeded + " within timeout=" +
                Duration.ofNanos(sendTimeoutForThisSend) + " " + this);
        }
    }

    private boolean outboundHasSpaceOrGone()
    {
        final long head = outboundRing.headPositionAcquire();
        // The reader may have drained the ring between the failed claim and the read of spaceWaitHead: then the
        // head never moves again, but an empty ring has room for any record.
        return head != spaceWaitHead || head == outboundRing.producerPosition() || closed.get() || isPeerGone();
    }

    private void checkSendable() throws IpcException
    {
        if (closed.get())
        {
            throw closedException();
        }
        if (isPeerGone())
        {
            throw new IpcPeerClosedException("peer closed: cannot send " + this);
        }
    }

    private void onPublish()
    {
        // A busy-spinning peer never sleeps: no wake check, and so no fence, on its behalf.
        if (SegmentHeader.mayPark(segment, !serverSide) && peerReaderWait.wakeIfWaiting())
        {
            counters.addAtomic(Counters.WAKEUPS_SENT, 1);
        }
    }

    private void onConsume()
    {
        if (batching)
        {
            // One wake check at the end of the batch serves every record it consumed (see endBatch).
            consumedInBatch = true;
            return;
        }
        if (SegmentHeader.mayPark(segment, !serverSide) && peerWriterWait.wakeIfWaiting())
        {
            counters.addAtomic(Counters.WAKEUPS_SENT, 1);
        }
    }

    private void beginBatch()
    {
        batching = true;
        consumedInBatch = false;
    }

    /** Ends a batch of receives: the writer, if it sleeps on a full ring, learns of the room once, now. */
    private void endBatch()
    {
        batching = false;
        if (consumedInBatch)
        {
            consumedInBatch = false;
            onConsume();
        }
    }

    // ---------------------------------------------------------------- receiving

    @Override
    public int receive(final ByteBuffer destination, final Duration timeout) throws IpcException
    {
        final long timeoutNanos = saturatedNanos(timeout);
        enterReceiver();
        try
        {
            final MessageView view = required(awaitMessage(timeoutNanos));
            final int length = view.length();
            if (length > destination.remaining())
            {
                throw new IpcMessageTooLargeException("message does not fit the buffer: length=" + length +
                    " remaining=" + destination.remaining());
            }
            destination.put(destination.position(), view.buffer(), view.index(), length);
            destination.position(destination.position() + length);
            consumed(view);
            return length;
        }
        finally
        {
            exitReceiver();
        }
    }

    @Override
    public byte[] receive(final Duration timeout) throws IpcException
    {
        final long timeoutNanos = saturatedNanos(timeout);
        enterReceiver();
        try
        {
            final MessageView view = required(awaitMessage(timeoutNanos));
            final byte[] message = new byte[view.length()];
            view.buffer().get(view.index(), message);
            consumed(view);
            return message;
        }
        finally
        {
            exitReceiver();
        }
    }

    @Override
    public IpcMessage receiveBorrowed(final Duration timeout) throws IpcException
    {
        final long timeoutNanos = saturatedNanos(timeout);
        enterReceiver();
        boolean lent = false;
        try
        {
            final MessageView view = required(awaitMessage(timeoutNanos));
            lent = true;
            return borrowed.lend(view);
        }
        finally
        {
            if (!lent)
            {
                exitReceiver();
            }
        }
    }

    /**
     * Delivers up to {@code limit} waiting messages to a handler without blocking; the server's dispatcher calls
     * this. The view passed to the handler is read-only and holds the message between its position and limit.
     */
    int poll(final ServerDispatcher.MessageSink sink, final int limit) throws IpcException
    {
        enterReceiver();
        beginBatch();
        try
        {
            int delivered = 0;
            while (delivered < limit && !closed.get())
            {
                final MessageView view = nextMessage();
                if (null == view)
                {
                    break;
                }
                try
                {
                    sink.onMessage(this, view.buffer(), view.index(), view.length());
                }
                finally
                {
                    consumed(view);
                }
                delivered++;
            }
            return delivered;
        }
        finally
        {
            endBatch();
            exitReceiver();
        }
    }

    @Override
    public int poll(final IpcMessageHandler handler, final int limit, final Duration timeout) throws IpcException
    {
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit must be at least 1: limit=" + limit);
        }
        final long timeoutNanos = saturatedNanos(timeout);
        enterReceiver();
        try
        {
            MessageView view = awaitMessage(timeoutNanos);
            if (null == view)
            {
                return 0;
            }
            beginBatch();
            int delivered = 0;
            while (true)
            {
                try
                {
                    handler.onMessage(borrowed.window(view));
                }
                finally
                {
                    consumed(view);
                }
                if (++delivered == limit || closed.get() || null == (view = nextMessage()))
                {
                    return delivered;
                }
            }
        }
        finally
        {
            endBatch();
            exitReceiver();
        }
    }

    /** Whether the inbound ring holds anything, or the peer is gone: the dispatcher's readiness check. */
    boolean inboundReady()
    {
        return inboundReady.isMet();
    }

    /** The dispatcher arms this connection's doorbell: true if data arrived meanwhile (then nothing is armed). */
    boolean armInbound()
    {
        return readerWait.announceAndCheck(inboundReady);
    }

    void drainInboundSignal()
    {
        readerWait.signal().drain();
    }

    private MessageView awaitMessage(final long timeoutNanos) throws IpcException
    {
        long remaining = timeoutNanos;
        while (true)
        {
            final MessageView view = nextMessage();
            if (null != view)
            {
                return view;
            }
            if (closed.get())
            {
                throw closedException();
            }
            if (isPeerGone())
            {
                // The peer's last records were released before its close became visible: look once more.
                final MessageView last = nextMessage();
                if (null != last)
                {
                    return last;
                }
                throw new IpcPeerClosedException("peer closed " + this);
            }
            final WaitProtocol.Outcome outcome = readerWait.await(inboundReady, idleStrategy, spinNanos, remaining);
            countWait(outcome);
            if (outcome == WaitProtocol.Outcome.TIMED_OUT)
            {
                // Null when nothing came: the caller decides whether that is an error.
                return nextMessage();
            }
            final MessageView arrived = nextMessage();
            if (null != arrived)
            {
                return arrived;
            }
            // Data arrived but not a whole message (fragments): wait again with what is left of the time.
            remaining = timeoutNanos - (System.nanoTime() - readerWait.clockStartNanos());
        }
    }

    private MessageView required(final MessageView view) throws IpcTimeoutException
    {
        if (null == view)
        {
            throw new IpcTimeoutException("no message within timeout " + this);
        }
        return view;
    }

    private MessageView nextMessage() throws IpcException
    {
        try
        {
            return reader.peek();
        }
        catch (final IpcProtocolException ex)
        {
            throw protocolError(ex);
        }
    }

    private void consumed(final MessageView view)
    {
        counters.increment(Counters.MESSAGES_RECEIVED);
        counters.add(Counters.BYTES_RECEIVED, view.length());
        if (view.recordCount() > 1)
        {
            counters.add(Counters.FRAGMENTS_RECEIVED, view.recordCount());
        }
        reader.release();
    }

    private void countWait(final WaitProtocol.Outcome outcome)
    {
        if (outcome == WaitProtocol.Outcome.SPUN)
        {
            counters.increment(Counters.SPIN_HITS);
        }
        else
        {
            counters.increment(Counters.PARKS);
        }
    }

    private void enterReceiver() throws IpcException
    {
        if (!receiving.compareAndSet(false, true))
        {
            throw new IllegalStateException("another thread is receiving, or a borrowed message is not released: " +
                this);
        }
        if (closed.get())
        {
            exitReceiver();
            throw closedException();
        }
    }

    private void exitReceiver()
    {
        receiving.set(false);
        releaseIfLast();
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
        return !closed.get() && !peerGone;
    }

    /** The peer closed gracefully (its state word) or its process died (seen by the owner on the control channel). */
    boolean isPeerGone()
    {
        if (peerGone)
        {
            return true;
        }
        if (SegmentHeader.getStateAcquire(segment, !serverSide) == SegmentDescriptor.STATE_CLOSED)
        {
            peerGone = true;
        }
        return peerGone;
    }

    /** The owner saw the control channel end: the peer closed or died. Wakes every local waiter. */
    void onPeerGone()
    {
        peerGone = true;
        wakeLocalWaiters();
    }

    @Override
    public void close()
    {
        // Counted before closed is set, so that nobody can see the channel closed and unmap under our writes.
        closers.incrementAndGet();
        try
        {
            if (!closed.compareAndSet(false, true))
            {
                return;
            }
            LOGGER.log(Level.DEBUG, () -> "closing " + this);
            SegmentHeader.putStateRelease(segment, serverSide, SegmentDescriptor.STATE_CLOSED);
            // The peer may sleep waiting for data from us or for room in our inbound ring.
            peerReaderWait.wakeIfWaiting();
            peerWriterWait.wakeIfWaiting();
            wakeLocalWaiters();
        }
        finally
        {
            closers.decrementAndGet();
            releaseIfLast();
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

    /** Called by the owner (on its thread) once it no longer watches this channel, or by close without owner. */
    void releaseControl()
    {
        if (controlReleased.compareAndSet(false, true))
        {
            control.close();
            ownerAttached = false;
            releaseIfLast();
        }
    }

    /**
     * Unmaps the segment once the channel is closed and every party has left it. See the class comment.
     */
    private void releaseIfLast()
    {
        if (closed.get() && closers.get() == 0 && !receiving.get() && !sendLock.isLocked() && !ownerAttached &&
            released.compareAndSet(false, true))
        {
            resources.close();
        }
    }

    /**
     * Why this channel closed itself, if it did.
     *
     * @return the protocol violation that closed it, or {@code null} if it was closed from outside.
     */
    IpcException closeCause()
    {
        return closeCause;
    }

    boolean isClosed()
    {
        return closed.get();
    }

    private void wakeLocalWaiters()
    {
        readerWait.wakeIfWaiting();
        writerWait.wakeIfWaiting();
    }

    private IpcClosedException closedException()
    {
        return new IpcClosedException("channel closed " + this);
    }

    private IpcProtocolException protocolError(final IpcProtocolException ex)
    {
        counters.addAtomic(Counters.PROTOCOL_ERRORS, 1);
        LOGGER.log(Level.WARNING, () -> "protocol violation by peer, closing " + this + ": " + ex.getMessage());
        closeCause = ex;
        close();
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
            peer.uid() + " open=" + !closed.get() + " peerGone=" + peerGone + "}";
    }

    // ---------------------------------------------------------------- zero-copy helpers

    // ---------------------------------------------------------------- for the zero-copy handles

    /** A borrowed message was released: the record goes back to the writer, the receive ends. */
    void releaseBorrowed(final MessageView view)
    {
        consumed(view);
        exitReceiver();
    }

    /** Finishes a claim on the claiming thread: publishes or abandons the record, then gives the send lock back. */
    void finishClaim(final int index, final int length, final boolean commit)
    {
        if (!sendLock.isHeldByCurrentThread())
        {
            throw new IllegalStateException("a claim is committed or aborted by the thread that made it");
        }
        try
        {
            if (commit)
            {
                writer.commit(index);
                counters.increment(Counters.MESSAGES_SENT);
                counters.add(Counters.BYTES_SENT, length);
            }
            else
            {
                writer.abort(index);
            }
        }
        finally
        {
            unlockSend();
        }
    }
}
