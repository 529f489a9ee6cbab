package ipc.shared.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ipc.shared.wait.ProcessBarrier;

/**
 * The biased send lock's states, one step at a time: the first holder gets the bias and comes back without the
 * underlying lock; another thread revokes it when the biased thread is outside, waits (or, not waiting, fails) while
 * it is inside and gets the lock when it leaves; a revoked lock is never biased again; without a registered barrier
 * it is never biased. The barrier here is a local fence: these tests check the state machine; the exclusion under the
 * real barrier (and its failure without one) is the jcstress pair {@code BiasedLockTest} and
 * {@code BiasedLockWithoutBarrierTest}.
 */
class BiasedLockTest
{
    /** Counts its runs; a local fence stands in for the process barrier. */
    private static final class CountingBarrier implements ProcessBarrier
    {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public boolean registered()
        {
            return true;
        }

        @Override
        public void runOnAllRegistered()
        {
            runs.incrementAndGet();
            VarHandle.fullFence();
        }
    }

    private final CountingBarrier barrier = new CountingBarrier();
    private final BiasedLock lock = new BiasedLock(barrier);

    @Test
    void shouldBiasTheFirstHolderAndLetItComeBackWithoutRevoking()
    {
        assertFalse(lock.isBiased());
        assertTrue(lock.tryLock());
        assertTrue(lock.isBiased(), "the first holder gets the bias");
        assertTrue(lock.isHeldByCurrentThread());
        assertTrue(lock.isLocked());
        lock.unlock();
        assertFalse(lock.isHeldByCurrentThread());
        assertFalse(lock.isLocked(), "free once the biased thread left");
        for (int i = 0; i < 1000; i++)
        {
            assertTrue(lock.tryLock());
            lock.unlock();
        }
        assertTrue(lock.isBiased());
        assertEquals(0, barrier.runs.get(), "the biased thread's own isLocked() needs no barrier");
    }

    @Test
    void shouldRevokeForAnotherThreadWhileTheBiasedThreadIsOutsideAndNeverBiasAgain() throws Exception
    {
        assertTrue(lock.tryLock());
        lock.unlock();
        assertTrue(lock.isBiased());

        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() ->
        {
            final boolean locked = lock.tryLock();
            holding.countDown();
            await(release);
            if (locked)
            {
                lock.unlock();
            }
            return locked;
        });
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        assertFalse(lock.isBiased(), "revoked");
        assertTrue(lock.isLocked(), "held by the other thread");
        assertFalse(lock.tryLock(), "the biased thread of before waits like anyone now");
        release.countDown();
        assertTrue(other.get(10, TimeUnit.SECONDS), "the other thread took it at once");
        assertTrue(lock.tryLock(0));
        lock.unlock();
        assertFalse(lock.isBiased(), "never biased again");
    }

    @Test
    void shouldNotTakeItFromTheBiasedThreadInsideButHandItOverWhenItLeaves() throws Exception
    {
        assertTrue(lock.tryLock());
        final CompletableFuture<Boolean> notWaiting = CompletableFuture.supplyAsync(lock::tryLock);
        assertFalse(notWaiting.get(10, TimeUnit.SECONDS), "a thread that does not wait fails while we are inside");
        assertTrue(lock.isBiased(), "the request stands until we leave");
        assertTrue(lock.isHeldByCurrentThread());

        final CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                final boolean locked = lock.tryLock(TimeUnit.SECONDS.toNanos(30));
                if (locked)
                {
                    lock.unlock();
                }
                return locked;
            }
            catch (final InterruptedException ex)
            {
                return false;
            }
        });
        lock.unlock();
        assertTrue(waiting.get(30, TimeUnit.SECONDS), "the waiting thread got it once we left");
        assertFalse(lock.isBiased());
        assertFalse(lock.isLocked());
    }

    @Test
    void shouldLetTheBiasedThreadItselfCompleteARevocationItFindsOnEntry() throws Exception
    {
        assertTrue(lock.tryLock());
        assertFalse(CompletableFuture.supplyAsync(lock::tryLock).get(10, TimeUnit.SECONDS), "asks, cannot take");
        lock.unlock();
        // Our unlock saw the request and handed the underlying lock back, so our next entry takes it as anyone would.
        assertFalse(lock.isBiased());
        assertTrue(lock.tryLock());
        assertTrue(lock.isLocked());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void shouldRefuseASecondEntryOfTheBiasedThreadAsTheLockUnderneathDoes() throws Exception
    {
        assertTrue(lock.tryLock());
        assertFalse(lock.tryLock(), "not reentrant");
        assertFalse(lock.tryLock(TimeUnit.MILLISECONDS.toNanos(20)), "not even after a wait");
        assertTrue(lock.isHeldByCurrentThread(), "the refused entry left the first one's hold alone");
        assertTrue(lock.isLocked());
        assertFalse(CompletableFuture.supplyAsync(lock::tryLock).get(10, TimeUnit.SECONDS), "still excluded");
        lock.unlock();
    }

    @Test
    void shouldAnswerIsLockedForItsOwnBiasedThreadWithoutTheBarrier()
    {
        assertTrue(lock.tryLock());
        lock.unlock();
        final int before = barrier.runs.get();
        assertFalse(lock.isLocked());
        assertEquals(before, barrier.runs.get(), "the biased thread's own view needs no barrier");
    }

    @Test
    void shouldWithdrawARevocationWhoseBarrierFailedAndKeepTheBias() throws Exception
    {
        final BiasedLock failing = new BiasedLock(new ProcessBarrier()
        {
            @Override
            public boolean registered()
            {
                return true;
            }

            @Override
            public void runOnAllRegistered()
            {
                throw new IllegalStateException("barrier failed");
            }
        });
        assertTrue(failing.tryLock());
        failing.unlock();
        final CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(failing::tryLock);
        final Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
            () -> other.get(10, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IllegalStateException, "the caller sees the failure: " + failure);
        assertTrue(failing.isBiased());
        assertTrue(failing.tryLock(), "the biased thread still enters: nothing was left half-revoked");
        failing.unlock();
    }

    @Test
    void shouldNeverBiasWithoutARegisteredBarrier()
    {
        final BiasedLock plain = new BiasedLock(ProcessBarrier.NONE);
        assertTrue(plain.tryLock());
        assertFalse(plain.isBiased());
        assertTrue(plain.isLocked());
        plain.unlock();
        assertFalse(plain.isLocked());
    }

    @Test
    void shouldExcludeAndPublishUnderContentionAfterTheBiasIsRevoked() throws Exception
    {
        final long[] counter = new long[1];
        final int threads = 4;
        final int rounds = 100_000;
        final CountDownLatch start = new CountDownLatch(1);
        final CompletableFuture<?>[] all = new CompletableFuture<?>[threads];
        for (int t = 0; t < threads; t++)
        {
            all[t] = CompletableFuture.runAsync(() ->
            {
                await(start);
                for (int i = 0; i < rounds; i++)
                {
                    try
                    {
                        assertTrue(lock.tryLock(TimeUnit.SECONDS.toNanos(30)));
                    }
                    catch (final InterruptedException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                    try
                    {
                        counter[0]++;
                    }
                    finally
                    {
                        lock.unlock();
                    }
                }
            }, runnable -> new Thread(runnable).start());
        }
        start.countDown();
        CompletableFuture.allOf(all).get(120, TimeUnit.SECONDS);
        assertTrue(lock.tryLock());
        try
        {
            assertEquals((long)threads * rounds, counter[0]);
        }
        finally
        {
            lock.unlock();
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
