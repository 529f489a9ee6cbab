package ipc.shared.transport;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import ipc.api.IpcChannel;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;
import ipc.api.IpcTimeoutException;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;

/**
 * The server, the same on every platform: accept mode runs handshakes on the caller's thread; event-driven mode
 * hands everything to a {@link ServerDispatcher}.
 */
final class SharedServer implements IpcServer
{
    private static final System.Logger LOGGER = System.getLogger(SharedServer.class.getName());

    private enum Mode
    {
        UNDECIDED, ACCEPT, SERVE
    }

    private final Platform platform;
    private final PeerWatcher watcher;
    private final String name;
    private final IpcOptions options;
    private final ControlListener listener;
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final Set<SharedChannel> openChannels = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private IpcStats closedTraffic = IpcStats.ZERO;
    private Mode mode = Mode.UNDECIDED;
    private ServerDispatcher dispatcher;
    private volatile boolean closed;
    /** Accept mode only, guarded by the accept lock. */
    private volatile Multiplexer acceptMultiplexer;
    private HandshakeAdmission admission;
    private final ArrayDeque<SharedChannel> admitted = new ArrayDeque<>();
    private final Multiplexer.ReadyHandler onAcceptReady = (key, hangUp) -> admission.onReady(key);

    SharedServer(final Platform platform, final PeerWatcher watcher, final String name, final IpcOptions options)
        throws IpcException
    {
        this.platform = platform;
        this.watcher = watcher;
        this.name = name;
        this.options = options;
        this.listener = platform.listen(name, options);
        LOGGER.log(Level.DEBUG, () -> "server bound: name=" + name + " address=" + listener.address());
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public IpcChannel accept(final Duration timeout) throws IpcException
    {
        final long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        chooseMode(Mode.ACCEPT);
        try
        {
            if (!acceptLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
            {
                throw new IpcTimeoutException("no connection within timeout=" + timeout + " server=" + name);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IpcTimeoutException("accept interrupted: server=" + name, ex);
        }
        try
        {
            if (closed)
            {
                // close() may have run between this accept's first look and its lock: start nothing for it.
                throw new IpcClosedException("server closed: server=" + name);
            }
            startAdmission();
            while (true)
            {
                if (closed)
                {
                    throw new IpcClosedException("server closed: server=" + name);
                }
                final SharedChannel channel = admitted.poll();
                if (null != channel)
                {
                    try
                    {
                        watcher.watch(channel);
                    }
                    catch (final IpcException | RuntimeException ex)
                    {
                        // Out of the admitted queue, not yet the caller's: nobody else would close it.
                        channel.close();
                        throw ex;
                    }
                    return channel;
                }
                final long now = System.nanoTime();
                admission.doWork(now);
                if (!admitted.isEmpty())
                {
                    continue;
                }
                final long remaining = deadline - now;
                if (remaining <= 0)
                {
                    throw new IpcTimeoutException("no connection within timeout=" + timeout + " server=" + name);
                }
                if (admission.prepareSegment())
                {
                    // While waiting: the next client's segment is made now, not after its HELLO.
                    continue;
                }
                final long handshakeDeadline = admission.nanosToNextDeadline(now);
                acceptMultiplexer.select(handshakeDeadline < 0 ? remaining : Math.min(remaining, handshakeDeadline),
                    onAcceptReady);
            }
        }
        finally
        {
            acceptLock.unlock();
        }
    }

    /** Accept mode: the handshakes run on the accepting thread, all at once, through one multiplexer. */
    private void startAdmission() throws IpcException
    {
        if (null != admission)
        {
            return;
        }
        acceptMultiplexer = platform.newMultiplexer();
        admission = new HandshakeAdmission(name, platform, listener, options, acceptMultiplexer, openChannels::size, true,
            new HandshakeAdmission.Sink()
            {
                @Override
                public void admitted(final long id, final SharedChannel channel)
                {
                    // The peer watcher takes the control channel over.
                    acceptMultiplexer.unregister(channel.control());
                    accepted(channel);
                    admitted.add(channel);
                }

                @Override
                public void rejected(final IpcException cause)
                {
                    SharedServer.this.rejected(cause);
                }

                @Override
                public IpcServerStats stats()
                {
                    return SharedServer.this.stats();
                }
            });
        admission.start();
    }

    @Override
    public void serve(final IpcHandler handler) throws IpcException
    {
        if (null == handler)
        {
            throw new NullPointerException("handler");
        }
        synchronized (this)
        {
            chooseMode(Mode.SERVE);
            if (null != dispatcher)
            {
                throw new IllegalStateException("already serving a handler: server=" + name);
            }
            dispatcher = new ServerDispatcher(this, platform, listener, options, handler);
            dispatcher.start();
        }
    }

    private synchronized void chooseMode(final Mode wanted) throws IpcClosedException
    {
        if (closed)
        {
            throw new IpcClosedException("server closed: server=" + name);
        }
        if (mode == Mode.UNDECIDED)
        {
            mode = wanted;
        }
        else if (mode != wanted)
        {
            throw new IllegalStateException("server is in " + mode + " mode, cannot " + wanted + ": server=" + name);
        }
    }

    void accepted(final SharedChannel channel)
    {
        accepted.incrementAndGet();
        openChannels.add(channel);
        channel.closeListener(this::closed);
    }

    void rejected(final IpcException cause)
    {
        rejected.incrementAndGet();
        LOGGER.log(Level.DEBUG, () -> "connection rejected on server=" + name + ": " + cause.getMessage());
    }

    void closed(final SharedChannel channel)
    {
        if (openChannels.remove(channel))
        {
            synchronized (this)
            {
                closedTraffic = closedTraffic.plus(channel.stats());
            }
        }
    }

    @Override
    public IpcServerStats stats()
    {
        IpcStats traffic;
        synchronized (this)
        {
            traffic = closedTraffic;
        }
        int open = 0;
        for (final SharedChannel channel : openChannels)
        {
            if (channel.isClosed())
            {
                closed(channel);
                traffic = traffic.plus(channel.stats());
            }
            else
            {
                open++;
                traffic = traffic.plus(channel.stats());
            }
        }
        return new IpcServerStats(open, accepted.get(), rejected.get(), traffic);
    }

    @Override
    public boolean isOpen()
    {
        return !closed;
    }

    @Override
    public void close()
    {
        final ServerDispatcher toStop;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            toStop = dispatcher;
        }
        if (null != toStop)
        {
            toStop.stop();
        }
        else
        {
            final Multiplexer accepting = acceptMultiplexer;
            if (null != accepting)
            {
                // End a blocked accept at once; it sees closed and gives the lock up.
                accepting.wakeup();
            }
            acceptLock.lock();
            try
            {
                if (null != admission)
                {
                    admission.shutdown();
                    acceptMultiplexer.close();
                }
                SharedChannel unclaimed;
                while (null != (unclaimed = admitted.poll()))
                {
                    unclaimed.close();
                }
                listener.close();
            }
            finally
            {
                acceptLock.unlock();
            }
        }
        LOGGER.log(Level.DEBUG, () -> "server closed: name=" + name);
    }

    @Override
    public String toString()
    {
        return "server{name=" + name + " address=" + listener.address() + " open=" + !closed + "}";
    }
}
