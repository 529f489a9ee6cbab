package ipc.shared.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A non-reentrant lock that is taken with one compare-and-set and given back with a release store: no atomic
 * instruction and no fence on the way out.
 *
 * <h2>Why</h2>
 * A {@code ReentrantLock}'s unlock and a monitor's exit each end with a full fence (a volatile store, or a second
 * atomic instruction), so that the unlocking thread can see a waiter it must wake. A fence stalls until every store
 * before it is visible, and on the channel's send path the stores just before the unlock are the record's, to cache
 * lines the peer's reader is reading: the fence waits for those lines to travel between cores. On the 2-vCPU AMD VM
 * a two-thread stream through the raw ring ran at 0.70 of its plain speed behind a {@code ReentrantLock} and at
 * 1.0 behind this lock (interleaved slices, {@code /work/probe/Fences.java} of the issue 12 note), and an uncontended
 * lock and unlock takes 5 ns here against 10 ns either of those ways.
 *
 * <h2>Waiting</h2>
 * A contended thread spins briefly, then yields, then parks. One parked waiter at a time registers itself, and the
 * releasing thread unparks it after its release store, which costs the release one plain read while nobody waits.
 * That read is not ordered after the store, so a registration racing with a release can go unseen: every park is
 * therefore bounded, with a back-off of up to {@value #MAX_BACKOFF_MICROS} µs, and a missed hand-off costs at most
 * that much latency, never a lost waiter. Waiters that find the slot taken rely on the back-off alone. There is no
 * fairness beyond that, as with a non-fair {@code ReentrantLock}.
 *
 * <p>The owner is recorded, so the holder can ask {@link #isHeldByCurrentThread()}; any thread can ask
 * {@link #isLocked()}, and sees the lock free only after everything its holder wrote under it.
 */
public final class ReleaseStoreLock
{
    private static final VarHandle STATE;
    private static final VarHandle PARKED;
    private static final int SPINS = 64;
    private static final int YIELDS = 16;
    private static final long MAX_BACKOFF_MICROS = 1000;
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(MAX_BACKOFF_MICROS);

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(ReleaseStoreLock.class, "state", int.class);
            PARKED = lookup.findVarHandle(ReleaseStoreLock.class, "parked", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** 1 while held; accessed only through {@link #STATE}. */
    @SuppressWarnings("unused")
    private int state;
    /** The one waiter the release unparks, or null; accessed only through {@link #PARKED}. */
    @SuppressWarnings("unused")
    private Thread parked;
    /** Written by the holder only, after taking the lock and before giving it back. */
    private Thread owner;
    /** Bound once: the contended path allocates nothing. */
    private final BooleanSupplier attempt = this::tryLock;

    /**
     * Takes the lock if it is free.
     *
     * @return whether this thread holds it now.
     */
    public boolean tryLock()
    {
        if (0 == (int)STATE.getOpaque(this) && STATE.compareAndSet(this, 0, 1))
        {
            owner = Thread.currentThread();
            return true;
        }
        return false;
    }

    /** Takes the lock, waiting as long as it takes; an interrupt does not end the wait and is kept for the caller. */
    public void lock()
    {
        if (!tryLock())
        {
            awaitLock(Long.MAX_VALUE, false, attempt);
        }
    }

    /**
     * Takes the lock, waiting at most the timeout.
     *
     * @param timeoutNanos the longest wait; zero or less tries once.
     * @return whether this thread holds it now.
     * @throws InterruptedException if the thread is interrupted while it waits.
     */
    public boolean tryLock(final long timeoutNanos) throws InterruptedException
    {
        if (tryLock())
        {
            return true;
        }
        if (timeoutNanos <= 0)
        {
            return false;
        }
        final boolean locked = awaitLock(timeoutNanos, true, attempt);
        if (Thread.interrupted())
        {
            if (locked)
            {
                unlock();
            }
            throw new InterruptedException();
        }
        return locked;
    }

    /** Gives the lock back: a release store, so everything written under it is seen by the next holder. */
    public void unlock()
    {
        owner = null;
        STATE.setRelease(this, 0);
        final Thread waiter = (Thread)PARKED.getOpaque(this);
        if (null != waiter)
        {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * Whether some thread holds the lock now.
     *
     * @return {@code true} while held.
     */
    public boolean isLocked()
    {
        return 0 != (int)STATE.getAcquire(this);
    }

    /**
     * Whether the calling thread holds the lock.
     *
     * @return {@code true} if it does.
     */
    public boolean isHeldByCurrentThread()
    {
        return owner == Thread.currentThread();
    }

    /**
     * The contended path: spins, yields, then parks with a growing back-off until {@code attempt} takes the lock or the
     * time is up (a {@link BiasedLock} passes its own attempt, which also revokes a bias).
     * An interrupt ends the wait if {@code interruptible} (the flag stays set for the caller to see), else it is
     * cleared for the parks, which it would otherwise end at once, and set again before returning.
     */
    boolean awaitLock(final long timeoutNanos, final boolean interruptible, final BooleanSupplier attempt)
    {
        final long start = System.nanoTime();
        long backoffNanos = TimeUnit.MICROSECONDS.toNanos(1);
        boolean interrupted = false;
        try
        {
            for (int turn = 0; ; turn++)
            {
                if (attempt.getAsBoolean())
                {
                    return true;
                }
                final long remaining = timeoutNanos - (System.nanoTime() - start);
                if (remaining <= 0)
                {
                    return false;
                }
                if (Thread.interrupted())
                {
                    interrupted = true;
                    if (interruptible)
                    {
                        return false;
                    }
                }
                if (turn < SPINS)
                {
                    Thread.onSpinWait();
                }
                else if (turn < SPINS + YIELDS)
                {
                    Thread.yield();
                }
                else
                {
                    parkOnce(Math.min(backoffNanos, remaining));
                    backoffNanos = Math.min(backoffNanos << 1, MAX_BACKOFF_NANOS);
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void parkOnce(final long nanos)
    {
        final Thread me = Thread.currentThread();
        final boolean registered = PARKED.compareAndSet(this, null, me);
        try
        {
            // Registered before this last look, so a release after it unparks us (or the back-off ends the park).
            if (0 != (int)STATE.getVolatile(this))
            {
                LockSupport.parkNanos(this, nanos);
            }
        }
        finally
        {
            if (registered)
            {
                PARKED.setRelease(this, null);
            }
        }
    }
}
