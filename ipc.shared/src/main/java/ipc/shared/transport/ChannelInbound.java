package ipc.shared.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import ipc.api.IdleStrategy;
import ipc.api.IpcException;
import ipc.api.IpcMessage;
import ipc.api.IpcMessageHandler;
import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;
import ipc.shared.ring.MessageView;
import ipc.shared.ring.RingMessageReader;
import ipc.shared.ring.SpscRing;
import ipc.shared.spi.WakeSignal;
import ipc.shared.wait.WaitProtocol;

/**
 * The receiving half of a channel: the receive flag (one receiver at a time), the ring reader, the waits for data,
 * batches, and borrowed messages.
 *
 * <p>Every byte read here is the peer's: records are bounded by the ring and the reader, and views handed to the
 * application are windows on memory the peer can still write (documented on {@link ipc.api.IpcChannel}).
 */
final class ChannelInbound
{
    /** Receives the messages of one batch on the dispatcher thread: the server's per-connection object. */
    interface Sink
    {
        /**
         * One message, valid during the call.
         *
         * @return {@code false} to end the batch after this message (the connection cannot take more now).
         * @throws Exception whatever the application's handler throws; the batch ends and the caller decides.
         */
        boolean onMessage(ByteBuffer buffer, int index, int length) throws Exception;
    }

    private final SharedChannel channel;
    private final MappingLease lease;
    private final ByteBuffer segment;
    private final boolean serverSide;
    /** This process takes part in the peer's process barrier: wake checks may then go without a fence. */
    private final boolean processBarrierRegistered;
    private final SpscRing ring;
    private final RingMessageReader reader;
    /** We sleep on this word of the inbound ring while waiting for a message. */
    private final WaitProtocol readerWait;
    /** The peer's writer sleeps on this word of the inbound ring while it is full: we wake it after consuming. */
    private final WaitProtocol peerWriterWait;
    private final IdleStrategy idleStrategy;
    private final long spinNanos;
    private final Counters counters;
    private final AtomicBoolean receiving = new AtomicBoolean();
    private final MessageWindow window = new MessageWindow();
    /** Receiver thread only: the generation of the latest borrow, and the message it lent while not released. */
    private long borrowGeneration;
    private MessageView lent;
    private final WaitProtocol.Condition ready;
    /** Whether the peer has yet to take what this side sent last: a waiting reader yields its CPU meanwhile. */
    private final WaitProtocol.Condition peerBehind;
    /** Receiver thread only: inside a batch, wake checks are deferred to its end. */
    private boolean batching;
    private boolean consumedInBatch;

    ChannelInbound(
        final SharedChannel channel,
        final MappingLease lease,
        final SpscRing ring,
        final int maxMessageSize,
        final WaitProtocol readerWait,
        final WaitProtocol peerWriterWait,
        final WaitProtocol.Condition peerBehind,
        final IdleStrategy idleStrategy,
        final long spinNanos,
        final boolean processBarrierRegistered,
        final Counters counters)
    {
        this.processBarrierRegistered = processBarrierRegistered;
        this.peerBehind = peerBehind;
        this.channel = channel;
        this.lease = lease;
        this.segment = lease.segment();
        this.serverSide = channel.isServerSide();
        this.ring = ring;
        this.reader = new RingMessageReader(ring, maxMessageSize, this::onConsume);
        this.readerWait = readerWait;
        this.peerWriterWait = peerWriterWait;
        this.idleStrategy = idleStrategy;
        this.spinNanos = spinNanos;
        this.counters = counters;
        // Closed is part of the condition so that close() from another thread ends a blocked receive.
        this.ready = () -> !ring.isEmpty() || lease.isClosed() || lease.isPeerGone();
    }

    boolean isBusy()
    {
        return receiving.get();
    }

    int receive(final ByteBuffer destination, final long timeoutNanos) throws IpcException
    {
        enter();
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
            exit();
        }
    }

    byte[] receive(final long timeoutNanos) throws IpcException
    {
        enter();
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
            exit();
        }
    }

    IpcMessage receiveBorrowed(final long timeoutNanos) throws IpcException
    {
        enter();
        boolean handed = false;
        try
        {
            final MessageView view = required(awaitMessage(timeoutNanos));
            final ByteBuffer shown = window.show(view);
            lent = view;
            handed = true;
            return new BorrowedMessage(this, ++borrowGeneration, shown, view.length());
        }
        finally
        {
            if (!handed)
            {
                exit();
            }
        }
    }

    /** Whether the borrow of this generation is the one still lent. */
    boolean isLent(final long generation)
    {
        return null != lent && generation == borrowGeneration;
    }

    /**
     * A borrowed message was released: the record goes back to the writer, the receive ends. The release of any
     * other generation than the one lent (a stale handle) does nothing.
     */
    void releaseBorrowed(final long generation)
    {
        if (!isLent(generation))
        {
            return;
        }
        final MessageView view = lent;
        lent = null;
        consumed(view);
        exit();
    }

    int poll(final IpcMessageHandler handler, final int limit, final long timeoutNanos) throws IpcException
    {
        enter();
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
                    handler.onMessage(window.show(view));
                }
                finally
                {
                    consumed(view);
                }
                if (++delivered == limit || lease.isClosed() || null == (view = nextMessage()))
                {
                    return delivered;
                }
            }
        }
        finally
        {
            endBatch();
            exit();
        }
    }

    /**
     * Delivers up to {@code limit} waiting messages to the dispatcher's sink without blocking.
     *
     * @return messages delivered.
     * @throws Exception what the sink threw, or {@link IpcProtocolException} if the peer broke the ring.
     */
    int poll(final Sink sink, final int limit) throws Exception
    {
        enter();
        beginBatch();
        try
        {
            int delivered = 0;
            while (delivered < limit && !lease.isClosed())
            {
                final MessageView view = nextMessage();
                if (null == view)
                {
                    break;
                }
                final boolean more;
                try
                {
                    more = sink.onMessage(view.buffer(), view.index(), view.length());
                }
                finally
                {
                    consumed(view);
                }
                delivered++;
                if (!more)
                {
                    break;
                }
            }
            return delivered;
        }
        finally
        {
            endBatch();
            exit();
        }
    }

    /** Whether the inbound ring holds anything, or the channel or its peer is gone: the dispatcher's check. */
    boolean isReady()
    {
        return ready.isMet();
    }

    /** The dispatcher arms this connection's doorbell: true if data arrived meanwhile (then nothing is armed). */
    boolean arm()
    {
        return readerWait.announceAndCheck(ready);
    }

    /**
     * The dispatcher arms this connection on its wait word, which it sleeps on among others: true if data arrived
     * meanwhile (then nothing is armed).
     */
    boolean armOnWord()
    {
        return readerWait.announceOnWordAndCheck(ready);
    }

    /** The address of the reader's wait word for a dispatcher that sleeps on it, 0 if it cannot. */
    long wordAddress()
    {
        final WakeSignal word = readerWait.wordSignal();
        return null == word ? 0 : word.wordAddress();
    }

    /**
     * Whether a connection armed on its word must be looked at: its client took the announcement (to wake the word),
     * or anything else changed the word, or data or a close is there.
     */
    boolean wordWoken()
    {
        return readerWait.wordVolatile() != WaitProtocol.WAITING_ON_WORD || ready.isMet();
    }

    /** Withdraws the dispatcher's announcement: it is awake and will look at this connection. */
    void disarm()
    {
        readerWait.withdraw();
    }

    /**
     * Consumes the doorbell's pending rings.
     *
     * @return {@code false} if the doorbell's other end is closed.
     */
    boolean drainSignal()
    {
        return readerWait.signal().drain();
    }

    /** Wakes a thread of this process waiting here (close, peer death). */
    void wakeLocalWaiter()
    {
        readerWait.wakeIfWaiting();
    }

    /** Wakes the peer's writer, which may sleep waiting for room in this ring (our close). */
    void wakePeerWriter()
    {
        peerWriterWait.wakeIfWaiting();
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
            if (lease.isClosed())
            {
                throw channel.closedException();
            }
            if (lease.isPeerGone())
            {
                // The peer's last records were released before its close became visible: look once more.
                final MessageView last = nextMessage();
                if (null != last)
                {
                    return last;
                }
                throw new IpcPeerClosedException("peer closed " + channel);
            }
            final WaitProtocol.Outcome outcome;
            try
            {
                outcome = readerWait.await(ready, peerBehind, idleStrategy, spinNanos, remaining);
            }
            catch (final IpcPeerClosedException ex)
            {
                // The doorbell's other end closed: the peer is gone or broke it, either way it ends here.
                lease.peerGone();
                continue;
            }
            counters.countWait(outcome);
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
            // Data arrived but not a whole message (fragments, or the reader's share of one call): wait again with
            // what is left of the time.
            remaining = timeoutNanos - (System.nanoTime() - readerWait.clockStartNanos());
        }
    }

    private MessageView required(final MessageView view) throws IpcTimeoutException
    {
        if (null == view)
        {
            throw new IpcTimeoutException("no message within timeout " + channel);
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
            throw channel.protocolError(ex);
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

    private void onConsume()
    {
        if (batching)
        {
            // One wake check at the end of the batch serves every record it consumed (see endBatch).
            consumedInBatch = true;
            return;
        }
        if (ChannelOutbound.wakePeer(peerWriterWait, segment, !serverSide, processBarrierRegistered))
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

    private void enter() throws IpcException
    {
        if (!receiving.compareAndSet(false, true))
        {
            if (lease.isClosed())
            {
                // Closed with a borrowed message still out: the close is what the caller needs to hear of.
                throw channel.closedException();
            }
            throw new IllegalStateException("another thread is receiving, or a borrowed message is not released: " +
                channel);
        }
        if (lease.isClosed())
        {
            exit();
            throw channel.closedException();
        }
    }

    private void exit()
    {
        // A release store, no fence: a fence here waits for the head just published (and anything else still in this
        // CPU's store buffer) on every receive, between taking a message and whatever the caller does next (in a
        // round trip, its answer). The lease's other parties watch a receiver they read busy (MappingLease.hasLeft).
        receiving.setRelease(false);
        lease.releaseIfLast();
    }
}
