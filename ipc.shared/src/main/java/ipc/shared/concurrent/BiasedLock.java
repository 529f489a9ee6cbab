package ipc.shared.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

import ipc.shared.wait.ProcessBarrier;

/**
 * A {@link ReleaseStoreLock} biased towards the first thread that takes it: that thread takes and gives it back with
 * plain stores, no atomic instruction and no fence, until another thread wants it; then the bias is revoked for good
 * and everyone uses the compare-and-set of the lock underneath.
 *
 * <h2>Why</h2>
 * Most channels have one sending thread. On the 2-vCPU AMD VM the compare-and-set that takes the send lock was the
 * largest single cost of a 64-byte send: it waits for the previous record's stores to reach the reader's core (a
 * profile put 35 % of the sender's time there).
 *
 * <h2>How</h2>
 * The biased thread holds the underlying lock for as long as the bias lasts, and marks each critical section with
 * its own word: {@code inside} = 1 (plain store), then reads the revocation word, and enters only if no revocation
 * is under way; leaving is {@code inside} = 0 with a release store. Another thread that finds the lock held by the
 * bias asks for a revocation (one compare-and-set), runs the {@link ProcessBarrier}, says so, and then reads
 * {@code inside}: the barrier made the biased thread pass a full fence, so either its {@code inside} = 1 is visible
 * now or its next entry reads the request and stays out (the asymmetric Dekker pair of the wait protocol). Once
 * {@code inside} reads 0 after the barrier, the revocation completes (one compare-and-set decides who completes it):
 * the completer takes the underlying lock over from the bias, or the biased thread, leaving, gives it back.
 *
 * <h2>Readers of the state</h2>
 * {@link #isLocked()} runs the barrier before it trusts a biased thread's {@code inside} = 0, so a closing thread that
 * reads the lock free after publishing its close can rely on the sender seeing the close on its next entry.
 *
 * <p>Without a registered barrier ({@link ProcessBarrier#NONE}, macOS, Windows, {@code -Dipc.processBarrier=false})
 * the lock is never biased and behaves as its {@link ReleaseStoreLock}.
 */
public final class BiasedLock
{
    private static final VarHandle BIASED;
    private static final VarHandle INSIDE;
    private static final VarHandle REVOCATION;

    /** No revocation asked for: the bias, if granted, holds. */
    private static final int NONE = 0;
    /** A revocation was asked for; its barrier is running. */
    private static final int REQUESTED = 1;
    /** The barrier ran: {@code inside} now reads true, and a biased thread entering from now on stays out. */
    private static final int FENCED = 2;
    /** Revoked, or never to be granted: the underlying lock alone. */
    private static final int REVOKED = 3;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            BIASED = lookup.findVarHandle(BiasedLock.class, "biased", Thread.class);
            INSIDE = lookup.findVarHandle(BiasedLock.class, "inside", int.class);
            REVOCATION = lookup.findVarHandle(BiasedLock.class, "revocation", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final ReleaseStoreLock lock = new ReleaseStoreLock();
    private final ProcessBarrier barrier;
    /** Bound once: the contended path allocates nothing. */
    private final BooleanSupplier attempt = this::tryLock;

    /** The thread the lock is biased to, or null; accessed only through {@link #BIASED}. */
    @SuppressWarnings("unused")
    private Thread biased;
    /** 1 while the biased thread is inside; written by it alone; accessed only through {@link #INSIDE}. */
    @SuppressWarnings("unused")
    private int inside;
    /** {@link #NONE} to {@link #REVOKED}; accessed only through {@link #REVOCATION}. */
    @SuppressWarnings("unused")
    private int revocation;
    /** Written by the holder only, after taking the lock and before giving it back. */
    private Thread owner;

    /**
     * A lock that may be biased if the barrier is registered.
     *
     * @param barrier run by a thread that revokes the bias, or reads the lock free; {@link ProcessBarrier#NONE} for a
     *                lock that is never biased.
     */
    public BiasedLock(final ProcessBarrier barrier)
    {
        this.barrier = barrier;
        if (!barrier.registered())
        {
            revocation = REVOKED;
        }
    }

    /**
     * Takes the lock if it is free, or biased to this thread; revokes a bias held by another thread that is not
     * inside (without waiting for one that is).
     *
     * @return whether this thread holds it now.
     */
    public boolean tryLock()
    {
        final Thread me = Thread.currentThread();
        if (BIASED.getOpaque(this) == me)
        {
            if (owner == me)
            {
                // Not reentrant, as the lock underneath: a second entry would leave with the first one's mark.
                return false;
            }
            INSIDE.setOpaque(this, 1);
            // The compiler keeps the store before the load (a release fence is a barrier to all memory accesses in
            // HotSpot's compilers and Graal, beyond what its specification promises); the processor may not, which
            // the revoker's barrier covers.
            VarHandle.releaseFence();
            if (NONE == (int)REVOCATION.getAcquire(this))
            {
                owner = me;
                return true;
            }
            INSIDE.setRelease(this, 0);
        }
        if (lock.tryLock())
        {
            if (NONE == (int)REVOCATION.getAcquire(this) && null == BIASED.getOpaque(this))
            {
                // The first holder keeps the underlying lock as long as the bias lasts. Inside first: a revoker that
                // sees the bias sees this thread inside.
                INSIDE.setOpaque(this, 1);
                BIASED.setRelease(this, me);
            }
            owner = me;
            return true;
        }
        return revoke(me);
    }

    /**
     * Takes the lock, waiting at most the timeout (revoking a bias on the way).
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
        final boolean locked = lock.awaitLock(timeoutNanos, true, attempt);
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

    /** Gives the lock back: a release store either way, so the next holder sees everything written under it. */
    public void unlock()
    {
        final Thread me = Thread.currentThread();
        owner = null;
        if (BIASED.getOpaque(this) == me)
        {
            INSIDE.setRelease(this, 0);
            if (FENCED == (int)REVOCATION.getAcquire(this) && REVOCATION.compareAndSet(this, FENCED, REVOKED))
            {
                // A revoker asked and did not find us out yet: hand the underlying lock to everyone.
                BIASED.setRelease(this, null);
                lock.unlock();
            }
            return;
        }
        lock.unlock();
    }

    /**
     * Whether some thread holds the lock now. A biased thread's plain entry is made visible by the barrier first, so
     * a caller that published something before this call and reads {@code false} knows that the next entry of the
     * biased thread is ordered after that publication.
     *
     * @return {@code true} while held.
     */
    public boolean isLocked()
    {
        final Thread biasedTo = (Thread)BIASED.getAcquire(this);
        if (null == biasedTo)
        {
            return lock.isLocked();
        }
        if (0 != (int)INSIDE.getAcquire(this))
        {
            return true;
        }
        if (biasedTo == Thread.currentThread())
        {
            // Our own entries are in program order for us: no barrier (the dispatcher asks this of its own lock).
            return false;
        }
        barrier.runOnAllRegistered();
        if (0 != (int)INSIDE.getAcquire(this))
        {
            return true;
        }
        // A completed revocation (its compare-and-set came before the completer's first read under the lock)
        // leaves the lock underneath with the completer, or given back by the biased thread.
        return REVOKED == (int)REVOCATION.getAcquire(this) && lock.isLocked();
    }

    /**
     * Whether another thread holds the lock and will see, once it has given the lock back, what the calling thread
     * published before this call. The holder gives the lock back with a store and may look at shared state right
     * after it with no fence in between (a sender looking for a queue to write): that look may be served while the
     * store still waits in its CPU's store buffer, and then the holder misses what we published while we read the
     * lock held (a store-buffering pair). So a lock read held is read again after the barrier, which made the holder's
     * store visible: it then reads free, or the holder has yet to make its look, which finds what we published.
     * Without a registered barrier ({@link ProcessBarrier#NONE}) the barrier is a local fence, and the holder must
     * fence between giving the lock back and its look.
     *
     * @return {@code true} if held by a thread that will see what came before this call; {@code false} if free.
     */
    public boolean isLockedSeeingWhatCameBefore()
    {
        if (!isLocked())
        {
            return false;
        }
        barrier.runOnAllRegistered();
        return isLocked();
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
     * Whether the lock is biased to a thread now (for tests and diagnostics).
     *
     * @return {@code true} until a revocation completes.
     */
    public boolean isBiased()
    {
        return null != BIASED.getAcquire(this);
    }

    /** Revokes a bias held by another thread (or by this one, whose entry saw a revocation under way). */
    private boolean revoke(final Thread me)
    {
        if (null == BIASED.getAcquire(this))
        {
            // An ordinary holder: wait as for any lock.
            return false;
        }
        int state = (int)REVOCATION.getAcquire(this);
        if (NONE == state && REVOCATION.compareAndSet(this, NONE, REQUESTED))
        {
            try
            {
                barrier.runOnAllRegistered();
            }
            catch (final RuntimeException | Error ex)
            {
                // Withdrawn, not left REQUESTED (which nobody could move on from) nor FENCED (unfenced): the bias
                // holds as before and the caller sees the failure.
                REVOCATION.setRelease(this, NONE);
                throw ex;
            }
            REVOCATION.setRelease(this, FENCED);
            state = FENCED;
        }
        if (FENCED == state && 0 == (int)INSIDE.getAcquire(this) && REVOCATION.compareAndSet(this, FENCED, REVOKED))
        {
            // The underlying lock, held by the bias, passes to this thread.
            BIASED.setRelease(this, null);
            owner = me;
            return true;
        }
        return false;
    }
}
