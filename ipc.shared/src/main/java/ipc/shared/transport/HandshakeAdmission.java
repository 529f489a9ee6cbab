package ipc.shared.transport;

import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcServerStats;
import ipc.api.IpcTimeoutException;
import ipc.shared.codec.RejectReason;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;

/**
 * Admits new connections for one server, on one thread, over one {@link Multiplexer}: accepts from the listener,
 * advances each handshake as a non-blocking state machine ({@link PendingConnection}) when its control channel is
 * readable, expires those past their connect timeout, and hands completed channels to a {@link Sink}. Used by the
 * event-driven dispatcher and by {@code accept} alike, so a silent or slow client never holds up another.
 *
 * <h2>What a client may cost before it is admitted</h2>
 * <ul>
 *   <li>At most {@link #MAX_PENDING_HANDSHAKES} handshakes are in progress; while that many are, the listener is not
 *       watched, and further clients wait in the kernel's backlog.</li>
 *   <li>A segment is created only for a HELLO that passes the version and connection checks, and handshakes that
 *       hold a segment count against {@link IpcOptions#maxConnections()} as open connections do.</li>
 *   <li>Every handshake ends within {@link IpcOptions#connectTimeout()}: expiry is checked on every turn of the
 *       owner's loop, whatever woke it.</li>
 *   <li>A STATS request (sent instead of HELLO) passes the same uid check and counts against the same cap; it is
 *       answered with {@link Sink#stats()} and its connection closed, without a segment.</li>
 *   <li>An accept that fails (out of descriptors: EMFILE, ENFILE) stops watching the listener for
 *       {@link #ACCEPT_BACKOFF_NANOS} instead of spinning on it.</li>
 * </ul>
 *
 * <p>Keys: the listener is registered with key {@code 0}; a handshake's control channel with {@code id * 2}, ids
 * counting from 1. The owner keeps that registration when it takes the channel over, or unregisters it.
 */
final class HandshakeAdmission
{
    /** Handshakes in progress at once; more clients wait in the listener's backlog. */
    static final int MAX_PENDING_HANDSHAKES = 64;

    /** How long the listener is left alone after an accept failed. */
    static final long ACCEPT_BACKOFF_NANOS = 100_000_000L;

    /** Connections accepted per turn, so that a burst of connects does not starve open connections. */
    private static final int ACCEPTS_PER_TURN = 16;

    static final long LISTENER_KEY = 0;

    /** Receives the outcome of each handshake, on the admitting thread. */
    interface Sink
    {
        /**
         * A client completed its handshake; its control channel is still registered under {@code id * 2}.
         *
         * @param id      the connection's id.
         * @param channel the open channel, now owned by the sink.
         */
        void admitted(long id, SharedChannel channel);

        /**
         * A client was refused or its handshake failed; everything it held is released.
         *
         * @param cause why.
         */
        void rejected(IpcException cause);

        /**
         * The server's counters, to answer a STATS request.
         *
         * @return a snapshot.
         */
        IpcServerStats stats();
    }

    private static final System.Logger LOGGER = System.getLogger(HandshakeAdmission.class.getName());

    private final String serverName;
    private final Platform platform;
    private final ControlListener listener;
    private final IpcOptions options;
    private final Multiplexer multiplexer;
    private final IntSupplier openConnections;
    private final Sink sink;
    /** In arrival order, which is deadline order: every handshake gets the same connect timeout. */
    private final LinkedHashMap<Long, PendingConnection> pending = new LinkedHashMap<>();
    private final PreparedSegments segments;
    private long nextId = 1;
    private int welcomed;
    private boolean listenerWatched;
    private long listenerResumeNanos;
    private boolean acceptFailureLogged;
    /**
     * Whether the admitted channels' waits run the process barrier: yes for channels handed to their own threads,
     * no for a dispatcher's, which arms connections one by one and would run it for each (see
     * {@link ipc.shared.wait.ProcessBarrier}).
     */
    private final boolean waitsRunBarrier;

    HandshakeAdmission(
        final String serverName,
        final Platform platform,
        final ControlListener listener,
        final IpcOptions options,
        final Multiplexer multiplexer,
        final IntSupplier openConnections,
        final boolean waitsRunBarrier,
        final Sink sink)
    {
        this.waitsRunBarrier = waitsRunBarrier;
        this.serverName = serverName;
        this.platform = platform;
        this.listener = listener;
        this.options = options;
        this.multiplexer = multiplexer;
        this.openConnections = openConnections;
        this.sink = sink;
        this.segments = new PreparedSegments(platform, options);
    }

    /**
     * Prepares a segment for the next client if fewer than the bound are ready (see {@link PreparedSegments}): call
     * it only when the loop has nothing else to do, since it takes as long as creating a segment.
     *
     * @return {@code true} if it prepared one; the caller looks for work again before calling it once more.
     */
    boolean prepareSegment()
    {
        return segments.prepareOne();
    }

    /** Starts watching the listener. */
    void start() throws IpcException
    {
        watchListener();
    }

    /** Whether {@link #doWork} may have something to do: handshakes to expire, or a listener to resume. */
    boolean hasTimedWork()
    {
        return !pending.isEmpty() || !listenerWatched;
    }

    int pendingCount()
    {
        return pending.size();
    }

    /** Whether a key belongs to a handshake in progress. */
    boolean owns(final long key)
    {
        return key == LISTENER_KEY || pending.containsKey(key >>> 1);
    }

    /**
     * The multiplexer reported a key this admission owns.
     *
     * @return work done.
     */
    int onReady(final long key)
    {
        if (key == LISTENER_KEY)
        {
            return acceptSome();
        }
        final PendingConnection connection = pending.get(key >>> 1);
        if (null == connection)
        {
            return 0;
        }
        advance(key >>> 1, connection);
        return 1;
    }

    /**
     * Expires handshakes past their deadline and resumes a listener that was backed off. Cheap when there is
     * nothing to do: call it on every turn of the loop.
     *
     * @param nowNanos {@link System#nanoTime()}.
     * @return work done.
     */
    int doWork(final long nowNanos)
    {
        int work = 0;
        final Iterator<Map.Entry<Long, PendingConnection>> it = pending.entrySet().iterator();
        while (it.hasNext())
        {
            final Map.Entry<Long, PendingConnection> entry = it.next();
            final PendingConnection connection = entry.getValue();
            if (nowNanos - connection.deadlineNanos() < 0)
            {
                break;
            }
            it.remove();
            forget(connection);
            connection.reject(RejectReason.PROTOCOL_ERROR, "handshake timed out: connectTimeout=" +
                options.connectTimeout());
            sink.rejected(new IpcTimeoutException("handshake timed out: peerPid=" + connection.peer().pid() +
                " connectTimeout=" + options.connectTimeout()));
            work++;
        }
        if (!listenerWatched && pending.size() < MAX_PENDING_HANDSHAKES && nowNanos - listenerResumeNanos >= 0)
        {
            try
            {
                watchListener();
                work++;
            }
            catch (final IpcException ex)
            {
                backOff(nowNanos, ex);
            }
        }
        return work;
    }

    /**
     * How long the owner may block before {@link #doWork} has something to do.
     *
     * @param nowNanos {@link System#nanoTime()}.
     * @return nanoseconds, or -1 for no limit.
     */
    long nanosToNextDeadline(final long nowNanos)
    {
        long earliest = Long.MAX_VALUE;
        if (!pending.isEmpty())
        {
            earliest = pending.values().iterator().next().deadlineNanos() - nowNanos;
        }
        if (!listenerWatched && pending.size() < MAX_PENDING_HANDSHAKES)
        {
            earliest = Math.min(earliest, listenerResumeNanos - nowNanos);
        }
        return earliest == Long.MAX_VALUE ? -1 : Math.max(0, earliest);
    }

    /** Refuses every handshake in progress and stops watching the listener (the server closes). */
    void shutdown()
    {
        for (final PendingConnection connection : pending.values())
        {
            forget(connection);
            connection.reject(RejectReason.SHUTTING_DOWN, "server=" + serverName + " is closing");
        }
        pending.clear();
        segments.close();
        if (listenerWatched)
        {
            multiplexer.unregister(listener);
            listenerWatched = false;
        }
    }

    private int acceptSome()
    {
        int accepted = 0;
        while (listenerWatched && accepted < ACCEPTS_PER_TURN)
        {
            if (pending.size() >= MAX_PENDING_HANDSHAKES)
            {
                // Resumed by doWork once a handshake ends; meanwhile clients wait in the backlog.
                multiplexer.unregister(listener);
                listenerWatched = false;
                break;
            }
            final ControlChannel control;
            try
            {
                control = listener.accept();
            }
            catch (final IpcException ex)
            {
                multiplexer.unregister(listener);
                listenerWatched = false;
                backOff(System.nanoTime(), ex);
                break;
            }
            if (null == control)
            {
                break;
            }
            accepted++;
            admit(control);
        }
        return accepted;
    }

    private void admit(final ControlChannel control)
    {
        final PendingConnection connection;
        try
        {
            connection = new PendingConnection(platform, control, options, segments, waitsRunBarrier);
        }
        catch (final IpcException ex)
        {
            control.close();
            sink.rejected(ex);
            return;
        }
        final long id = nextId++;
        try
        {
            multiplexer.register(control, id << 1);
        }
        catch (final IpcException ex)
        {
            connection.abandon();
            sink.rejected(ex);
            return;
        }
        pending.put(id, connection);
        advance(id, connection);
    }

    private void advance(final long id, final PendingConnection connection)
    {
        final boolean wasWelcomed = connection.isWelcomed();
        SharedChannel channel = null;
        IpcException failure = null;
        try
        {
            channel = connection.advance(openConnections.getAsInt() + welcomed, sink::stats);
        }
        catch (final IpcException ex)
        {
            failure = ex;
        }
        catch (final RuntimeException ex)
        {
            // A platform bug or input nobody foresaw: it ends this handshake, not the server.
            failure = new IpcException("handshake failed: " + ex, ex);
        }
        if (!wasWelcomed && connection.isWelcomed())
        {
            // It holds a segment now: it counts against maxConnections until it ends.
            welcomed++;
        }
        if (null != failure)
        {
            pending.remove(id);
            forget(connection);
            connection.abandon();
            sink.rejected(failure);
        }
        else if (connection.isAnswered())
        {
            // A STATS request: answered, nothing was created, and it is neither an accepted nor a refused connection.
            pending.remove(id);
            forget(connection);
            connection.abandon();
        }
        else if (null != channel)
        {
            pending.remove(id);
            welcomed--;
            sink.admitted(id, channel);
        }
    }

    /** Stops watching a handshake that ends here (rejected, failed or expired). */
    private void forget(final PendingConnection connection)
    {
        if (connection.isWelcomed())
        {
            welcomed--;
        }
        multiplexer.unregister(connection.control());
    }

    private void watchListener() throws IpcException
    {
        multiplexer.register(listener, LISTENER_KEY);
        listenerWatched = true;
        acceptFailureLogged = false;
    }

    private void backOff(final long nowNanos, final IpcException cause)
    {
        listenerResumeNanos = nowNanos + ACCEPT_BACKOFF_NANOS;
        if (!acceptFailureLogged)
        {
            acceptFailureLogged = true;
            LOGGER.log(Level.WARNING, "accept failed on server=" + serverName + ", retrying in " +
                ACCEPT_BACKOFF_NANOS / 1_000_000 + " ms: " + cause.getMessage());
        }
    }
}
