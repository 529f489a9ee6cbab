package ipc.linux.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class FutexTest
{
    private static final int WORD_OFFSET = 256;

    private int fd;
    private ByteBuffer mapping;
    private long word;

    @BeforeEach
    void mapSegment() throws Exception
    {
        fd = SharedMemory.create("futex-test", 4096);
        mapping = SharedMemory.map(fd, 4096);
        word = SharedMemory.address(mapping) + WORD_OFFSET;
    }

    @AfterEach
    void unmapSegment() throws Exception
    {
        SharedMemory.unmap(mapping);
        Posix.close(fd);
    }

    @Test
    void shouldWakeWaiterAfterTheWordChanged() throws Exception
    {
        mapping.putInt(WORD_OFFSET, 0);
        final AtomicInteger tid = new AtomicInteger();
        final CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() ->
        {
            int result;
            try
            {
                tid.set(Sleepers.currentTid());
                do
                {
                    result = Futex.futexWait(word, 0, TimeUnit.SECONDS.toNanos(10));
                }
                while (result == Futex.WOKEN && mapping.getInt(WORD_OFFSET) == 0);
            }
            catch (final Exception e)
            {
                throw new IllegalStateException(e);
            }
            return result;
        });
        while (tid.get() == 0)
        {
            Thread.onSpinWait();
        }
        // Blocked in futex_wait, not merely about to call it: the wake below must find it there.
        Sleepers.awaitSleeping(tid.get(), 5_000);
        final long start = System.nanoTime();
        mapping.putInt(WORD_OFFSET, 1);
        final int woken = Futex.futexWake(word, 1);
        final int result = waiter.get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertEquals(1, woken, "the sleeping waiter was woken");
        assertEquals(Futex.WOKEN, result);
    }

    @Test
    void shouldReturnTimedOutWhenNobodyWakes() throws Exception
    {
        mapping.putInt(WORD_OFFSET, 5);
        final long start = System.nanoTime();
        assertEquals(Futex.TIMED_OUT, Futex.futexWait(word, 5, TimeUnit.MILLISECONDS.toNanos(50)));
        final long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(45), "elapsed=" + elapsed);
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(2), "elapsed=" + elapsed);
        assertEquals(Futex.TIMED_OUT, Futex.futexWait(word, 5, 0));
    }

    @Test
    void shouldReturnAtOnceOnValueMismatch() throws Exception
    {
        mapping.putInt(WORD_OFFSET, 7);
        final long start = System.nanoTime();
        assertEquals(Futex.VALUE_MISMATCH, Futex.futexWait(word, 8, -1));
        assertEquals(Futex.VALUE_MISMATCH, Futex.futexWait(word, -1, TimeUnit.SECONDS.toNanos(5)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void shouldWakeNobodyWhenNobodyWaits() throws Exception
    {
        assertEquals(0, Futex.futexWake(word, Integer.MAX_VALUE));
    }

    @Test
    void shouldWakeEveryWaiterOfAWordInASecondMapping() throws Exception
    {
        final ByteBuffer other = SharedMemory.map(fd, 4096);
        try
        {
            final long otherWord = SharedMemory.address(other) + WORD_OFFSET;
            mapping.putInt(WORD_OFFSET, 0);
            final CompletableFuture<?>[] waiters = new CompletableFuture<?>[3];
            final java.util.concurrent.atomic.AtomicIntegerArray tids =
                new java.util.concurrent.atomic.AtomicIntegerArray(waiters.length);
            for (int i = 0; i < waiters.length; i++)
            {
                final int waiterIndex = i;
                waiters[i] = CompletableFuture.runAsync(() ->
                {
                    try
                    {
                        tids.set(waiterIndex, Sleepers.currentTid());
                        while (mapping.getInt(WORD_OFFSET) == 0)
                        {
                            Futex.futexWait(word, 0, TimeUnit.SECONDS.toNanos(10));
                        }
                    }
                    catch (final Exception e)
                    {
                        throw new IllegalStateException(e);
                    }
                }, command -> new Thread(command).start());
            }
            for (int i = 0; i < waiters.length; i++)
            {
                while (tids.get(i) == 0)
                {
                    Thread.onSpinWait();
                }
                Sleepers.awaitSleeping(tids.get(i), 5_000);
            }
            other.putInt(WORD_OFFSET, 1);
            assertEquals(waiters.length, Futex.futexWake(otherWord, Integer.MAX_VALUE),
                "a wake through the second mapping reaches every waiter of the first");
            CompletableFuture.allOf(waiters).get(5, TimeUnit.SECONDS);
        }
        finally
        {
            SharedMemory.unmap(other);
        }
    }
}
