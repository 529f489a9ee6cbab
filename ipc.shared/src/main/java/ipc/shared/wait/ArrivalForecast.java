package ipc.shared.wait;

/**
 * When the next message is due, for a peer that sends at a steady pace: the spin window moved from just after the
 * last message, where paced traffic never finds anything, to just before the next one.
 *
 * <p>A waiter that has to park pays a kernel wake-up per message: the peer's wake call, and the scheduler getting an
 * idle (on a VM, halted) CPU to run the waiter again; on the 2-vCPU VMs that is most of a paced round trip, and as
 * much as a socket's. Paced traffic (a request every millisecond, a heartbeat, a sampled sensor, a timer-driven
 * client) arrives at a predictable time, so the waiter can sleep on a timer until shortly before it and spin across
 * it: the peer then finds the waiter awake and makes no wake call, and the message is taken within a microsecond.
 * This is the hybrid polling of Linux's block layer (sleep for part of the expected completion time, then poll) for a
 * channel, with the expected time learnt from the arrivals:
 * <ul>
 *   <li>{@link #arrived(long)} records each arrival that ended a wait; the interval between two is smoothed into a
 *       {@link #periodNanos() period} and its {@link #deviationNanos() mean deviation}.</li>
 *   <li>A forecast is made only once {@value #SAMPLES_TO_TRUST} intervals have fitted the period (within a quarter
 *       of it) more often than not, with a mean deviation of at most an eighth of it ({@link #isConfident()}), for
 *       periods from {@value #MIN_PERIOD_NANOS} ns to {@value #MAX_PERIOD_NANOS} ns. An odd interval (a late, early or
 *       skipped beat) teaches nothing and costs the next forecast only; two odd intervals in a row that agree, at a
 *       pace in that range, are a new pace, learnt at once; as many odd intervals as it takes to trust a period
 *       forget it. (Learning afresh from every odd interval, as the first version did, made one late request cost a
 *       dozen forecasts.)</li>
 *   <li>The waiter sleeps until {@link #wakeNanos()}: the due time less the timer's learnt lateness (a timed sleep
 *       ends late by the thread's timer slack, 50 µs by default on Linux, and the wake-up) and a spread of twice the
 *       deviation plus {@value #SPIN_MARGIN_NANOS} ns, at most {@value #MAX_SPIN_NANOS} ns; it spins until
 *       {@link #giveUpNanos()}: the due time plus the spread.</li>
 *   <li>A forecast that the spin did not meet ({@link #missed()}) is dropped until the next arrival, so a peer that
 *       stops costs one spin, not one per period, and irregular traffic costs none: it never becomes confident.</li>
 * </ul>
 * The waiter still announces its sleep and is woken at once by a message that comes early, so a forecast never
 * delays a message; it costs CPU: the spin across the due time, at most twice {@value #MAX_SPIN_NANOS} ns plus the
 * error of the timer's lateness per message (measured: 50-65 µs of both processes' CPU per request, see below).
 *
 * <h2>Off by default (opt in with {@code -Dipc.wait.forecast=true})</h2>
 * Measured on the 2-vCPU AMD VMs (the paced rows of the benchmark tool, accept mode; the figures are in the README's
 * "Forecast arrivals"): the p50 falls from about 0.85 x a blocking socket's to 0.15-0.35 x at 200 Hz and 1 kHz, the p99
 * stays about the socket's, and both processes spend 50-65 µs more CPU per request. The guest kernel there packs
 * runnable threads onto one vCPU (its command line has
 * {@code sched_vcpu_pack=15}; {@code perf sched timehist} showed the client and the server on the same vCPU for every
 * request), so the client's timer wakes it on the very CPU the server spins on, and both wait for context switches. With
 * the two pinned to different vCPUs the client's send-to-server leg fell from 33.8 µs (a wake of a halted vCPU) to
 * 1.3 µs p50. It stays a switch while its CPU exceeds the default mode's allowance (one spin window, 50 µs, per
 * request) and until it is measured where threads spread (bare metal, other VMs).
 *
 * <p>One waiter uses an instance, from its own thread: plain fields.
 */
public final class ArrivalForecast
{
    /** Intervals that fit the period (within a quarter of it), net of odd ones, before a forecast is made. */
    public static final int SAMPLES_TO_TRUST = 4;

    /** Shorter periods are the spin window's: the waiter would hardly sleep. */
    public static final long MIN_PERIOD_NANOS = 50_000L;

    /** Longer periods are not forecast: a spin saved once a second is not worth the state. */
    public static final long MAX_PERIOD_NANOS = 1_000_000_000L;

    /** Spun past the due time beyond twice the deviation, and woken before it beyond the lateness. */
    public static final long SPIN_MARGIN_NANOS = 5_000L;

    /** The longest spin on either side of the due time (beyond the timer's lateness), whatever the deviation. */
    public static final long MAX_SPIN_NANOS = 100_000L;

    /** The timer's lateness assumed before any was measured: Linux's default timer slack and a wake-up. */
    public static final long INITIAL_LATENESS_NANOS = 60_000L;

    /** Lateness beyond this is a preempted or descheduled waiter, not the timer's: it does not teach. */
    public static final long MAX_LATENESS_NANOS = 200_000L;

    private long lastArrival;
    private boolean hasArrival;
    private long period;
    private long deviation;
    private int samples;
    /** The last interval if it did not fit the period, else 0. */
    private long oddInterval;
    private boolean missed;
    private long lateness = INITIAL_LATENESS_NANOS;
    private long hits;
    private long misses;

    /**
     * Records that a message arrived and ended a wait.
     *
     * @param nowNanos when, in {@link System#nanoTime()} terms.
     */
    public void arrived(final long nowNanos)
    {
        if (hasArrival)
        {
            learnInterval(nowNanos - lastArrival);
        }
        lastArrival = nowNanos;
        hasArrival = true;
        missed = false;
    }

    private void learnInterval(final long interval)
    {
        if (interval <= 0)
        {
            return;
        }
        if (samples == 0)
        {
            period = interval;
            deviation = interval >> 3;
            samples = 1;
            oddInterval = 0;
            return;
        }
        final long error = Math.abs(interval - period);
        if (error > period >> 2)
        {
            if (0 != oddInterval && Math.abs(interval - oddInterval) <= interval >> 3 &&
                interval >= MIN_PERIOD_NANOS && interval <= MAX_PERIOD_NANOS)
            {
                // Two odd intervals in a row that agree, at a pace that can be forecast: the pace changed. (Two that
                // agree at a pace too fast or too slow to forecast, a burst of three messages, say, are two odd ones.)
                period = (interval + oddInterval) >> 1;
                deviation = period >> 3;
                samples = 2;
                oddInterval = 0;
            }
            else
            {
                // A late, early or skipped beat teaches nothing, and costs the next forecast; as many in a row as it
                // took to trust the period forget it.
                oddInterval = interval;
                samples--;
            }
            return;
        }
        oddInterval = 0;
        period += (interval - period) >> 3;
        deviation += (error - deviation) >> 2;
        samples = Math.min(samples + 1, SAMPLES_TO_TRUST);
    }

    /**
     * Whether the next arrival can be forecast: the last intervals kept to the period, the period is in range, and
     * no forecast has been missed since the last arrival.
     *
     * @return {@code true} if {@link #wakeNanos()} and {@link #giveUpNanos()} mean something.
     */
    public boolean isConfident()
    {
        return !missed && samples >= SAMPLES_TO_TRUST && period >= MIN_PERIOD_NANOS && period <= MAX_PERIOD_NANOS &&
            deviation <= period >> 3;
    }

    /**
     * When the next message is due.
     *
     * @return the last arrival plus the period, in {@link System#nanoTime()} terms.
     */
    public long dueNanos()
    {
        return lastArrival + period;
    }

    /**
     * When a waiter should ask its timer to wake it, to be spinning by the time the message is due.
     *
     * @return the due time less the learnt lateness of the timer and twice the deviation plus the margin, the latter
     *         at most {@value #MAX_SPIN_NANOS} ns.
     */
    public long wakeNanos()
    {
        return dueNanos() - lateness - spread();
    }

    /** How far from the due time the spin reaches on either side, beyond the timer's lateness. */
    private long spread()
    {
        return Math.min((deviation << 1) + SPIN_MARGIN_NANOS, MAX_SPIN_NANOS);
    }

    /**
     * When a waiter spinning for the forecast message should give up and park.
     *
     * @return the due time plus twice the deviation and the margin, at most {@value #MAX_SPIN_NANOS} ns past it.
     */
    public long giveUpNanos()
    {
        return dueNanos() + spread();
    }

    /**
     * Learns how late the timer woke the waiter: it rises fast (halfway to a later wake-up) and falls slowly, since a
     * wake-up too late costs a kernel wake-up and one too early only a longer spin.
     *
     * @param latenessNanos the time from {@link #wakeNanos()} to the waiter running again.
     */
    public void woke(final long latenessNanos)
    {
        if (latenessNanos < 0 || latenessNanos > MAX_LATENESS_NANOS)
        {
            return;
        }
        lateness += latenessNanos > lateness ? (latenessNanos - lateness) >> 1 : -((lateness - latenessNanos) >> 3);
    }

    /** The forecast message came while the waiter spun for it: no wake call was needed. */
    public void hit()
    {
        hits++;
    }

    /**
     * How many forecast messages came while the waiter spun for them (for tests and diagnostics).
     *
     * @return the count, read by the waiter's thread.
     */
    public long hits()
    {
        return hits;
    }

    /** The forecast message did not come by {@link #giveUpNanos()}: no forecast until the next arrival. */
    public void missed()
    {
        missed = true;
        misses++;
    }

    /**
     * How many forecasts the spin did not meet (for tests and diagnostics).
     *
     * @return the count, read by the waiter's thread.
     */
    public long misses()
    {
        return misses;
    }

    /**
     * The smoothed interval between arrivals (for tests and diagnostics).
     *
     * @return nanoseconds, 0 before two arrivals.
     */
    public long periodNanos()
    {
        return period;
    }

    /**
     * The smoothed deviation of the intervals from the period (for tests and diagnostics).
     *
     * @return nanoseconds.
     */
    public long deviationNanos()
    {
        return deviation;
    }

    /**
     * The learnt lateness of the timer (for tests and diagnostics).
     *
     * @return nanoseconds.
     */
    public long latenessNanos()
    {
        return lateness;
    }
}
