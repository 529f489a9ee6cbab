package ipc.shared.transport;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import ipc.api.IpcException;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;

/**
 * One thread per transport that watches the control channels of the channels nobody else watches (clients, and
 * the server side of channels returned by {@code accept}), and turns their end of stream into
 * {@link SharedChannel#onPeerGone()}: a peer that closes or dies wakes every thread of this process blocked on that
 * channel. Idle, it sleeps in the multiplexer and costs nothing. Started on first use.
 */
final class PeerWatcher implements ChannelOwner
{
    private static final System.Logger LOGGER = System.getLogger(PeerWatcher.class.getName());

    private final Platform platform;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<Long, SharedChannel> channels = new HashMap<>();
    private final Map<SharedChannel, Long> keys = new HashMap<>();
    private final ByteBuffer probe = ByteBuffer.allocate(64);
    private Multiplexer multiplexer;
    private Thread thread;
    private boolean stopping;
    /** The thread has ended (stopped, or failed): tasks are run by their submitter instead. */
    private boolean stopped;
    private long nextKey;

    PeerWatcher(final Platform platform)
    {
        this.platform = platform;
    }

    /**
     * Starts watching a channel; from now on this watcher owns its control channel.
     */
    synchronized void watch(final SharedChannel channel) throws IpcException
    {
        if (stopping)
        {
            throw new IpcException("transport closed");
        }
        if (null == thread)
        {
            multiplexer = platform.newMultiplexer();
            thread = new Thread(this::run, "ipc-peer-watcher");
            thread.setDaemon(true);
            thread.start();
        }
        if (stopped)
        {
            throw new IpcException("peer watcher stopped: peers' deaths can no longer be seen");
        }
        channel.owner(this);
        submit(() -> register(channel));
    }

    @Override
    public void detach(final SharedChannel channel)
    {
        if (!submit(() -> unregisterAndRelease(channel)))
        {
            // Nobody watches it any more: release it here, so its handles and mapping are not kept forever.
            channel.releaseControl();
        }
    }

    /** Stops the thread; channels still watched get their control channels released. */
    void stop()
    {
        final Thread running;
        synchronized (this)
        {
            stopping = true;
            running = thread;
            if (null != running)
            {
                multiplexer.wakeup();
            }
        }
        // Joined outside the lock: the watcher takes it to see that it must stop.
        if (null != running && running != Thread.currentThread())
        {
            try
            {
                running.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Hands a task to the thread.
     *
     * @return {@code false} if the thread has ended and the task was not taken.
     */
    private synchronized boolean submit(final Runnable task)
    {
        if (stopped)
        {
            return false;
        }
        tasks.add(task);
        if (null != multiplexer)
        {
            multiplexer.wakeup();
        }
        return true;
    }

    private void run()
    {
        try
        {
            while (true)
            {
                Runnable task;
                while (null != (task = tasks.poll()))
                {
                    task.run();
                }
                synchronized (this)
                {
                    if (stopping)
                    {
                        break;
                    }
                }
                multiplexer.select(-1, this::onReady);
            }
        }
        catch (final Throwable failure)
        {
            LOGGER.log(Level.ERROR, "peer watcher failed; its channels are treated as closed by their peers", failure);
        }
        finally
        {
            synchronized (this)
            {
                stopped = true;
            }
            Runnable task;
            while (null != (task = tasks.poll()))
            {
                task.run();
            }
            for (final SharedChannel channel : channels.values().toArray(new SharedChannel[0]))
            {
                channel.onPeerGone();
                unregisterAndRelease(channel);
            }
            multiplexer.close();
        }
    }

    private void register(final SharedChannel channel)
    {
        if (channel.isClosed())
        {
            // Closed before we got here: its detach task follows and releases it.
            return;
        }
        final long key = nextKey++;
        try
        {
            multiplexer.register(channel.control(), key);
            channels.put(key, channel);
            keys.put(channel, key);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.WARNING, "cannot watch " + channel + ": " + ex.getMessage());
        }
    }

    private void unregisterAndRelease(final SharedChannel channel)
    {
        forget(channel);
        channel.releaseControl();
    }

    private void forget(final SharedChannel channel)
    {
        final Long key = keys.remove(channel);
        if (null != key)
        {
            channels.remove(key);
            multiplexer.unregister(channel.control());
        }
    }

    private void onReady(final long key, final boolean hangUp)
    {
        final SharedChannel channel = channels.get(key);
        if (null == channel)
        {
            return;
        }
        // After the handshake nothing may arrive: any byte, or the end of stream, ends the peer.
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
            if (read > 0)
            {
                LOGGER.log(Level.WARNING, "unexpected bytes on the control channel after the handshake: " + channel);
            }
            LOGGER.log(Level.DEBUG, () -> "peer gone: " + channel);
            forget(channel);
            channel.onPeerGone();
        }
    }
}
