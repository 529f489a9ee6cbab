package ipc.shared.wait;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import ipc.api.IdleStrategy;
import ipc.api.IpcException;
import ipc.shared.spi.WakeSignal;

/**
 * The wait/wake protocol on one 32-bit wait word of a shared segment: the one place where a thread decides to
 * sleep and where its peer decides to wake it.
 *
 * <h2>Waiter</h2>
 * <ol>
 *   <li>check the condition (data to read, or room to write);</li>
 *   <li>spin on it for the spin window ({@link IdleStrategy#SPIN_THEN_PARK}; the window adapts, see
 *       {@link #learn(long, long)}), yielding the CPU while the peer lags behind (see below), or spin until the
 *       deadline without ever entering the kernel ({@link IdleStrategy#BUSY_SPIN});</li>
 *   <li>announce sleep: store {@link #WAITING} in the wait word, then a full fence (or a {@link ProcessBarrier}, see
 *       below);</li>
 *   <li>check the condition again: if it now holds, withdraw the announcement and return;</li>
 *   <li>block on the {@link WakeSignal} (futex, eventfd, event) with the remaining time; on waking, withdraw and go
 *       back to 4.</li>
 * </ol>
 *
 * <h2>Waker</h2>
 * After publishing (a record's length stored with release, or the reader's head), the waker issues a full fence,
 * then reads the wait word; only if it says {@link #WAITING} does it take the announcement with a CAS to
 * {@link #IDLE} and wake the signal. A busy stream therefore costs one fence and one load per publish, and no
 * system call.
 *
 * <h2>Why no wake-up is lost</h2>
 * Waiter: store word, fence, load condition. Waker: store condition, fence, load word. With a full fence on both
 * sides at least one sees the other's store (Dekker): either the waiter sees the data and does not sleep, or the
 * waker sees {@code WAITING} and wakes it. A waker whose wake lands before the waiter blocks is not lost either:
 * the futex compares the word (now {@code IDLE}) and returns at once, and an eventfd or event stays signalled.
 *
 * <h2>Without the waker's fence</h2>
 * A waiter bound to a {@link ProcessBarrier} runs it in place of its fence; a waker in a process registered for that
 * barrier may then skip its own ({@link #wakeIfWaiting(boolean)}): the barrier fences the waker's thread on its
 * behalf whenever a waiter is about to sleep, which is rare next to publishes. The segment's idle word tells the
 * waker which kind of waiter it has ({@code SegmentDescriptor#IDLE_PARKS_AFTER_BARRIER}).
 *
 * <h2>Why the spin window yields</h2>
 * A wake-up places the woken thread on the waker's CPU (the scheduler's wake-affine placement; measured on the 2-vCPU
 * VMs: the woken server ran on the client's CPU in 600 of 600 paced requests, even with the other CPU idle). A
 * waker that then spins for its reply keeps that CPU, and the peer it just woke waits on the run queue behind it
 * until the window ends: {@code perf sched timehist} showed 0.45 ms of scheduling delay on each side of every
 * paced round trip, a millisecond per request where a socket needs 0.1. So while the peer has not yet taken what
 * this side last published (the caller's {@code peerBehind} hint: it may be waiting for this very CPU), the window is
 * spent in {@link Thread#yield()} after the first {@value #SPINS_BEFORE_YIELD} checks (which catch a back-to-back
 * hand-off between two running threads), a system call when nothing else wants the CPU that lets a woken peer on the
 * same CPU run at once; once the peer keeps up (it runs on another CPU), the window spins without the kernel. A
 * writer waiting for room does not yield: a full ring is a busy stream, whose reader is running.
 *
 * <p>Two waits yield from their first check instead ({@link #yieldAtOnceAfterWaking}): one whose own publish woke
 * the peer (a woken thread needs microseconds to run even on another CPU, so the checks catch nothing there, and
 * keep it waiting where it shares this CPU), and one that follows this thread's own sleep, until a spin is answered
 * again (its waker likely shares its CPU). A serve dispatcher does the same after its sleeps. Measured with a probe
 * of 1 kHz requests to a {@code serve} echo (two JVMs, 2-vCPU AMD VM, three interleaved pairs): round trip p50
 * 12.6-19.5 µs against 17.9-24.2 µs; with the first and the dispatcher's alone, the wake-to-running and the
 * reply-to-client legs came out 2-6 µs shorter each (timestamps on both sides).
 *
 * <p>While the peer has not taken this side's message, the yielding goes on for up to {@value #BEHIND_WINDOWS}
 * windows: such a peer is busy (a dispatcher serving a thousand clients), it will answer, and a waiter that parks
 * makes it pay a wake call per answer on its busy thread. Measured with the benchmark tool's 1000 clients (4 client
 * JVMs, one dispatcher, 2 vCPUs, four interleaved pairs of runs): 5.5-7.0x the NIO server's requests/s against
 * 3.8-6.2x with one window. Once the peer has taken the message, the usual window applies.
 *
 * <h2>Two ways to sleep on one word</h2>
 * The server's inbound word has a doorbell, so that a dispatcher can watch many connections in one multiplexer; a
 * dispatcher announces {@link #WAITING}. A thread that waits for one channel alone (accept mode) needs no
 * multiplexer: where the platform has an address wait on the word (a futex), it announces {@link #WAITING_ON_WORD}
 * and sleeps on the word, and the waker, reading which of the two the word holds, wakes the word instead of ringing
 * the doorbell. On the 2-vCPU VMs a C probe of the bare mechanisms (one process waking the other every 5 ms, then
 * spinning for its answer) measured 8-9 µs with a futex wake against 12-21 µs with a socket doorbell (the woken
 * side also drains the doorbell), and 14-18 µs for a blocking socket round trip.
 *
 * <h2>Forecast arrivals (opt in)</h2>
 * A reader's word can learn when paced messages are due ({@link #forecastArrivals()}, {@link ArrivalForecast}): its
 * {@link IdleStrategy#SPIN_THEN_PARK} waits then sleep, announced as always, until shortly before the due time, and
 * spin across it; a message that comes earlier wakes them as any other.
 *
 * <p>The word is accessed only through {@link VarHandle}s on the mapped buffer. One waiter per word; any number of
 * wakers (the peer's writer, and this process's close or peer-death handling).
 */
public final class WaitProtocol
{
    /** Nobody sleeps on the word. */
    public static final int IDLE = 0;
    /** The waiter announced that it sleeps, or is about to, on the signal (a futex, a doorbell, an event). */
    public static final int WAITING = 1;
    /**
     * The waiter announced that it sleeps, or is about to, on the word itself (an address wait), where the signal
     * is a doorbell that only a multiplexer needs: the waker wakes the word, which costs the waiter no doorbell to
     * drain (see the class comment).
     */
    public static final int WAITING_ON_WORD = 2;

    /** The system property that changes {@link #MAX_PARK_NANOS}, in milliseconds (a test and diagnostic hook). */
    public static final String MAX_PARK_PROPERTY = "ipc.wait.maxParkMillis";

    /**
     * Longest single block; waiters re-check their condition at least this often. One second unless the system
     * property {@value #MAX_PARK_PROPERTY} (read once, when this class loads) sets 1 to 3,600,000 ms: tests raise it
     * so that a lost wake-up shows as a hang instead of hiding behind the periodic re-check.
     */
    public static final long MAX_PARK_NANOS = maxParkNanos(System.getProperty(MAX_PARK_PROPERTY));

    /**
     * The system property that turns on the {@link ArrivalForecast} of the readers' {@link IdleStrategy#SPIN_THEN_PARK}
     * waits ({@code true}); off by default, see that class for why.
     */
    public static final String FORECAST_PROPERTY = "ipc.wait.forecast";

    /** Whether readers forecast paced arrivals ({@link #FORECAST_PROPERTY}), read once, when this class loads. */
    public static final boolean FORECAST = Boolean.getBoolean(FORECAST_PROPERTY);

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** A condition the waiter waits for; checked repeatedly, so cheap and free of side effects. */
    @FunctionalInterface
    public interface Condition
    {
        /**
         * Whether the wait is over.
         *
         * @return {@code true} to stop waiting.
         */
        boolean isMet();
    }

    /** Outcome of {@link #await}. */
    public enum Outcome
    {
        /** The condition held before or while spinning: no system call. */
        SPUN,
        /** The condition held after at least one block on the signal. */
        PARKED,
        /** The deadline passed first. */
        TIMED_OUT
    }

    /** Spins before the first clock read; a power of two. */
    public static final int SPINS_BEFORE_CLOCK = 64;

    /**
     * Checks with {@link Thread#onSpinWait()} before a spin whose peer is behind starts to yield: about two
     * microseconds here, which catches the back-to-back hand-offs between two running threads (a round trip is
     * ~0.3 µs) without a system call.
     */
    public static final int SPINS_BEFORE_YIELD = 64;

    /**
     * How many spin windows a wait yields for, at most, while its peer has not taken what this side last published
     * (see the class comment): a peer that has not even taken this side's request is busy with others, a dispatcher
     * serving many clients, and a waiter that parks then costs it a wake call when it answers.
     */
    public static final int BEHIND_WINDOWS = 8;

    /** A {@code peerBehind} hint for waits that never yield: the peer's progress is unknown or irrelevant. */
    public static final Condition NEVER = () -> false;

    /** The spin window grows up to 2^MAX_SPIN_BOOST times the configured one (see {@link #learn(long, long)}). */
    public static final int MAX_SPIN_BOOST = 3;

    /** The spin window shrinks down to 2^MIN_SPIN_BOOST times the configured one (3 µs of the default 50 µs). */
    public static final int MIN_SPIN_BOOST = -4;

    /** Waits that ended while spinning, after which a boosted spin window shrinks one step. */
    public static final int SPINS_TO_DECAY = 1024;

    private final ByteBuffer segment;
    private final int wordOffset;
    private final WakeSignal signal;
    /** Sleeps on and wakes the word itself; {@code null} if the platform has no address wait for this word. */
    private final WakeSignal wordSignal;
    /** Run between an announcement and its check: a full fence, or the process barrier that frees wakers of theirs. */
    private final ProcessBarrier sleepBarrier;
    /** The waiter's clock and spin adaptation; one waiter per word, so plain fields. */
    private long clockStart;
    private boolean clockStarted;
    /** Whether this side's last publish woke its peer (see {@link #yieldAtOnceAfterWaking}); a hint. */
    private Condition peerWoken = NEVER;
    /**
     * This thread slept in its last wait and was woken: its peer, which woke it, likely shares its CPU, and yields
     * at once while behind until a spin is answered again.
     */
    private boolean woken;
    private int spinBoost;
    private int spunSinceBoost;
    /** When paced messages are due; {@code null} unless {@link #forecastArrivals()} was called. */
    private ArrivalForecast forecast;

    /**
     * Binds the protocol to a wait word.
     *
     * @param segment    the mapped segment.
     * @param wordOffset the word's offset, 4-byte aligned.
     * @param signal     the OS primitive bound to the same word.
     */
    public WaitProtocol(final ByteBuffer segment, final int wordOffset, final WakeSignal signal)
    {
        this(segment, wordOffset, signal, null);
    }

    /**
     * Binds the protocol to a wait word whose waiter, when it blocks in {@link #await}, sleeps on the word itself
     * rather than on the signal, which stays for a multiplexer's {@link #announceAndCheck}.
     *
     * @param segment    the mapped segment.
     * @param wordOffset the word's offset, 4-byte aligned.
     * @param signal     the OS primitive a multiplexer watches, bound to the same word.
     * @param wordSignal an address wait on the word that announces {@link #WAITING_ON_WORD}, or {@code null}.
     */
    public WaitProtocol(final ByteBuffer segment, final int wordOffset, final WakeSignal signal,
        final WakeSignal wordSignal)
    {
        this(segment, wordOffset, signal, wordSignal, ProcessBarrier.NONE);
    }

    /**
     * Binds the protocol as {@link #WaitProtocol(ByteBuffer, int, WakeSignal, WakeSignal)} does, for a waiter that
     * orders its announcement before its check with a process barrier rather than a fence.
     *
     * @param segment      the mapped segment.
     * @param wordOffset   the word's offset, 4-byte aligned.
     * @param signal       the OS primitive a multiplexer watches, bound to the same word.
     * @param wordSignal   an address wait on the word that announces {@link #WAITING_ON_WORD}, or {@code null}.
     * @param sleepBarrier run between an announcement and its check; {@link ProcessBarrier#NONE} is a full fence.
     */
    public WaitProtocol(final ByteBuffer segment, final int wordOffset, final WakeSignal signal,
        final WakeSignal wordSignal, final ProcessBarrier sleepBarrier)
    {
        if ((wordOffset & 3) != 0 || wordOffset < 0 || wordOffset > segment.capacity() - Integer.BYTES)
        {
            throw new IllegalArgumentException("wait word must be 4-byte aligned inside the segment: wordOffset=" +
                wordOffset + " capacity=" + segment.capacity());
        }
        this.segment = segment;
        this.wordOffset = wordOffset;
        this.signal = signal;
        this.wordSignal = wordSignal;
        this.sleepBarrier = sleepBarrier;
    }

    /**
     * Makes {@link IdleStrategy#SPIN_THEN_PARK} waits forecast paced arrivals ({@link ArrivalForecast}): for a reader's
     * word, before the waiter's first wait and published to its thread with the protocol (as a channel's constructor
     * does). Suits a signal whose timed waits end within microseconds of their time (a futex); a timer that rounds up
     * to milliseconds (a monitor's, Windows' events) wakes the waiter after the message, which then costs a wake call
     * as it would without the forecast.
     *
     * @return the forecast, for tests and diagnostics.
     */
    public ArrivalForecast forecastArrivals()
    {
        if (null == forecast)
        {
            forecast = new ArrivalForecast();
        }
        return forecast;
    }

    /**
     * The signal this protocol blocks on.
     *
     * @return the signal.
     */
    public WakeSignal signal()
    {
        return signal;
    }

    /**
     * Waits until the condition holds or the timeout passes.
     *
     * <p>The clock is read only once the first {@value #SPINS_BEFORE_CLOCK} spins have not seen the condition:
     * {@code System.nanoTime()} costs as much as a whole hand-off on small VMs, so a wait that ends quickly never
     * reads it. The timeout and the spin window therefore start up to that many spins late (microseconds).
     * {@link #clockStartNanos()} tells when the clock started, for callers that wait again with the rest of their
     * time.
     *
     * @param condition    what to wait for.
     * @param strategy     how to wait.
     * @param spinNanos    the spin window of {@link IdleStrategy#SPIN_THEN_PARK}.
     * @param timeoutNanos how long to wait; zero or less checks once.
     * @return how the wait ended.
     * @throws IpcException if the OS primitive fails.
     */
    public Outcome await(
        final Condition condition, final IdleStrategy strategy, final long spinNanos, final long timeoutNanos)
        throws IpcException
    {
        return await(condition, NEVER, strategy, spinNanos, timeoutNanos);
    }

    /**
     * Waits until the condition holds or the timeout passes, yielding the CPU while spinning as long as the peer is
     * behind (see the class comment); otherwise as {@link #await(Condition, IdleStrategy, long, long)}.
     *
     * @param condition    what to wait for.
     * @param peerBehind   whether the peer has not yet taken what this side last published: a hint, read often.
     * @param strategy     how to wait.
     * @param spinNanos    the spin window of {@link IdleStrategy#SPIN_THEN_PARK}.
     * @param timeoutNanos how long to wait; zero or less checks once.
     * @return how the wait ended.
     * @throws IpcException if the OS primitive fails.
     */
    public Outcome await(final Condition condition, final Condition peerBehind, final IdleStrategy strategy,
        final long spinNanos, final long timeoutNanos) throws IpcException
    {
        clockStarted = false;
        if (condition.isMet())
        {
            return spun();
        }
        if (timeoutNanos <= 0)
        {
            return Outcome.TIMED_OUT;
        }

        if (strategy == IdleStrategy.BUSY_SPIN)
        {
            return busySpin(condition, timeoutNanos);
        }
        if (strategy == IdleStrategy.SPIN_THEN_PARK)
        {
            final long windowNanos = window(spinNanos);
            if (spin(condition, peerBehind, Math.min(windowNanos, timeoutNanos),
                Math.min(windowNanos * BEHIND_WINDOWS, timeoutNanos)))
            {
                return spun();
            }
        }

        final long start = clockStarted ? clockStart : clock();
        final long deadlineNanos = start + timeoutNanos;
        if (strategy == IdleStrategy.SPIN_THEN_PARK && null != forecast && forecast.isConfident())
        {
            final int forecastEnd = awaitForecast(condition, start, timeoutNanos);
            if (forecastEnd != FORECAST_MISSED)
            {
                return forecastEnd == FORECAST_MET_AFTER_BLOCK ? parked(start, spinNanos) : spun();
            }
        }
        while (true)
        {
            final long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0)
            {
                if (condition.isMet())
                {
                    return parked(start, spinNanos);
                }
                learn(timeoutNanos, spinNanos);
                return Outcome.TIMED_OUT;
            }
            final int announcement = null == wordSignal ? WAITING : WAITING_ON_WORD;
            if (announceAndCheck(condition, announcement))
            {
                return parked(start, spinNanos);
            }
            try
            {
                (announcement == WAITING ? signal : wordSignal).await(Math.min(remaining, MAX_PARK_NANOS));
            }
            finally
            {
                withdraw();
            }
            if (condition.isMet())
            {
                woken = true;
                return parked(start, spinNanos);
            }
        }
    }

    /** {@link #awaitForecast}: the condition held before anything blocked. */
    private static final int FORECAST_MET = 0;
    /** {@link #awaitForecast}: the condition held after a block on the forecast's timer. */
    private static final int FORECAST_MET_AFTER_BLOCK = 1;
    /** {@link #awaitForecast}: the forecast was missed, or the deadline came; the caller parks as usual. */
    private static final int FORECAST_MISSED = 2;

    /**
     * Sleeps until the forecast's wake time, woken at once by a publish as any sleep is, then spins across the time
     * the next message is due (see {@link ArrivalForecast}): the peer, finding this side awake, makes no wake call.
     * Never past the wait's deadline.
     *
     * @param startNanos   when the wait's clock started.
     * @param timeoutNanos the wait's timeout from then.
     * @return {@link #FORECAST_MET}, {@link #FORECAST_MET_AFTER_BLOCK} or {@link #FORECAST_MISSED}.
     */
    private int awaitForecast(final Condition condition, final long startNanos, final long timeoutNanos)
        throws IpcException
    {
        final long wakeNanos = forecast.wakeNanos();
        final long giveUpNanos = forecast.giveUpNanos();
        long now = System.nanoTime();
        // Offsets from now, not absolute times: a timeout near Long.MAX_VALUE must not wrap the deadline.
        final long toDeadline = timeoutNanos - (now - startNanos);
        final long toGiveUp = giveUpNanos - now;
        if (toDeadline <= 0)
        {
            return FORECAST_MISSED;
        }
        if (toGiveUp <= 0)
        {
            // Due long ago: the peer stopped, or this thread came late; a forecast for later is the next arrival's.
            forecast.missed();
            return FORECAST_MISSED;
        }
        final boolean deadlineFirst = toDeadline < toGiveUp;
        final long stopNanos = now + (deadlineFirst ? toDeadline : toGiveUp);
        final long sleepUntil = wakeNanos - stopNanos < 0 ? wakeNanos : stopNanos;
        final int announcement = null == wordSignal ? WAITING : WAITING_ON_WORD;
        boolean blocked = false;
        while (sleepUntil - now > 0)
        {
            if (announceAndCheck(condition, announcement))
            {
                return blocked ? FORECAST_MET_AFTER_BLOCK : FORECAST_MET;
            }
            blocked = true;
            try
            {
                (announcement == WAITING ? signal : wordSignal).await(Math.min(sleepUntil - now, MAX_PARK_NANOS));
            }
            finally
            {
                withdraw();
            }
            now = System.nanoTime();
            if (now - wakeNanos >= 0)
            {
                // Woken by the timer, or by a message that came after this thread meant to be spinning: the timer
                // was at least this late (a lateness learnt only from timer wake-ups would stay low for good once
                // every message beat the timer).
                forecast.woke(now - wakeNanos);
            }
            if (condition.isMet())
            {
                return FORECAST_MET_AFTER_BLOCK;
            }
        }
        int checks = 0;
        while (!condition.isMet())
        {
            Thread.onSpinWait();
            if ((++checks & (SPINS_BEFORE_CLOCK - 1)) == 0 && System.nanoTime() - stopNanos >= 0 &&
                !condition.isMet())
            {
                if (!deadlineFirst)
                {
                    forecast.missed();
                }
                return FORECAST_MISSED;
            }
        }
        forecast.hit();
        return blocked ? FORECAST_MET_AFTER_BLOCK : FORECAST_MET;
    }

    /** Spins until the deadline, never yielding: the caller gave this thread a CPU of its own. */
    private Outcome busySpin(final Condition condition, final long timeoutNanos)
    {
        int checks = 0;
        while (true)
        {
            if (condition.isMet())
            {
                return Outcome.SPUN;
            }
            Thread.onSpinWait();
            if ((++checks & (SPINS_BEFORE_CLOCK - 1)) == 0 && clock() - clockStart >= timeoutNanos)
            {
                return condition.isMet() ? Outcome.SPUN : Outcome.TIMED_OUT;
            }
        }
    }

    /**
     * The spin window of {@link IdleStrategy#SPIN_THEN_PARK}: checks between {@link Thread#onSpinWait()}s, or between
     * {@link Thread#yield()}s while the peer is behind (see the class comment), until the window ends, or while the
     * peer is still behind, until {@code behindWindowNanos}. The clock is read every {@value #SPINS_BEFORE_CLOCK}
     * spins, and after every yield, a system call that costs more than the clock read.
     *
     * @return {@code true} if the condition held within the window.
     */
    private boolean spin(final Condition condition, final Condition peerBehind, final long windowNanos,
        final long behindWindowNanos)
    {
        // Both hints concern what happened before this wait (the last publish, the last sleep): read once.
        final boolean yieldAtOnce = woken || peerWoken.isMet();
        int checks = 0;
        while (true)
        {
            if (condition.isMet())
            {
                woken = false;
                return true;
            }
            if ((yieldAtOnce || checks >= SPINS_BEFORE_YIELD) && peerBehind.isMet())
            {
                Thread.yield();
                if (clock() - clockStart >= behindWindowNanos)
                {
                    return condition.isMet();
                }
            }
            else
            {
                Thread.onSpinWait();
                if ((++checks & (SPINS_BEFORE_CLOCK - 1)) == 0 && clock() - clockStart >= windowNanos)
                {
                    return condition.isMet();
                }
            }
        }
    }

    /**
     * Makes a spin whose peer is behind yield from its first check, not after {@value #SPINS_BEFORE_YIELD}, while
     * {@code lastPublishWoke} holds: this side's last publish found the peer asleep and woke it. A woken peer needs
     * microseconds to run again even on another CPU, so the checks that catch a running peer's answer are of no use;
     * and where the scheduler put it on this thread's CPU (the 2-vCPU VMs pack threads onto one vCPU), each of them
     * keeps it off that CPU. Likewise after this thread slept and was woken (its waker likely shares its CPU), until
     * a spin is answered again. Call before the first wait.
     *
     * @param lastPublishWoke whether the caller's last publish woke the peer: a hint, read without ordering.
     */
    public void yieldAtOnceAfterWaking(final Condition lastPublishWoke)
    {
        peerWoken = Objects.requireNonNull(lastPublishWoke, "lastPublishWoke");
    }

    static long maxParkNanos(final String millis)
    {
        if (millis == null)
        {
            return 1_000_000_000L;
        }
        final long value;
        try
        {
            value = Long.parseLong(millis.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(
                MAX_PARK_PROPERTY + " must be a number of milliseconds: value=" + millis, ex);
        }
        if (value < 1 || value > 3_600_000L)
        {
            throw new IllegalArgumentException(MAX_PARK_PROPERTY + " must be 1 to 3600000 ms: value=" + value);
        }
        return value * 1_000_000L;
    }

    private Outcome parked(final long startNanos, final long spinNanos)
    {
        final long now = System.nanoTime();
        learn(now - startNanos, spinNanos);
        if (null != forecast)
        {
            forecast.arrived(now);
        }
        return Outcome.PARKED;
    }

    /** The current spin window: the configured one times 2^boost (package-private for tests). */
    long window(final long spinNanos)
    {
        return spinBoost >= 0 ? spinNanos << spinBoost : spinNanos >> -spinBoost;
    }

    /**
     * Learns the spin window from a wait that had to park, by whether spinning longer would have caught it.
     * <ul>
     *   <li>A wait that ended within twice the current window, or within twice the configured one, doubles the window
     *       (up to 2^{@value #MAX_SPIN_BOOST} times the configured one): when waking a peer costs about as much as the
     *       window (idle vCPUs halt on small VMs), two peers that both park before the other has woken would otherwise
     *       stay in a state where every hand-off pays a kernel wake-up.</li>
     *   <li>A wait longer than twice the largest window is an idle gap (paced traffic, a quiet peer) that no window
     *       would have caught: it halves the window, down to 2^{@value #MIN_SPIN_BOOST} times the configured one, so
     *       that a server answering a request every few milliseconds does not spin for nothing after each.</li>
     * </ul>
     *
     * @param waitedNanos how long the wait took, from its start to its end.
     * @param spinNanos   the configured spin window.
     */
    void learn(final long waitedNanos, final long spinNanos)
    {
        if (waitedNanos < Math.max(window(spinNanos), spinNanos) << 1)
        {
            if (spinBoost < MAX_SPIN_BOOST)
            {
                spinBoost++;
            }
            spunSinceBoost = 0;
        }
        else if (spinBoost > MIN_SPIN_BOOST && waitedNanos > (spinNanos << MAX_SPIN_BOOST) << 1)
        {
            spinBoost--;
            spunSinceBoost = 0;
        }
    }

    /** Many waits served by spinning shrink a boosted window again, so an idle peer costs less CPU. */
    private Outcome spun()
    {
        if (clockStarted && null != forecast)
        {
            // A wait long enough to read the clock: an arrival to learn from (one that ends before is back-to-back
            // traffic, which no forecast helps).
            forecast.arrived(System.nanoTime());
        }
        if (spinBoost > 0 && ++spunSinceBoost >= SPINS_TO_DECAY)
        {
            spinBoost--;
            spunSinceBoost = 0;
        }
        return Outcome.SPUN;
    }

    /**
     * The current spin window as a multiple of the configured one, a power of two (for tests and diagnostics).
     *
     * @return 2^boost, from 2^{@value #MIN_SPIN_BOOST} to 2^{@value #MAX_SPIN_BOOST}.
     */
    public double spinMultiplier()
    {
        return Math.scalb(1.0, spinBoost);
    }

    /**
     * When the clock of the last {@link #await} started: a {@link System#nanoTime()} value, or now if that wait
     * ended before reading the clock. Only the waiter's thread calls this.
     *
     * @return the start of the last wait, in {@link System#nanoTime()} terms.
     */
    public long clockStartNanos()
    {
        return clockStarted ? clockStart : System.nanoTime();
    }

    private long clock()
    {
        final long now = System.nanoTime();
        if (!clockStarted)
        {
            clockStart = now;
            clockStarted = true;
        }
        return now;
    }

    /**
     * Announces sleep, fences, and re-checks the condition. If it holds, the announcement is withdrawn and
     * {@code true} returned; otherwise the word stays {@link #WAITING} and the caller may block on the signal (or, for
     * a dispatcher, on a multiplexer watching it).
     *
     * @param condition what the waiter waits for.
     * @return {@code true} if the condition already holds.
     */
    public boolean announceAndCheck(final Condition condition)
    {
        return announceAndCheck(condition, WAITING);
    }

    /**
     * As {@link #announceAndCheck(Condition)}, announcing {@link #WAITING_ON_WORD}: for a dispatcher that sleeps on
     * this word itself, among others ({@link ipc.shared.spi.Multiplexer#maxWords()}), so that the waker wakes the
     * word rather than ringing the doorbell. Only for a word whose signal has an address wait ({@link #wordSignal()}).
     *
     * @param condition what the waiter waits for.
     * @return {@code true} if the condition already holds (nothing is announced then).
     */
    public boolean announceOnWordAndCheck(final Condition condition)
    {
        return announceAndCheck(condition, WAITING_ON_WORD);
    }

    /**
     * The address wait on the word, if the platform has one.
     *
     * @return the signal, or {@code null}.
     */
    public WakeSignal wordSignal()
    {
        return wordSignal;
    }

    private boolean announceAndCheck(final Condition condition, final int announcement)
    {
        INT.setVolatile(segment, wordOffset, announcement);
        sleepBarrier.runOnAllRegistered();
        if (condition.isMet())
        {
            withdraw();
            return true;
        }
        return false;
    }

    /**
     * Withdraws an announcement: the waiter is awake. Harmless if a waker already took it.
     */
    public void withdraw()
    {
        INT.setOpaque(segment, wordOffset, IDLE);
    }

    /**
     * Waker side, called right after publishing: wakes the waiter if, and only if, it announced sleep.
     *
     * @return {@code true} if a wake-up was sent (a system call).
     */
    public boolean wakeIfWaiting()
    {
        return wakeIfWaiting(true);
    }

    /**
     * Waker side, called right after publishing, as {@link #wakeIfWaiting()}, with or without the fence.
     *
     * @param fence {@code false} only where the waiter runs a {@link ProcessBarrier} before its check and this
     *              process is registered for it: the publish and the read of the word then keep only the
     *              compiler's order (on x86, no instruction), and the waiter's barrier fences this thread.
     * @return {@code true} if a wake-up was sent (a system call).
     */
    public boolean wakeIfWaiting(final boolean fence)
    {
        if (fence)
        {
            VarHandle.fullFence();
        }
        else
        {
            // Keeps the compiler from reading the word before the publish; the processor may, which the barrier
            // of the waiter covers. The specification promises a release fence only LoadStore and StoreStore order:
            // this relies on HotSpot's C1 and C2 (and Graal) compiling it as a barrier to all memory accesses, which
            // on x86 emits no instruction.
            VarHandle.releaseFence();
        }
        final int word = (int)INT.getVolatile(segment, wordOffset);
        if (word == WAITING && INT.compareAndSet(segment, wordOffset, WAITING, IDLE))
        {
            signal.wake();
            return true;
        }
        if (word == WAITING_ON_WORD && INT.compareAndSet(segment, wordOffset, WAITING_ON_WORD, IDLE))
        {
            // A peer that announces this where no address wait exists (old or hostile) still gets the signal.
            (null == wordSignal ? signal : wordSignal).wake();
            return true;
        }
        return false;
    }

    /**
     * Reads the wait word (for tests and diagnostics).
     *
     * @return {@link #IDLE}, {@link #WAITING} or {@link #WAITING_ON_WORD}, or whatever a hostile peer stored.
     */
    public int wordVolatile()
    {
        return (int)INT.getVolatile(segment, wordOffset);
    }
}
