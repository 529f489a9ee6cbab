package ipc.shared.transport;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import ipc.api.IdleStrategy;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.shared.codec.RejectReason;
import ipc.shared.ring.Direction;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;
import ipc.shared.spi.Selectable;

/**
 * The event-driven server: one thread that watches the listener, every connection's control channel and every
 * connection's inbound doorbell through one {@link Multiplexer}, runs the handshakes as non-blocking state machines,
 * and hands messages to the {@link IpcHandler}.
 *
 * <h2>Waiting</h2>
 * A connection whose inbound ring is drained is "armed": its reader wait word announces sleep
 * ({@link ipc.shared.wait.WaitProtocol#announceAndCheck}), so the client's next publish rings its doorbell and the
 * multiplexer reports it. Before arming, connections that just had traffic are spun on for the spin window,
 * so request/response traffic is served without a kernel wake-up; idle connections cost nothing.
 */
final class ServerDispatcher implements ChannelOwner
{
    /** Receives one message of a connection; the dispatcher adapts it to {@link IpcHandler#onMessage}. */
    @FunctionalInterface
    interface MessageSink
    {
        void onMessage(SharedChannel channel, ByteBuffer buffer, int index, int length) throws IpcException;
    }

    private static final System.Logger LOGGER = System.getLogger(ServerDispatcher.class.getName());
    private static final long LISTENER_KEY = 0;
    private static final int BATCH = 64;

    private final SharedServer server;
    private final Platform platform;
    private final ControlListener listener;
    private final IpcOptions options;
    private final IpcHandler handler;
    private final Multiplexer multiplexer;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    private final Map<Long, Connection> byKey = new HashMap<>();
    private final Map<SharedChannel, Connection> byChannel = new IdentityHashMap<>();
    private final List<PendingConnection> pendingHandshakes = new ArrayList<>();
    private final ArrayDeque<Connection> ready = new ArrayDeque<>();
    private final ArrayList<Connection> hot = new ArrayList<>();
    private final ByteBuffer probe = ByteBuffer.allocate(64);
    private final MessageSink sink = this::deliver;
    private final Multiplexer.ReadyHandler onReady = this::onReady;
    private long nextConnectionId = 1;
    private volatile boolean stopping;

    /** A connection and its multiplexer keys: control = id * 2, doorbell = id * 2 + 1. */
    private static final class Connection
    {
        final long id;
        final PendingConnection pending;
        SharedChannel channel;
        Selectable doorbell;
        boolean queued;
        boolean hot;
        boolean closeNotified;
        private ByteBuffer viewedBuffer;
        private ByteBuffer readOnlyView;

        /** A read-only view of the buffer a message sits in, reused while it stays the same buffer. */
        ByteBuffer readOnlyView(final ByteBuffer buffer)
        {
            if (buffer != viewedBuffer)
            {
                viewedBuffer = buffer;
                readOnlyView = buffer.asReadOnlyBuffer();
            }
            return readOnlyView;
        }

        Connection(final long id, final PendingConnection pending)
        {
            this.id = id;
            this.pending = pending;
        }
    }

    ServerDispatcher(final SharedServer server, final Platform platform, final ControlListener listener,
        final IpcOptions options, final IpcHandler handler) throws IpcException
    {
        this.server = server;
        this.platform = platform;
        this.listener = listener;
        this.options = options;
        this.handler = handler;
        this.multiplexer = platform.newMultiplexer();
        this.thread = new Thread(this::run, "ipc-dispatcher-" + server.name());
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** Stops the dispatcher and waits for it to close every connection. Any thread. */
    void stop()
    {
        stopping = true;
        multiplexer.wakeup();
        if (Thread.currentThread() != thread)
        {
            try
            {
                thread.join(10_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    int openConnections()
    {
        return byChannel.size();
    }

    @Override
    public void detach(final SharedChannel channel)
    {
        final IpcException own = channel.closeCause();
        if (Thread.currentThread() == thread)
        {
            release(channel, null != own ? own :
                new IpcClosedException("closed by the server's handler: " + channel));
        }
        else
        {
            tasks.add(() -> release(channel, null != own ? own :
                new IpcClosedException("closed by the server: " + channel)));
            multiplexer.wakeup();
        }
    }

    private void run()
    {
        try
        {
            multiplexer.register(listener, LISTENER_KEY);
            while (!stopping)
            {
                Runnable task;
                while (null != (task = tasks.poll()))
                {
                    task.run();
                }
                if (!ready.isEmpty())
                {
                    dispatchReady();
                    // Keep watching the listener and the hang-ups while busy, without blocking.
                    multiplexer.select(0, onReady);
                    continue;
                }
                if (spinOnHotConnections())
                {
                    continue;
                }
                if (options.idleStrategy() == IdleStrategy.BUSY_SPIN)
                {
                    // Never sleep: keep the hot connections un-armed and only poll the multiplexer.
                    multiplexer.select(0, onReady);
                    expireHandshakes();
                    continue;
                }
                armHotConnections();
                if (!ready.isEmpty())
                {
                    continue;
                }
                multiplexer.select(nextHandshakeTimeout(), onReady);
                expireHandshakes();
            }
        }
        catch (final IpcException | RuntimeException ex)
        {
            LOGGER.log(Level.ERROR, "dispatcher of server=" + server.name() + " failed; closing its connections", ex);
        }
        finally
        {
            shutdown();
        }
    }

    // ---------------------------------------------------------------- readiness

    private void onReady(final long key, final boolean hangUp)
    {
        if (key == LISTENER_KEY)
        {
            acceptAll();
            return;
        }
        final Connection connection = byKey.get(key >>> 1);
        if (null == connection)
        {
            return;
        }
        if ((key & 1) == 1)
        {
            connection.channel.drainInboundSignal();
            queue(connection);
        }
        else if (null == connection.channel)
        {
            advanceHandshake(connection);
        }
        else
        {
            probeControl(connection, hangUp);
        }
    }

    private void acceptAll()
    {
        while (true)
        {
            final ControlChannel control;
            try
            {
                control = listener.accept();
            }
            catch (final IpcException ex)
            {
                LOGGER.log(Level.WARNING, "accept failed on server=" + server.name() + ": " + ex.getMessage());
                return;
            }
            if (null == control)
            {
                return;
            }
            final PendingConnection pending;
            try
            {
                pending = new PendingConnection(platform, control, options);
            }
            catch (final IpcException ex)
            {
                server.rejected(ex);
                control.close();
                continue;
            }
            final Connection connection = new Connection(nextConnectionId++, pending);
            try
            {
                multiplexer.register(control, connection.id << 1);
            }
            catch (final IpcException ex)
            {
                server.rejected(ex);
                pending.abandon();
                continue;
            }
            byKey.put(connection.id, connection);
            pendingHandshakes.add(pending);
            advanceHandshake(connection);
        }
    }

    private void advanceHandshake(final Connection connection)
    {
        final PendingConnection pending = connection.pending;
        final SharedChannel channel;
        try
        {
            channel = pending.advance(byChannel.size());
        }
        catch (final IpcException ex)
        {
            dropHandshake(connection);
            pending.abandon();
            server.rejected(ex);
            return;
        }
        if (null == channel)
        {
            return;
        }
        pendingHandshakes.remove(pending);
        connection.channel = channel;
        channel.owner(this);
        connection.doorbell = channel.resources().readerSignal(Direction.CLIENT_TO_SERVER).selectable();
        try
        {
            if (null != connection.doorbell)
            {
                multiplexer.register(connection.doorbell, (connection.id << 1) | 1);
            }
        }
        catch (final IpcException ex)
        {
            server.rejected(ex);
            byChannel.put(channel, connection);
            channel.close();
            return;
        }
        byChannel.put(channel, connection);
        server.accepted(channel);
        LOGGER.log(Level.DEBUG, () -> "connection open on server=" + server.name() + ": " + channel);
        try
        {
            handler.onOpen(channel);
        }
        catch (final RuntimeException ex)
        {
            LOGGER.log(Level.WARNING, "handler.onOpen failed, closing " + channel, ex);
            channel.close();
            return;
        }
        queue(connection);
    }

    private void probeControl(final Connection connection, final boolean hangUp)
    {
        int read;
        try (ReceivedHandles none = new ReceivedHandles(platform, 0))
        {
            probe.clear();
            read = connection.channel.control().receive(probe, none);
        }
        catch (final IpcException ex)
        {
            read = -1;
        }
        if (read != 0 || hangUp)
        {
            multiplexer.unregister(connection.channel.control());
            connection.channel.onPeerGone();
            // Deliver what it sent before it went; the dispatch then closes the connection.
            queue(connection);
        }
    }

    // ---------------------------------------------------------------- dispatching

    private void queue(final Connection connection)
    {
        if (!connection.queued && null != connection.channel)
        {
            connection.queued = true;
            ready.add(connection);
        }
    }

    private void dispatchReady()
    {
        for (int n = ready.size(); n > 0; n--)
        {
            final Connection connection = ready.poll();
            connection.queued = false;
            final SharedChannel channel = connection.channel;
            if (channel.isClosed())
            {
                continue;
            }
            final int delivered;
            try
            {
                delivered = channel.poll(sink, BATCH);
            }
            catch (final IpcException ex)
            {
                closeWith(connection, ex);
                continue;
            }
            catch (final HandlerFailure ex)
            {
                LOGGER.log(Level.WARNING, "handler.onMessage failed, closing " + channel, ex.getCause());
                closeWith(connection, new IpcProtocolException("handler failed: " + ex.getCause(), ex.getCause()));
                continue;
            }
            if (channel.isClosed())
            {
                continue;
            }
            if (delivered == BATCH)
            {
                queue(connection);
            }
            else if (channel.isPeerGone())
            {
                closeWith(connection, new IpcPeerClosedException("client closed or died: " + channel));
            }
            else if (!connection.hot)
            {
                connection.hot = true;
                hot.add(connection);
            }
        }
    }

    /**
     * Spins on connections that just had traffic, for the spin window, so a request that follows a response is
     * picked up without a doorbell.
     *
     * @return {@code true} if one of them became ready.
     */
    private boolean spinOnHotConnections()
    {
        if (hot.isEmpty() || options.idleStrategy() == IdleStrategy.PARK)
        {
            return false;
        }
        final long spinDeadline = System.nanoTime() + options.spinDuration().toNanos();
        boolean found = false;
        int checks = 0;
        do
        {
            for (int i = 0, size = hot.size(); i < size; i++)
            {
                final Connection connection = hot.get(i);
                if (!connection.channel.isClosed() && connection.channel.inboundReady())
                {
                    queue(connection);
                    found = true;
                }
            }
            if (found || !tasks.isEmpty())
            {
                return found;
            }
            Thread.onSpinWait();
        }
        while ((++checks & 15) != 0 || System.nanoTime() - spinDeadline < 0);
        return false;
    }

    private void armHotConnections()
    {
        for (int i = 0, size = hot.size(); i < size; i++)
        {
            final Connection connection = hot.get(i);
            connection.hot = false;
            if (!connection.channel.isClosed() && connection.channel.armInbound())
            {
                queue(connection);
            }
        }
        hot.clear();
    }

    private void deliver(final SharedChannel channel, final ByteBuffer buffer, final int index, final int length)
    {
        final ByteBuffer view = byChannel.get(channel).readOnlyView(buffer);
        view.clear().position(index).limit(index + length);
        try
        {
            handler.onMessage(channel, view);
        }
        catch (final Exception ex)
        {
            throw new HandlerFailure(ex);
        }
    }

    /** Carries a handler's exception out of the ring's poll loop. */
    private static final class HandlerFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        HandlerFailure(final Exception cause)
        {
            super(cause);
        }
    }

    // ---------------------------------------------------------------- closing

    private void closeWith(final Connection connection, final IpcException cause)
    {
        notifyClose(connection, cause);
        connection.channel.close();
    }

    private void notifyClose(final Connection connection, final IpcException cause)
    {
        if (connection.closeNotified)
        {
            return;
        }
        connection.closeNotified = true;
        LOGGER.log(Level.DEBUG, () -> "connection closed on server=" + server.name() + ": " + cause.getMessage());
        try
        {
            handler.onClose(connection.channel, cause);
        }
        catch (final RuntimeException ex)
        {
            LOGGER.log(Level.WARNING, "handler.onClose failed for " + connection.channel, ex);
        }
    }

    /** On the dispatcher thread: stop watching a closed channel and release its handles. */
    private void release(final SharedChannel channel, final IpcException cause)
    {
        final Connection connection = byChannel.remove(channel);
        if (null == connection)
        {
            channel.releaseControl();
            return;
        }
        notifyClose(connection, cause);
        byKey.remove(connection.id);
        multiplexer.unregister(channel.control());
        if (null != connection.doorbell)
        {
            multiplexer.unregister(connection.doorbell);
        }
        channel.releaseControl();
        server.closed(channel);
    }

    private void dropHandshake(final Connection connection)
    {
        pendingHandshakes.remove(connection.pending);
        byKey.remove(connection.id);
        multiplexer.unregister(connection.pending.control());
    }

    private long nextHandshakeTimeout()
    {
        if (pendingHandshakes.isEmpty())
        {
            return -1;
        }
        long earliest = Long.MAX_VALUE;
        for (final PendingConnection pending : pendingHandshakes)
        {
            earliest = Math.min(earliest, pending.deadlineNanos());
        }
        return Math.max(0, earliest - System.nanoTime());
    }

    private void expireHandshakes()
    {
        if (pendingHandshakes.isEmpty())
        {
            return;
        }
        final long now = System.nanoTime();
        for (final Connection connection : new ArrayList<>(byKey.values()))
        {
            if (null == connection.channel && now - connection.pending.deadlineNanos() >= 0)
            {
                dropHandshake(connection);
                connection.pending.reject(RejectReason.PROTOCOL_ERROR, "handshake timed out: connectTimeout=" +
                    options.connectTimeout());
                server.rejected(new IpcException("handshake timed out: peerPid=" + connection.pending.peer().pid()));
            }
        }
    }

    private void shutdown()
    {
        for (final Connection connection : new ArrayList<>(byKey.values()))
        {
            if (null == connection.channel)
            {
                dropHandshake(connection);
                connection.pending.reject(RejectReason.SHUTTING_DOWN, "server=" + server.name() + " is closing");
            }
        }
        for (final Connection connection : new ArrayList<>(byChannel.values()))
        {
            closeWith(connection, new IpcClosedException("server closed: server=" + server.name()));
        }
        Runnable task;
        while (null != (task = tasks.poll()))
        {
            task.run();
        }
        multiplexer.unregister(listener);
        multiplexer.close();
        listener.close();
    }
}
