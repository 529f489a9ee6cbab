package ipc.shared.call;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import ipc.api.IpcException;
import ipc.api.call.CallDispatcher;

/**
 * The thread that reads the channels of many {@link ChannelCallClient}s: parked while none has work, blocked in the
 * one channel's wait protocol while one has, sweeping them with a bounded back-off while several have (the policy and
 * its latency cost are documented on {@link CallDispatcher}).
 *
 * <p>A client with work to do {@link #signal() signals} after it made its work visible; the thread parks only through
 * {@link LockSupport}, whose permit keeps a signal given before the park, so no signal is lost.
 */
final class ClientDispatcher implements CallDispatcher, Runnable
{
    private static final Logger LOGGER = System.getLogger(ClientDispatcher.class.getName());

    /** Idle sweeps spent spinning before the back-off yields. */
    private static final int SPIN_SWEEPS = 64;
    /** Idle sweeps spent yielding before the back-off parks. */
    private static final int YIELD_SWEEPS = 8;
    /** First back-off park: 1 µs, doubled per idle sweep up to {@link CallDispatcher#MAX_BLOCK_NANOS}. */
    private static final long FIRST_PARK_NANOS = 1_000;
    /**
     * How long the thread spins for new work before it parks, when the last call completed: the default spin window
     * of a channel (IpcOptions.DEFAULT_SPIN_DURATION, 50 µs), so a caller making calls one after another does not pay
     * a wake-up of this thread per call.
     */
    static final long IDLE_SPIN_NANOS = 50_000;

    private final CopyOnWriteArrayList<ChannelCallClient> clients = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean open = true;

    ClientDispatcher(final String name, final boolean daemon)
    {
        thread = new Thread(this, name);
        thread.setDaemon(daemon);
        thread.start();
    }

    /**
     * Adds a client; it is read from its first pending call on. Atomic with {@link #close()}'s turning away of new
     * clients: a client added here is one that close closes.
     *
     * @throws IllegalStateException if the dispatcher is closed.
     */
    void add(final ChannelCallClient client)
    {
        synchronized (clients)
        {
            if (!open)
            {
                throw new IllegalStateException("call dispatcher closed: " + thread.getName());
            }
            clients.add(client);
        }
    }

    /** Removes a client (it closed). */
    void remove(final ChannelCallClient client)
    {
        clients.remove(client);
    }

    /** @return whether the caller is this dispatcher's thread (a completion running on it). */
    boolean isDispatcherThread()
    {
        return Thread.currentThread() == thread;
    }

    /** A client got work: wake the thread if it is parked. */
    void signal()
    {
        LockSupport.unpark(thread);
    }

    @Override
    public void run()
    {
        int idleSweeps = 0;
        while (open)
        {
            ChannelCallClient only = null;
            int busy = 0;
            for (final ChannelCallClient client : clients)
            {
                if (client.hasWork())
                {
                    only = client;
                    busy++;
                }
            }
            if (0 == busy)
            {
                idleSweeps = 0;
                if (!spinForWork())
                {
                    LockSupport.park(this);
                }
                continue;
            }
            if (1 == busy)
            {
                idleSweeps = 0;
                drive(only, Math.min(MAX_BLOCK_NANOS, only.nanosToNextDeadline()));
                continue;
            }
            int handled = 0;
            for (final ChannelCallClient client : clients)
            {
                if (client.hasWork())
                {
                    handled += drive(client, 0);
                }
            }
            idleSweeps = 0 == handled ? idleSweeps + 1 : 0;
            backOff(idleSweeps);
        }
    }

    /** Spins up to {@link #IDLE_SPIN_NANOS} until a client has work; whether one has. */
    private boolean spinForWork()
    {
        final long start = System.nanoTime();
        do
        {
            for (final ChannelCallClient client : clients)
            {
                if (client.hasWork())
                {
                    return true;
                }
            }
            Thread.onSpinWait();
        }
        while (open && System.nanoTime() - start < IDLE_SPIN_NANOS);
        return false;
    }

    private int drive(final ChannelCallClient client, final long timeoutNanos)
    {
        try
        {
            return client.pollOnce(timeoutNanos);
        }
        catch (final IpcException ex)
        {
            // The client failed its calls with it and left; the others carry on.
            LOGGER.log(Level.DEBUG, "call client closed: " + client + " cause=" + ex);
            return 0;
        }
        catch (final RuntimeException ex)
        {
            LOGGER.log(Level.WARNING, "call client failed, closing it: " + client, ex);
            client.close();
            return 0;
        }
    }

    private static void backOff(final int idleSweeps)
    {
        if (0 == idleSweeps)
        {
            return;
        }
        if (idleSweeps <= SPIN_SWEEPS)
        {
            Thread.onSpinWait();
        }
        else if (idleSweeps <= SPIN_SWEEPS + YIELD_SWEEPS)
        {
            Thread.yield();
        }
        else
        {
            final int doublings = Math.min(30, idleSweeps - SPIN_SWEEPS - YIELD_SWEEPS - 1);
            LockSupport.parkNanos(Math.min(MAX_BLOCK_NANOS, FIRST_PARK_NANOS << doublings));
        }
    }

    @Override
    public int clientCount()
    {
        return clients.size();
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    @Override
    public void close()
    {
        synchronized (clients)
        {
            if (!open)
            {
                return;
            }
            // From now on add() refuses: every client added before is in the list closed below.
            open = false;
        }
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread)
        {
            try
            {
                thread.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        for (final ChannelCallClient client : clients)
        {
            client.close();
        }
        clients.clear();
    }

    @Override
    public String toString()
    {
        return "CallDispatcher{thread=" + thread.getName() + ", clients=" + clients.size() + '}';
    }
}
