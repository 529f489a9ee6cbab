package ipc.shared.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/**
 * The call client's bookkeeping lock: it excludes, it publishes what was written under it, and a contended thread
 * gets through once the holder lets go (through its spin, yield and park phases).
 */
class ShortLockTest
{
    @Test
    void shouldExcludeAndPublishUnderContention() throws Exception
    {
        final ShortLock lock = new ShortLock();
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
        final ShortLock lock = new ShortLock();
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
}
