package ipc.shared.transport;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import ipc.api.IdleStrategy;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServerStats;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;
import ipc.shared.wait.ArrivalForecast;
import ipc.shared.wait.WaitProtocol;

/**
 * The event-driven server: one thread that watches the listener, every connection's control channel and every
 * connection's inbound doorbell through one {@link Multiplexer}, admits clients through a
 * {@link HandshakeAdmission}, and lets each {@link ServerConnection} handle its own events.
 *
 * <h2>The loop</h2>
 * As an Agrona agent: {@link #doWork()} runs queued tasks, expiries, ready connections and a non-blocking look at
 * the multiplexer, and returns how much it did; when it did nothing, {@link #idle()} applies the idle strategy beside
 * it. The dispatcher never waits on a peer: a connection whose client does not read its replies is back-pressured
 * (not polled) instead, see {@link ServerConnection}.
 *
 * <h2>Waiting</h2>
 * A connection whose inbound ring is drained is "armed": its reader wait word announces sleep
 * ({@link ipc.shared.wait.WaitProtocol#announceAndCheck}), so the client's next publish rings its doorbell and the
 * multiplexer reports it. Before arming, connections that just had traffic ("hot") are spun on for the spin window,
 * so request/response traffic is served without a kernel wake-up; idle connections cost nothing. With
 * {@link IdleStrategy#BUSY_SPIN} nothing is ever armed and the dispatcher never sleeps.
 *
 * <h2>Forecast arrivals (opt in, with {@code -Dipc.wait.forecast=true})</h2>
 * A client that sends at a steady pace (a request every millisecond, a heartbeat) finds the dispatcher asleep every
 * time: the spin window after a reply is long over when the next request comes, and the request pays a kernel wake-up
 * of the dispatcher. With the forecast on, each connection armed on its word learns when its client's next request is
 * due ({@link ArrivalForecast}, as a channel's reader does in {@link WaitProtocol}). The dispatcher sleeps only until
 * the earliest of those forecasts, less the timer's lateness and the spread; then it takes the due connections off
 * the words, so that their clients find it awake and make no wake call, and spins on them across their due times
 * ({@link #spinForForecasts()}). While it spins it still looks at the multiplexer and at the other sleepers' words, and
 * a forecast that its request does not meet re-arms the connection and is dropped until the next request. Connections
 * armed on their doorbells (beyond the multiplexer's word limit) are not forecast.
 */
final class ServerDispatcher implements ChannelOwner, HandshakeAdmission.Sink
{
    private static final System.Logger LOGGER = System.getLogger(ServerDispatcher.class.getName());
    /**
     * Most busy turns between two non-blocking looks at the multiplexer (new clients, hang-ups, and the doorbells of
     * armed connections, which show only there). Each look is a system call (~0.2 µs here), which a back-to-back
     * client paid on every request when every busy turn looked: its serve-mode round trip was 0.41 µs, 0.24 without.
     */
    static final int BUSY_TURNS_PER_SELECT = 16;
    /**
     * Longest time between two looks while busy: turns that take long (many connections served per turn) look every
     * turn, as before, so an armed connection waits at most about this long for a busy dispatcher.
     */
    static final long MAX_SELECT_INTERVAL_NANOS = 20_000;
    /**
     * Longest time the next client's segment waits to be prepared after a connection opened, unless that connection's
     * first message came sooner. Preparing a segment (memfd, seals, mmap, touching every page) takes 100-200 µs on
     * these VMs, and a client's first request arrives about that long after its WELCOME: prepared then, it held up
     * the request (first request to handler 124 µs p50 against 72 µs before the handshake ended at WELCOME; a probe
     * of 300 connects, 2 ms apart).
     */
    static final long SEGMENT_HOLD_NANOS = 1_000_000;
    /**
     * The system property that turns off sleeping on the connections' wait words where the multiplexer can
     * ({@code false}); read when a server starts serving. A diagnostic and comparison hook.
     */
    static final String WORD_WAITS_PROPERTY = "ipc.dispatcher.wordWaits";

    private final SharedServer server;
    private final Platform platform;
    private final ControlListener listener;
    private final IpcOptions options;
    private final IpcHandler handler;
    private final IdleStrategy idleStrategy;
    private final long spinNanos;
    private final Multiplexer multiplexer;
    private final HandshakeAdmission admission;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    private final Map<Long, ServerConnection> byId = new HashMap<>();
    private final Map<SharedChannel, ServerConnection> byChannel = new IdentityHashMap<>();
    private final ArrayDeque<ServerConnection> ready = new ArrayDeque<>();
    private final ArrayList<ServerConnection> hot = new ArrayList<>();
    private final ArrayList<ServerConnection> backpressured = new ArrayList<>();
    /** Connections armed on their wait word, which the dispatcher sleeps on; may hold stale entries (not sleeping). */
    private final ArrayList<ServerConnection> sleepers = new ArrayList<>();
    /** How many connections may sleep on their words: the multiplexer's limit, or 0. */
    private final int maxSleepers;
    private final long[] sleeperWords;
    /** A word may have changed: look at every sleeper. */
    private boolean scanSleepers;
    /**
     * Whether connections armed on their words forecast their clients' paced requests:
     * {@link WaitProtocol#FORECAST_PROPERTY} read when the server starts serving, with
     * {@link IdleStrategy#SPIN_THEN_PARK} and word waits.
     */
    private final boolean forecasting;
    /** Connections taken off their words to be spun on across the time their forecast request is due. */
    private final ArrayList<ServerConnection> forecastSpinners = new ArrayList<>();
    private final ByteBuffer probe = ByteBuffer.allocate(64);
    private final Multiplexer.ReadyHandler onReady = this::onReady;
    private int readyWork;
    private int busyTurns;
    private long lastSelectNanos;
    /**
     * The last sleep in the multiplexer ended and no spin was answered since: a spin whose client is behind yields
     * from its first turn (see {@link #spinOnHotConnections}).
     */
    private boolean woken;
    /** The newest connection, until its first message arrived, it closed, or {@link #SEGMENT_HOLD_NANOS} passed. */
    private ServerConnection awaitingFirstMessage;
    private long segmentHoldEndNanos;
    private volatile boolean stopping;

    ServerDispatcher(final SharedServer server, final Platform platform, final ControlListener listener,
        final IpcOptions options, final IpcHandler handler) throws IpcException
    {
        this.server = server;
        this.platform = platform;
        this.listener = listener;
        this.options = options;
        this.handler = handler;
        this.idleStrategy = options.idleStrategy();
        this.spinNanos = options.spinDuration().toNanos();
        this.multiplexer = platform.newMultiplexer();
        this.maxSleepers = Boolean.parseBoolean(System.getProperty(WORD_WAITS_PROPERTY, "true")) ?
            multiplexer.maxWords() : 0;
        this.sleeperWords = new long[maxSleepers];
        this.forecasting = Boolean.getBoolean(WaitProtocol.FORECAST_PROPERTY) &&
            idleStrategy == IdleStrategy.SPIN_THEN_PARK && maxSleepers > 0;
        this.admission = new HandshakeAdmission(server.name(), platform, listener, options, multiplexer,
            byChannel::size, false, this);
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

    // ---------------------------------------------------------------- ChannelOwner: any thread

    @Override
    public void detach(final SharedChannel channel)
    {
        if (Thread.currentThread() == thread)
        {
            release(channel);
        }
        else
        {
            submit(() -> release(channel));
        }
    }

    @Override
    public boolean closeWhenWritten(final SharedChannel channel)
    {
        if (Thread.currentThread() == thread)
        {
            closeWhenWrittenOnThread(channel);
        }
        else
        {
            // If the dispatcher stops first, its shutdown closes the channel with every other.
            submit(() -> closeWhenWrittenOnThread(channel));
        }
        return true;
    }

    private void closeWhenWrittenOnThread(final SharedChannel channel)
    {
        final ServerConnection connection = byChannel.get(channel);
        if (null == connection)
        {
            channel.closeNow();
        }
        else
        {
            connection.closeWhenWritten();
        }
    }

    @Override
    public void backpressured(final SharedChannel channel)
    {
        if (Thread.currentThread() == thread)
        {
            final ServerConnection connection = byChannel.get(channel);
            if (null != connection)
            {
                connection.backpressured(System.nanoTime());
            }
        }
        else
        {
            submit(() -> backpressured(channel));
        }
    }

    private void submit(final Runnable task)
    {
        tasks.add(task);
        multiplexer.wakeup();
    }

    // ---------------------------------------------------------------- the loop

    private void run()
    {
        try
        {
            admission.start();
            while (!stopping)
            {
                if (0 == doWork())
                {
                    idle();
                }
            }
        }
        catch (final Throwable failure)
        {
            // Only what no single connection could cause gets here (see ServerConnection.isFatal).
            LOGGER.log(Level.ERROR, "dispatcher of server=" + server.name() + " failed; closing its connections",
                failure);
        }
        finally
        {
            shutdown();
        }
    }

    /**
     * One turn of the loop without blocking.
     *
     * @return work done; 0 lets the idle strategy decide how to wait.
     */
    int doWork() throws IpcException
    {
        int work = runTasks();
        if (admission.hasTimedWork() || !backpressured.isEmpty())
        {
            final long now = System.nanoTime();
            work += admission.doWork(now);
            work += expireBackpressure(now);
            if (idleStrategy == IdleStrategy.BUSY_SPIN)
            {
                work += queueRelieved();
            }
        }
        if (!ready.isEmpty())
        {
            work += dispatchReady();
            // Keep watching the listener, hang-ups and armed connections while busy, without blocking.
            if (++busyTurns >= BUSY_TURNS_PER_SELECT ||
                System.nanoTime() - lastSelectNanos >= MAX_SELECT_INTERVAL_NANOS)
            {
                work += select(0);
                scanSleepers |= !sleepers.isEmpty();
            }
        }
        if (scanSleepers)
        {
            scanSleepers = false;
            work += wakeSleepers();
        }
        if (!forecastSpinners.isEmpty())
        {
            work += checkForecastSpinners();
            work += giveUpForecasts(System.nanoTime());
        }
        return work;
    }

    /** Nothing to do right now: spin on hot connections, then arm them and sleep in the multiplexer. */
    private void idle() throws IpcException
    {
        if (idleStrategy != IdleStrategy.PARK && spinOnHotConnections())
        {
            return;
        }
        if (0 == admission.pendingCount() && !segmentHeld() && admission.prepareSegment())
        {
            // Nothing else to do: the next client's segment is made now, not after its HELLO. Look for work again.
            // Not while a handshake is in flight: its client's READY (and first request) would wait behind the
            // making of a segment (memfd, seals, mmap, touching every page). Measured here, from a client's connect
            // returning to the server's onOpen: 81-97 µs p50 before, 69 µs after (two interleaved pairs of runs).
            // Nor while the newest connection's first request is likely on its way (segmentHeld).
            return;
        }
        if (idleStrategy == IdleStrategy.BUSY_SPIN)
        {
            // Never sleep: the hot connections stay un-armed, and the multiplexer is only polled.
            select(0);
            return;
        }
        armHotConnections();
        // A wake-up (stop, a task) may have been consumed by doWork's non-blocking select: look before blocking.
        if (!ready.isEmpty() || stopping || !tasks.isEmpty())
        {
            return;
        }
        if (!forecastSpinners.isEmpty())
        {
            spinForForecasts();
            return;
        }
        if (sleepers.isEmpty())
        {
            select(nextTimeout());
        }
        else if (!forecasting)
        {
            selectWithSleepers(nextTimeout());
        }
        else
        {
            sleepUntilForecast();
        }
        // Woken by a client (or a timer, or a task): a client that woke this thread likely shares its CPU, and waits
        // there for this thread to let it run (see spinOnHotConnections).
        woken = true;
    }

    /**
     * Sleeps as {@link #selectWithSleepers} does, but no later than the earliest forecast wake time among the
     * sleepers; the connections whose wake time has come by the end of the sleep are taken off their words to be
     * spun on ({@link #startForecastSpins}).
     */
    private void sleepUntilForecast() throws IpcException
    {
        // armHotConnections, just before, left only sleeping, open connections in the list.
        long earliestWake = 0;
        boolean forecast = false;
        for (int i = 0, size = sleepers.size(); i < size; i++)
        {
            final ArrivalForecast next = sleepers.get(i).forecast;
            if (next.isConfident() && (!forecast || next.wakeNanos() - earliestWake < 0))
            {
                earliestWake = next.wakeNanos();
                forecast = true;
            }
        }
        long timeout = nextTimeout();
        if (forecast)
        {
            final long toWake = Math.max(0, earliestWake - System.nanoTime());
            timeout = timeout < 0 ? toWake : Math.min(timeout, toWake);
        }
        selectWithSleepers(timeout);
        if (forecast && lastSelectNanos - earliestWake >= 0)
        {
            startForecastSpins(lastSelectNanos);
        }
    }

    /**
     * Takes the sleepers whose forecast wake time has come off their words and into the forecast spinners; a
     * forecast whose give-up time has passed too (this thread was busy elsewhere) is missed, and its connection
     * sleeps on.
     */
    private void startForecastSpins(final long now)
    {
        pruneSleepers();
        for (int i = sleepers.size() - 1; i >= 0; i--)
        {
            final ServerConnection connection = sleepers.get(i);
            final ArrivalForecast forecast = connection.forecast;
            if (!forecast.isConfident() || now - forecast.wakeNanos() < 0)
            {
                continue;
            }
            // Woken by the timer, or by something else after the wake time: the timer was at least this late (as in
            // WaitProtocol's forecast: a lateness learnt only from wake-ups in time would stay low for good).
            learnLateness(forecast, now);
            if (now - forecast.giveUpNanos() >= 0)
            {
                forecast.missed();
                continue;
            }
            removeSleeper(i);
            // Withdrawn: the client's publish finds this thread awake, and makes no wake call.
            connection.wake();
            connection.forecastSpinning = true;
            forecastSpinners.add(connection);
        }
    }

    /**
     * Spins on the connections whose forecast request is due until one of them has it, or until they give up; the
     * ones that give up are armed again. Every {@value #MAX_SELECT_INTERVAL_NANOS} ns it looks at the multiplexer and
     * at the other sleepers' words, whose clients find the word taken and this thread not asleep: their wake-up is not
     * lost, only delayed by that much.
     *
     * @return {@code true} if it found work: a request, a task, a ready descriptor or a woken word.
     */
    private boolean spinForForecasts() throws IpcException
    {
        int checks = 0;
        while (true)
        {
            if (checkForecastSpinners() > 0 || stopping || !tasks.isEmpty())
            {
                return true;
            }
            Thread.onSpinWait();
            if ((++checks & 15) == 0)
            {
                final long now = System.nanoTime();
                giveUpForecasts(now);
                if (!ready.isEmpty())
                {
                    // A connection that gave up had its request by the time it was armed: not behind the others.
                    return true;
                }
                if (forecastSpinners.isEmpty())
                {
                    return false;
                }
                if (now - lastSelectNanos >= MAX_SELECT_INTERVAL_NANOS && (select(0) > 0 | wakeSleepers() > 0))
                {
                    return true;
                }
            }
        }
    }

    /**
     * One look at each forecast spinner: the ones whose request came are queued. Also run by a busy
     * {@link #doWork()}, so that other connections' traffic does not keep the spinners from being looked at.
     *
     * @return how many were queued.
     */
    private int checkForecastSpinners()
    {
        int found = 0;
        for (int i = forecastSpinners.size() - 1; i >= 0; i--)
        {
            final ServerConnection connection = forecastSpinners.get(i);
            if (connection.onEvent(ServerConnection.SPIN_CHECK) != 0)
            {
                removeForecastSpinner(i);
                connection.forecast.hit();
                connection.forecast.arrived(System.nanoTime());
                queue(connection);
                found++;
            }
        }
        return found;
    }

    /**
     * Arms the forecast spinners that gave up (queueing those whose request came meanwhile); drops the closed ones.
     *
     * @return how many it queued.
     */
    private int giveUpForecasts(final long now)
    {
        final int readyBefore = ready.size();
        for (int i = forecastSpinners.size() - 1; i >= 0; i--)
        {
            final ServerConnection connection = forecastSpinners.get(i);
            if (connection.channel.isClosed())
            {
                removeForecastSpinner(i);
            }
            else if (now - connection.forecast.giveUpNanos() >= 0)
            {
                removeForecastSpinner(i);
                connection.forecast.missed();
                arm(connection);
            }
        }
        return ready.size() - readyBefore;
    }

    private void removeForecastSpinner(final int index)
    {
        forecastSpinners.get(index).forecastSpinning = false;
        final int last = forecastSpinners.size() - 1;
        forecastSpinners.set(index, forecastSpinners.get(last));
        forecastSpinners.remove(last);
    }

    /** Takes a connection that another event queued off the forecast spinners. */
    private void stopForecastSpin(final ServerConnection connection)
    {
        connection.forecastSpinning = false;
        forecastSpinners.remove(connection);
    }

    /**
     * Sleeps on the multiplexer and on the words of the connections armed on them. A client that publishes to one
     * of them takes its announcement and wakes the word (a futex wake), which wakes this thread at once, where a
     * doorbell would wake it through the multiplexer (a socket write and an epoll wake-up, then a read to drain
     * it). The one it woke is dispatched first; the others are looked at after the dispatch.
     */
    private void selectWithSleepers(final long timeoutNanos) throws IpcException
    {
        // armHotConnections, just before, left only sleeping, open connections in the list.
        final int words = sleepers.size();
        for (int i = 0; i < words; i++)
        {
            sleeperWords[i] = sleepers.get(i).wordAddress;
        }
        readyWork = 0;
        busyTurns = 0;
        final int woken = multiplexer.select(timeoutNanos, onReady, sleeperWords, words, WaitProtocol.WAITING_ON_WORD);
        lastSelectNanos = System.nanoTime();
        if (woken >= 0 && woken < words)
        {
            final ServerConnection connection = sleepers.get(woken);
            if (connection.sleeping)
            {
                connection.wake();
                if (forecasting)
                {
                    wokenByRequest(connection, lastSelectNanos);
                }
                queue(connection);
            }
        }
        // Another word may have changed meanwhile: its waker found this thread awake, and only the word says so.
        scanSleepers = woken != Multiplexer.NO_WORD;
    }

    /**
     * Looks at every connection armed on its word: one whose client published (it took the announcement) or closed
     * is dispatched.
     *
     * @return how many were.
     */
    private int wakeSleepers()
    {
        pruneSleepers();
        int work = 0;
        long now = 0;
        for (int i = sleepers.size() - 1; i >= 0; i--)
        {
            final ServerConnection connection = sleepers.get(i);
            if (connection.onEvent(ServerConnection.WORD_CHECK) != 0)
            {
                connection.sleeping = false;
                removeSleeper(i);
                if (forecasting)
                {
                    now = 0 == work ? System.nanoTime() : now;
                    wokenByRequest(connection, now);
                }
                queue(connection);
                work++;
            }
        }
        return work;
    }

    /**
     * A connection asleep on its word was woken by its request: an arrival; and if its forecast wake time had passed
     * (the dispatcher was to be spinning for it), the timer was at least that late.
     */
    private static void wokenByRequest(final ServerConnection connection, final long now)
    {
        final ArrivalForecast forecast = connection.forecast;
        if (forecast.isConfident())
        {
            learnLateness(forecast, now);
        }
        forecast.arrived(now);
    }

    /** The dispatcher runs again at {@code now}: if that is past the forecast's wake time, its timer was that late. */
    private static void learnLateness(final ArrivalForecast forecast, final long now)
    {
        final long late = now - forecast.wakeNanos();
        if (late >= 0)
        {
            forecast.woke(late);
        }
    }

    /**
     * Drops the entries of connections woken or closed since they were armed: they would take slots or come back as
     * duplicates, and a closed connection's segment may be unmapped, so its word must not be slept on.
     */
    private void pruneSleepers()
    {
        for (int i = sleepers.size() - 1; i >= 0; i--)
        {
            final ServerConnection connection = sleepers.get(i);
            if (!connection.sleeping || connection.channel.isClosed())
            {
                connection.sleeping = false;
                removeSleeper(i);
            }
        }
    }

    private void removeSleeper(final int index)
    {
        final int last = sleepers.size() - 1;
        sleepers.set(index, sleepers.get(last));
        sleepers.remove(last);
    }

    private int runTasks()
    {
        int work = 0;
        Runnable task;
        while (null != (task = tasks.poll()))
        {
            task.run();
            work++;
        }
        return work;
    }

    private int select(final long timeoutNanos) throws IpcException
    {
        readyWork = 0;
        busyTurns = 0;
        multiplexer.select(timeoutNanos, onReady);
        lastSelectNanos = System.nanoTime();
        return readyWork;
    }

    /**
     * Whether preparing the next segment waits for the newest connection's first message; the hold ends with that
     * message (see {@link #delivered}), with the connection, or after {@link #SEGMENT_HOLD_NANOS}.
     */
    private boolean segmentHeld()
    {
        if (null != awaitingFirstMessage && System.nanoTime() - segmentHoldEndNanos >= 0)
        {
            awaitingFirstMessage = null;
        }
        return null != awaitingFirstMessage;
    }

    /** A connection delivered a message: if it is the newest one, the next segment may be prepared. */
    void delivered(final ServerConnection connection)
    {
        if (connection == awaitingFirstMessage)
        {
            awaitingFirstMessage = null;
        }
    }

    private long nextTimeout()
    {
        final long now = System.nanoTime();
        long timeout = admission.nanosToNextDeadline(now);
        if (null != awaitingFirstMessage)
        {
            // Woken when the hold ends, to prepare the segment then.
            final long remaining = Math.max(0, segmentHoldEndNanos - now);
            timeout = timeout < 0 ? remaining : Math.min(timeout, remaining);
        }
        for (int i = 0, size = backpressured.size(); i < size; i++)
        {
            final long remaining = backpressured.get(i).nanosToBackpressureDeadline(now);
            timeout = timeout < 0 ? remaining : Math.min(timeout, remaining);
        }
        return timeout;
    }

    private void onReady(final long key, final boolean hangUp)
    {
        if (admission.owns(key))
        {
            readyWork += admission.onReady(key);
            return;
        }
        final ServerConnection connection = byId.get(key >>> 1);
        if (null == connection)
        {
            return;
        }
        readyWork += connection.onEvent((key & 1) == 1 ? ServerConnection.DOORBELL :
            hangUp ? ServerConnection.CONTROL_HANG_UP : ServerConnection.CONTROL);
    }

    // ---------------------------------------------------------------- admission

    @Override
    public void admitted(final long id, final SharedChannel channel)
    {
        final ServerConnection connection = new ServerConnection(id, channel, this, handler, platform, probe,
            options.sendTimeout(), forecasting);
        channel.owner(this);
        channel.outbound().neverWaitOn(thread);
        byId.put(id, connection);
        byChannel.put(channel, connection);
        server.accepted(channel);
        try
        {
            if (null != connection.doorbell())
            {
                multiplexer.register(connection.doorbell(), (id << 1) | 1);
            }
        }
        catch (final IpcException ex)
        {
            connection.closeWith(ex);
            return;
        }
        LOGGER.log(Level.DEBUG, () -> "connection open on server=" + server.name() + ": " + channel);
        awaitingFirstMessage = connection;
        segmentHoldEndNanos = System.nanoTime() + SEGMENT_HOLD_NANOS;
        connection.onEvent(ServerConnection.OPEN);
        queue(connection);
    }

    @Override
    public void rejected(final IpcException cause)
    {
        server.rejected(cause);
    }

    @Override
    public IpcServerStats stats()
    {
        return server.stats();
    }

    // ---------------------------------------------------------------- for connections

    void queue(final ServerConnection connection)
    {
        if (connection.sleeping)
        {
            // Its doorbell or control channel spoke first (or a task queued it): it is awake now.
            connection.wake();
        }
        else if (connection.forecastSpinning)
        {
            stopForecastSpin(connection);
        }
        if (!connection.queued && !connection.channel.isClosed())
        {
            connection.queued = true;
            ready.add(connection);
        }
    }

    void makeHot(final ServerConnection connection)
    {
        if (!connection.hot)
        {
            connection.hot = true;
            hot.add(connection);
        }
    }

    void watchBackpressure(final ServerConnection connection)
    {
        backpressured.add(connection);
    }

    void unwatchBackpressure(final ServerConnection connection)
    {
        backpressured.remove(connection);
    }

    void unwatchControl(final ServerConnection connection)
    {
        multiplexer.unregister(connection.channel.control());
    }

    void unwatchDoorbell(final ServerConnection connection)
    {
        multiplexer.unregister(connection.doorbell());
    }

    void logClose(final IpcException cause)
    {
        LOGGER.log(Level.DEBUG, () -> "connection closed on server=" + server.name() + ": " + cause.getMessage());
    }

    // ---------------------------------------------------------------- dispatching

    private int dispatchReady()
    {
        int work = 0;
        for (int n = ready.size(); n > 0; n--)
        {
            final ServerConnection connection = ready.poll();
            connection.queued = false;
            work += connection.onEvent(ServerConnection.DISPATCH);
        }
        return work;
    }

    /**
     * Spins on connections that just had traffic, for the spin window, so a request that follows a response is
     * picked up without a doorbell. Closed connections leave the hot list here. While a client has yet to take a
     * reply, the spin yields the CPU instead of pausing: that client may be queued for this very CPU (see
     * {@link ipc.shared.wait.WaitProtocol}'s class comment). After {@link WaitProtocol#SPINS_BEFORE_YIELD} turns, which
     * catch a client running on another CPU; from the first turn after this thread slept, since the client that
     * woke it likely shares its CPU (until a spin is answered, which means the client runs again).
     *
     * @return {@code true} if one of them became ready, or a task arrived.
     */
    private boolean spinOnHotConnections()
    {
        if (hot.isEmpty())
        {
            return false;
        }
        final long spinDeadline = System.nanoTime() + spinNanos;
        int checks = 0;
        int turns = 0;
        do
        {
            turns++;
            boolean found = false;
            boolean clientBehind = false;
            for (int i = hot.size() - 1; i >= 0; i--)
            {
                final ServerConnection connection = hot.get(i);
                if (connection.channel.isClosed() || connection.isBackpressured())
                {
                    connection.hot = false;
                    removeHot(i);
                }
                else if (connection.onEvent(ServerConnection.SPIN_CHECK) != 0)
                {
                    if (forecasting && checks >= 16)
                    {
                        // A wait long enough to read the clock: an arrival to learn from (back-to-back traffic,
                        // found before, is none).
                        connection.forecast.arrived(System.nanoTime());
                    }
                    queue(connection);
                    found = true;
                }
                else if (!clientBehind)
                {
                    clientBehind = connection.onEvent(ServerConnection.PEER_BEHIND) != 0;
                }
            }
            if (found || !tasks.isEmpty())
            {
                if (found)
                {
                    // Answered while spinning: back-to-back again, with the client running.
                    woken = false;
                }
                return true;
            }
            if (clientBehind && (woken || turns >= WaitProtocol.SPINS_BEFORE_YIELD))
            {
                // A system call: read the clock after each, not every 16 checks.
                Thread.yield();
                checks = 15;
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        while (!hot.isEmpty() && ((++checks & 15) != 0 || System.nanoTime() - spinDeadline < 0));
        return false;
    }

    private void removeHot(final int index)
    {
        final int last = hot.size() - 1;
        hot.set(index, hot.get(last));
        hot.remove(last);
    }

    /**
     * Arms the hot connections before sleeping: on their wait words while the multiplexer can sleep on more of them
     * (the most recently active connections, as those are the hot ones), else on their doorbells. A back-pressured
     * connection is never armed on its word: the wake it waits for is its client's room, which rings the doorbell.
     */
    private void armHotConnections()
    {
        pruneSleepers();
        for (int i = 0, size = hot.size(); i < size; i++)
        {
            final ServerConnection connection = hot.get(i);
            connection.hot = false;
            arm(connection);
        }
        hot.clear();
    }

    /** Arms one connection on its word if it may sleep there, else on its doorbell; queues it if it is ready. */
    private void arm(final ServerConnection connection)
    {
        if (sleepers.size() < maxSleepers && 0 != connection.wordAddress && !connection.isBackpressured() &&
            !connection.sleeping)
        {
            if (connection.onEvent(ServerConnection.ARM_ON_WORD) != 0 || connection.channel.isClosed())
            {
                if (forecasting)
                {
                    // Its request came as it was armed: an arrival (which also ends a missed forecast's pause).
                    connection.forecast.arrived(System.nanoTime());
                }
                queue(connection);
            }
            else
            {
                connection.sleeping = true;
                sleepers.add(connection);
            }
        }
        else if (connection.onEvent(ServerConnection.ARM) != 0)
        {
            queue(connection);
        }
    }

    /**
     * A busy-spinning dispatcher's look for room at its back-pressured connections. Its connections declare that it
     * never parks, so a client that reads makes no wake check on its behalf and rings no doorbell: the room a client
     * makes for the queued replies is seen here, not through the multiplexer (PollAndIdleStrategyTest).
     *
     * @return connections queued to write their replies.
     */
    private int queueRelieved()
    {
        int work = 0;
        for (int i = backpressured.size() - 1; i >= 0; i--)
        {
            final ServerConnection connection = backpressured.get(i);
            if (!connection.queued && connection.hasRoomForQueue())
            {
                queue(connection);
                work++;
            }
        }
        return work;
    }

    private int expireBackpressure(final long now)
    {
        int work = 0;
        for (int i = backpressured.size() - 1; i >= 0; i--)
        {
            if (backpressured.get(i).expireBackpressure(now) == 0)
            {
                work++;
            }
        }
        return work;
    }

    // ---------------------------------------------------------------- closing

    /** On the dispatcher thread: stop watching a closed channel and release its handles. */
    private void release(final SharedChannel channel)
    {
        final ServerConnection connection = byChannel.remove(channel);
        if (null == connection)
        {
            channel.releaseControl();
            return;
        }
        final IpcException own = channel.closeCause();
        connection.notifyClose(null != own ? own : new IpcClosedException("closed by the server: " + channel));
        byId.remove(connection.id);
        backpressured.remove(connection);
        // If it is the newest connection, the next segment waits for it no longer.
        delivered(connection);
        // Left in the sleepers list, not sleeping: the list is cleaned before its words are used.
        connection.sleeping = false;
        if (connection.forecastSpinning)
        {
            stopForecastSpin(connection);
        }
        if (connection.controlWatched())
        {
            multiplexer.unregister(channel.control());
        }
        if (connection.doorbellWatched())
        {
            multiplexer.unregister(connection.doorbell());
        }
        channel.releaseControl();
        server.closed(channel);
    }

    private void shutdown()
    {
        try
        {
            admission.shutdown();
            for (final ServerConnection connection : new ArrayList<>(byChannel.values()))
            {
                connection.closeWith(new IpcClosedException("server closed: server=" + server.name()));
            }
            runTasks();
            // What is left was closed by a thread of its own as the server closed (the close above found it closing):
            // the release it hands this thread may come after that last look at the tasks, or not have come yet, and
            // nothing runs tasks from now on. Its close has begun: release it here (CloseRaceTest).
            for (final ServerConnection connection : new ArrayList<>(byChannel.values()))
            {
                release(connection.channel);
            }
        }
        finally
        {
            multiplexer.close();
            listener.close();
        }
    }
}
