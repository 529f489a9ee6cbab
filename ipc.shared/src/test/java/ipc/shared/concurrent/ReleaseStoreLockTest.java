package ipc.shared.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The send lock and the call client's bookkeeping lock: it excludes, it publishes what was written under it, a
 * contended thread gets through once the holder lets go (through its spin, yield and park phases), a timed wait
 * never ends early, an interrupt ends a timed wait and survives an untimed one, and the holder knows itself.
 */
class ReleaseStoreLockTest
{
    @Test
    void shouldExcludeAndPublishUnderContention() throws Exception
    {
        final ReleaseStoreLock lock = new ReleaseStoreLock();
        final long[] counter = new long[1];
        final int threads = 4;
        final int rounds = 200_000;
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final Thread worker = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < rounds; i++)
                {
                    lock.lock();
                    try
                    {
                        // A plain read-modify-write: lost updates show any overlap or any stale read.
                        counter[0] = counter[0] + 1;
                    }
                    finally
                    {
                        lock.unlock();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (final Thread worker : workers)
        {
            worker.join();
        }
        assertEquals((long)threads * rounds, counter[0]);
    }

    @Test
    void shouldRefuseATryWhileHeldAndLetAWaiterInAfterTheRelease() throws Exception
    {
        final ReleaseStoreLock lock = new ReleaseStoreLock();
        assertTrue(lock.tryLock());
        assertFalse(lock.tryLock(), "not reentrant, and held");
        final CountDownLatch waiting = new CountDownLatch(1);
        final boolean[] got = new boolean[1];
        final Thread waiter = new Thread(() ->
        {
            waiting.countDown();
            lock.lock();
            got[0] = true;
            lock.unlock();
        });
        waiter.start();
        waiting.await();
        // The waiter spins, yields, then parks with a growing back-off; whichever phase it is in, it must get through.
        lock.unlock();
        waiter.join(60_000);
        assertFalse(waiter.isAlive(), "the waiter never got the lock");
        assertTrue(got[0]);
        assertTrue(lock.tryLock(), "free again");
        lock.unlock();
    }

    @Test
    void shouldKnowItsHolder() throws Exception
    {
        final ReleaseStoreLock lock = new ReleaseStoreLock();
        assertFalse(lock.isLocked());
        assertFalse(lock.isHeldByCurrentThread());
        lock.lock();
        assertTrue(lock.isLocked());
        assertTrue(lock.isHeldByCurrentThread());
        final AtomicReference<Boolean> seenElsewhere = new AtomicReference<>();
        final Thread other = new Thread(() -> seenElsewhere.set(lock.isHeldByCurrentThread() || !lock.isLocked()));
        other.start();
        other.join();
        assertFalse(seenElsewhere.get(), "another thread sees it held, and not by itself");
        lock.unlock();
        assertFalse(lock.isLocked());
        assertFalse(lock.isHeldByCurrentThread());
    }

    @Test
    void shouldTimeOutATimedWaitNoEarlierThanItsTimeout() throws Exception
    {
        final ReleaseStoreLock lock = new ReleaseStoreLock();
        lock.lock();
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(30);
        final Thread waiter = new Thread(() ->
        {
            final long start = System.nanoTime();
            try
            {
                final boolean locked = lock.tryLock(timeoutNanos);
                outcome.set(locked ? "locked" : System.nanoTime() - start);
            }
            catch (final InterruptedException ex)
            {
                outcome.set(ex);
            }
        });
        waiter.start();
        waiter.join();
        lock.unlock();
        assertTrue(outcome.get() instanceof Long, "timed out, not " + outcome.get());
        assertTrue((Long)outcome.get() >= timeoutNanos, "never early: waited " + outcome.get() + " ns");
        assertFalse(lock.tryLock(0) && !unlocked(lock), "a zero timeout tries once");
    }

    @Test
    void shouldEndATimedWaitOnInterruptAndKeepAnInterruptThroughAnUntimedOne() throws Exception
    {
        final ReleaseStoreLock lock = new ReleaseStoreLock();
        lock.lock();
        final CountDownLatch started = new CountDownLatch(2);
        final AtomicReference<Object> timed = new AtomicReference<>();
        final AtomicReference<Object> untimed = new AtomicReference<>();
        final Thread timedWaiter = new Thread(() ->
        {
            started.countDown();
            try
            {
                timed.set(lock.tryLock(TimeUnit.MINUTES.toNanos(10)));
            }
            catch (final InterruptedException ex)
            {
                timed.set(ex);
            }
        });
        final Thread untimedWaiter = new Thread(() ->
        {
            started.countDown();
            lock.lock();
            untimed.set(Thread.currentThread().isInterrupted());
            lock.unlock();
        });
        timedWaiter.start();
        untimedWaiter.start();
        started.await();
        timedWaiter.interrupt();
        timedWaiter.join();
        assertTrue(timed.get() instanceof InterruptedException, "the interrupt ends a timed wait: " + timed.get());

        untimedWaiter.interrupt();
        // The untimed waiter keeps waiting however often it is interrupted, until the lock is free.
        untimedWaiter.join(50);
        assertTrue(untimedWaiter.isAlive(), "an interrupt does not end an untimed wait");
        lock.unlock();
        untimedWaiter.join();
        assertEquals(Boolean.TRUE, untimed.get(), "the interrupt is kept for the caller");
    }

    @Test
    void shouldRefuseATimedWaitOfAnInterruptedThreadOnlyWhenItMustWait() throws Exception
    {
        final ReleaseStoreLock lock = new ReleaseStoreLock();
        Thread.currentThread().interrupt();
        try
        {
            assertTrue(lock.tryLock(1), "a free lock is taken without looking at the interrupt");
        }
        finally
        {
            Thread.interrupted();
        }
        lock.unlock();
        final Thread holder = new Thread(lock::lock);
        holder.start();
        holder.join();
        Thread.currentThread().interrupt();
        try
        {
            assertThrows(InterruptedException.class, () -> lock.tryLock(TimeUnit.SECONDS.toNanos(10)));
            assertFalse(Thread.currentThread().isInterrupted(), "cleared, as InterruptedException says");
        }
        finally
        {
            Thread.interrupted();
        }
    }

    private static boolean unlocked(final ReleaseStoreLock lock)
    {
        lock.unlock();
        return true;
    }
}
