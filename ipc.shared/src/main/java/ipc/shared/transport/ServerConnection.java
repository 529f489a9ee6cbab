package ipc.shared.transport;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;

import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.shared.ring.Direction;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;
import ipc.shared.spi.Selectable;
import ipc.shared.wait.ArrivalForecast;

/**
 * One open connection of a dispatching server, and the handler of its own events: its doorbell rang, its control
 * channel became readable, it is due for a batch, its spin check, its arming before the dispatcher sleeps.
 *
 * <h2>Containment</h2>
 * Every event enters through {@link #onEvent(int)}, and nothing it runs can escape it: whatever the connection's
 * processing throws (the peer's protocol violations, the handler's exceptions and errors, a fault in its mapping)
 * closes this connection with that reason in {@link IpcHandler#onClose}, and the dispatcher goes on with the others.
 * Only {@link VirtualMachineError}s that say the whole JVM is in trouble pass through (see {@link #isFatal}).
 *
 * <h2>Back-pressure</h2>
 * A reply that does not fit the client's ring is queued by the channel ({@link ChannelOutbound}); from then on this
 * connection's requests are not delivered until the queue is written. The dispatcher retries when the client frees
 * room (its wake-up rings our doorbell), and closes the connection if the queue is still there after
 * {@link ipc.api.IpcOptions#sendTimeout()}.
 */
final class ServerConnection implements ChannelInbound.Sink
{
    static final int DOORBELL = 0;
    static final int CONTROL = 1;
    static final int CONTROL_HANG_UP = 2;
    static final int DISPATCH = 3;
    static final int SPIN_CHECK = 4;
    static final int ARM = 5;
    static final int OPEN = 6;
    static final int PEER_BEHIND = 7;
    /** Arm on the wait word, which the dispatcher sleeps on among others; 1 if ready (nothing armed then). */
    static final int ARM_ON_WORD = 8;
    /** A connection armed on its word: 1 if it must be dispatched (its announcement is withdrawn then). */
    static final int WORD_CHECK = 9;
    /** Withdraw an announcement on the word. */
    static final int DISARM = 10;

    /** Messages delivered per turn, so that one busy client cannot starve the others. */
    static final int BATCH = 64;

    private static final System.Logger LOGGER = System.getLogger(ServerConnection.class.getName());

    final long id;
    final SharedChannel channel;
    private final ServerDispatcher dispatcher;
    private final IpcHandler handler;
    private final Platform platform;
    private final ByteBuffer probe;
    private final Selectable doorbell;
    private final ChannelInbound inbound;
    private final ChannelOutbound outbound;
    private final long sendTimeoutNanos;
    /** The address of the inbound reader's wait word for a dispatcher that sleeps on words, 0 if it cannot. */
    final long wordAddress;
    boolean queued;
    boolean hot;
    /** Armed on its word, in the dispatcher's sleepers (see {@link ServerDispatcher}). */
    boolean sleeping;
    /**
     * When this client's requests are due, if the dispatcher forecasts paced arrivals; {@code null} if it does not.
     * Used by the dispatcher's thread only.
     */
    final ArrivalForecast forecast;
    /**
     * In the dispatcher's forecast spinners: off its word, spun on for its forecast request until the forecast's
     * give-up time.
     */
    boolean forecastSpinning;
    private boolean backpressured;
    /** The handler closed the channel while replies were queued: close once they are written. */
    private boolean closingWhenWritten;
    private long backpressuredSinceNanos;
    private boolean controlWatched = true;
    private boolean doorbellWatched = true;
    private boolean closeNotified;
    private ByteBuffer viewedBuffer;
    private ByteBuffer readOnlyView;

    ServerConnection(
        final long id,
        final SharedChannel channel,
        final ServerDispatcher dispatcher,
        final IpcHandler handler,
        final Platform platform,
        final ByteBuffer probe,
        final Duration sendTimeout,
        final boolean forecast)
    {
        this.id = id;
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.handler = handler;
        this.platform = platform;
        this.probe = probe;
        this.inbound = channel.inbound();
        this.outbound = channel.outbound();
        this.doorbell = channel.resources().readerSignal(Direction.CLIENT_TO_SERVER).selectable();
        this.sendTimeoutNanos = sendTimeout.toNanos();
        this.wordAddress = inbound.wordAddress();
        this.forecast = forecast ? new ArrivalForecast() : null;
    }

    Selectable doorbell()
    {
        return doorbell;
    }

    /** The dispatcher takes this connection off its sleepers: withdraws the announcement on the word. */
    void wake()
    {
        sleeping = false;
        onEvent(DISARM);
    }

    boolean isBackpressured()
    {
        return backpressured;
    }

    /**
     * Runs one event of this connection; whatever it throws closes this connection only.
     *
     * @param event one of the event constants.
     * @return work done (0 when nothing happened); for {@link #SPIN_CHECK}, {@link #ARM}, {@link #ARM_ON_WORD} and
     *         {@link #WORD_CHECK}, 1 if the connection is ready to be dispatched; for {@link #PEER_BEHIND}, 1 if the
     *         client has yet to take all we sent.
     */
    int onEvent(final int event)
    {
        if (channel.isClosed())
        {
            return 0;
        }
        try
        {
            switch (event)
            {
                case DOORBELL:
                    return onDoorbell();
                case CONTROL:
                case CONTROL_HANG_UP:
                    return onControl(event == CONTROL_HANG_UP);
                case DISPATCH:
                    return dispatch();
                case SPIN_CHECK:
                    return !backpressured && inbound.isReady() ? 1 : 0;
                case ARM:
                    return backpressured ? 0 : (inbound.arm() ? 1 : 0);
                case OPEN:
                    handler.onOpen(channel);
                    return 1;
                case PEER_BEHIND:
                    return channel.peerBehind() ? 1 : 0;
                case ARM_ON_WORD:
                    return inbound.armOnWord() ? 1 : 0;
                case DISARM:
                    inbound.disarm();
                    return 0;
                case WORD_CHECK:
                    if (inbound.wordWoken())
                    {
                        inbound.disarm();
                        return 1;
                    }
                    return 0;
                default:
                    throw new IllegalArgumentException("unknown event: event=" + event);
            }
        }
        catch (final Throwable failure)
        {
            if (isFatal(failure))
            {
                throw (VirtualMachineError)failure;
            }
            if ((DISPATCH == event || OPEN == event) && failure instanceof IpcPeerClosedException &&
                !channel.isClosed() && channel.isPeerGone())
            {
                // The handler's reply found the client gone. What the client sent before it went is still delivered,
                // as a socket's reader still reads what was written before the writer closed; the dispatch that
                // finds the ring empty closes the connection with the client's close. Each turn consumed a message.
                dispatcher.queue(this);
                return 1;
            }
            fail(event, failure);
            return 1;
        }
    }

    /**
     * Whether a throwable means the JVM, not this connection, is in trouble. A stack overflow in the handler, an
     * internal error from a faulting mapping, or an allocation this connection made are its own.
     */
    static boolean isFatal(final Throwable failure)
    {
        return failure instanceof VirtualMachineError && !(failure instanceof StackOverflowError) &&
            !(failure instanceof InternalError) && !(failure instanceof OutOfMemoryError);
    }

    private int onDoorbell()
    {
        if (!inbound.drainSignal())
        {
            // The client closed its end of the doorbell: it died, closed, or breaks the protocol. It would read as
            // ready forever, so it is not watched any more; what the client sent before is still delivered, then
            // the dispatch closes the connection, as for the end of its control channel.
            dispatcher.unwatchDoorbell(this);
            doorbellWatched = false;
            channel.onPeerGone();
        }
        dispatcher.queue(this);
        return 1;
    }

    private int onControl(final boolean hangUp)
    {
        int read;
        try (ReceivedHandles none = new ReceivedHandles(platform, 0))
        {
            probe.clear();
            read = channel.control().receive(probe, none);
        }
        catch (final IpcException ex)
        {
            read = -1;
        }
        if (read != 0 || hangUp)
        {
            // After the handshake nothing may arrive: any byte, or the end of stream, ends the peer.
            dispatcher.unwatchControl(this);
            controlWatched = false;
            channel.onPeerGone();
            // Deliver what it sent before it went; the dispatch then closes the connection.
            dispatcher.queue(this);
        }
        return 1;
    }

    boolean controlWatched()
    {
        return controlWatched;
    }

    /** Whether the doorbell is still registered with the dispatcher's multiplexer. */
    boolean doorbellWatched()
    {
        return doorbellWatched && null != doorbell;
    }

    private int dispatch() throws Exception
    {
        if (backpressured && !relieve())
        {
            return 0;
        }
        if (closingWhenWritten)
        {
            // The queued replies are in the client's ring: the close the handler asked for.
            channel.closeNow();
            return 1;
        }
        // Read before the poll, never after it: the client publishes its last records before its close becomes
        // visible, so a close seen here has its records in the ring for this poll. Read after, a client that sent
        // and closed between the poll's last look and the read would lose what it sent.
        final boolean peerGone = channel.isPeerGone();
        final int delivered = inbound.poll(this, BATCH);
        if (delivered > 0)
        {
            dispatcher.delivered(this);
        }
        if (channel.isClosed())
        {
            return delivered;
        }
        if (outbound.hasPending())
        {
            backpressured(System.nanoTime());
        }
        else if (delivered == BATCH)
        {
            dispatcher.queue(this);
        }
        else if (peerGone)
        {
            closeWith(new IpcPeerClosedException("client closed or died: " + channel));
        }
        else
        {
            dispatcher.makeHot(this);
        }
        return delivered;
    }

    @Override
    public boolean onMessage(final ByteBuffer buffer, final int index, final int length) throws Exception
    {
        final ByteBuffer view = readOnlyView(buffer);
        view.clear().position(index).limit(index + length);
        handler.onMessage(channel, view);
        // A reply that did not fit: no more requests from this client until it reads.
        return !outbound.hasPending();
    }

    /**
     * The channel was closed with replies queued ({@link SharedChannel#close()}): no request is delivered any more,
     * and the next dispatch after the queue is written closes it; the back-pressure deadline and the client's leaving
     * close it earlier, dropping the rest.
     */
    void closeWhenWritten()
    {
        closingWhenWritten = true;
        // Queues it: if the queue was written meanwhile, the dispatch closes it at once.
        backpressured(System.nanoTime());
    }

    /** The channel queued a reply: stop delivering this client's requests until it is written. */
    void backpressured(final long nowNanos)
    {
        if (!backpressured)
        {
            backpressured = true;
            backpressuredSinceNanos = nowNanos;
            dispatcher.watchBackpressure(this);
        }
        dispatcher.queue(this);
    }

    /**
     * Writes what it can of the queue.
     *
     * @return {@code true} if the queue is empty and requests may be delivered again.
     */
    private boolean relieve() throws IpcException
    {
        if (channel.isPeerGone())
        {
            // The client left: the queue can reach nobody, but what the client sent before it left is still
            // delivered (the dispatch goes on), as over a socket.
            outbound.discardPending();
            outbound.disarmForRoom();
            backpressured = false;
            dispatcher.unwatchBackpressure(this);
            return true;
        }
        if (outbound.flushPending())
        {
            outbound.disarmForRoom();
            backpressured = false;
            dispatcher.unwatchBackpressure(this);
            // A producer on this thread that stopped for room goes on (the call layer's streams).
            channel.queueWritten();
            return true;
        }
        if (outbound.isBusyAndWillSeeQueue())
        {
            // Another sender (a worker's reply) holds the send lock: it writes the queue or tells us when it leaves.
            return false;
        }
        if (outbound.armForRoom())
        {
            // Room appeared between the write and the announcement, or the lock was given back meanwhile: try again
            // on the next turn.
            dispatcher.queue(this);
        }
        return false;
    }

    /** Whether the client made room for the head of the queue, or left (a hint: the dispatch decides). */
    boolean hasRoomForQueue()
    {
        return outbound.hasRoomOrGone();
    }

    /**
     * How long until the back-pressure deadline.
     *
     * @return nanoseconds, 0 if past.
     */
    long nanosToBackpressureDeadline(final long nowNanos)
    {
        return Math.max(0, backpressuredSinceNanos + sendTimeoutNanos - nowNanos);
    }

    /**
     * Closes the connection if its client has not freed room for the queued replies within the send timeout.
     *
     * @return nanoseconds until this connection's deadline, or 0 if it was closed.
     */
    long expireBackpressure(final long nowNanos)
    {
        final long remaining = backpressuredSinceNanos + sendTimeoutNanos - nowNanos;
        if (remaining > 0)
        {
            return remaining;
        }
        closeWith(new IpcClosedException("client does not read its replies: no room for them within sendTimeout=" +
            Duration.ofNanos(sendTimeoutNanos) + " " + channel));
        return 0;
    }

    /** Closes the connection with a reason the handler's onClose receives. */
    void closeWith(final IpcException cause)
    {
        notifyClose(cause);
        channel.closeWith(cause);
    }

    /** Tells the handler once, whatever closed the connection. */
    void notifyClose(final IpcException cause)
    {
        if (closeNotified)
        {
            return;
        }
        closeNotified = true;
        dispatcher.logClose(cause);
        try
        {
            handler.onClose(channel, cause);
        }
        catch (final Throwable failure)
        {
            if (isFatal(failure))
            {
                throw failure;
            }
            LOGGER.log(Level.WARNING, "handler.onClose failed for " + channel, failure);
        }
    }

    private void fail(final int event, final Throwable failure)
    {
        final IpcException cause;
        if (failure instanceof IpcException && channel.isClosed() && null != channel.closeCause())
        {
            cause = channel.closeCause();
        }
        else if (failure instanceof IpcProtocolException || failure instanceof IpcPeerClosedException)
        {
            cause = (IpcException)failure;
        }
        else
        {
            final String during = event == OPEN ? "handler.onOpen" : event == DISPATCH ? "handler.onMessage" :
                "connection processing";
            LOGGER.log(Level.WARNING, during + " failed, closing " + channel, failure);
            cause = new IpcProtocolException(during + " failed: " + failure, failure);
        }
        closeWith(cause);
    }

    /** A read-only view of the buffer a message sits in, reused while it stays the same buffer. */
    private ByteBuffer readOnlyView(final ByteBuffer buffer)
    {
        if (buffer != viewedBuffer)
        {
            viewedBuffer = buffer;
            readOnlyView = buffer.asReadOnlyBuffer();
        }
        return readOnlyView;
    }
}
