package ipc.linux.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.linux.jna.Futex;

/**
 * {@code futex_waitv} through {@link FutexVector} against the real kernel: words of a shared mapping (as a segment's
 * wait words) and a private word, woken from another thread, changed before the call, timed out, and unmapped.
 */
@EnabledOnOs(OS.LINUX)
class FutexVectorTest
{
    private static final int WORDS = 3;
    private static final int WAITING = 2;

    private int fd;
    private ByteBuffer mapping;
    private long base;

    @BeforeEach
    void mapSegment() throws Exception
    {
        assertTrue(FutexVector.isSupported(), "futex_waitv (Linux 5.16) on this kernel: " +
            System.getProperty("os.version"));
        fd = SharedMemory.create("futex-vector-test", 4096);
        mapping = SharedMemory.map(fd, 4096);
        base = SharedMemory.address(mapping);
        for (int i = 0; i < WORDS; i++)
        {
            mapping.putInt(offset(i), WAITING);
        }
    }

    @AfterEach
    void unmapSegment() throws Exception
    {
        if (null != mapping)
        {
            SharedMemory.unmap(mapping);
        }
        Posix.close(fd);
    }

    private static int offset(final int word)
    {
        // One word per cache line, as a segment's wait words are laid out.
        return 64 * (word + 1);
    }

    @Test
    void shouldMatchTheKernelLayoutOfStructFutexWaitv()
    {
        // include/uapi/linux/futex.h: __u64 val; __u64 uaddr; __u32 flags; __u32 __reserved;
        assertEquals(24, Futex.SIZEOF_FUTEX_WAITV);
        assertEquals(0, Futex.FUTEX_WAITV_VAL_OFFSET);
        assertEquals(8, Futex.FUTEX_WAITV_UADDR_OFFSET);
        assertEquals(16, Futex.FUTEX_WAITV_FLAGS_OFFSET);
        assertEquals(20, Futex.FUTEX_WAITV_RESERVED_OFFSET);
        assertEquals(0x02, Futex.FUTEX2_SIZE_U32);
        assertEquals(128, Futex.FUTEX2_PRIVATE);
        assertEquals(128, Futex.FUTEX_WAITV_MAX);
        assertEquals(449, Futex.SYS_futex_waitv);
    }

    /**
     * Runs {@code vector.await} of up to 10 s on another thread with the words {@code fill} adds, and returns once
     * that thread is asleep in {@code futex_waitv}.
     */
    private static CompletableFuture<Integer> sleepingWait(final Consumer<FutexVector> fill) throws Exception
    {
        final AtomicInteger tid = new AtomicInteger();
        final CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                tid.set(Sleepers.currentTid());
                final FutexVector vector = new FutexVector();
                fill.accept(vector);
                return vector.await(TimeUnit.SECONDS.toNanos(10));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        while (tid.get() == 0)
        {
            Thread.onSpinWait();
        }
        Sleepers.awaitBlockedIn(tid.get(), Sleepers.futexWaitvSyscalls(), 5_000);
        return waiter;
    }

    @Test
    void shouldReturnTheIndexOfTheWordAWakerWoke() throws Exception
    {
        final CompletableFuture<Integer> waiter = sleepingWait(vector ->
        {
            for (int i = 0; i < WORDS; i++)
            {
                assertEquals(i, vector.add(base + offset(i), WAITING, false));
            }
        });
        // As a client does: take the announcement, then wake the word (a shared futex wake).
        mapping.putInt(offset(1), 0);
        assertEquals(1, ipc.linux.os.Futex.futexWake(base + offset(1), Integer.MAX_VALUE));
        assertEquals(1, waiter.get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldReturnAtOnceWhenAWordChangedBeforeTheCall() throws Exception
    {
        final FutexVector vector = new FutexVector();
        for (int i = 0; i < WORDS; i++)
        {
            vector.add(base + offset(i), WAITING, false);
        }
        mapping.putInt(offset(2), 0);
        final long start = System.nanoTime();
        assertEquals(FutexVector.MISMATCH, vector.await(TimeUnit.SECONDS.toNanos(10)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void shouldTimeOutOnTheMonotonicClock() throws Exception
    {
        final FutexVector vector = new FutexVector();
        vector.add(base + offset(0), WAITING, false);
        final long start = System.nanoTime();
        assertEquals(FutexVector.TIMED_OUT, vector.await(TimeUnit.MILLISECONDS.toNanos(50)));
        final long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(50), "woke early: " + elapsed + " ns");
        assertTrue(elapsed < TimeUnit.SECONDS.toNanos(5), "absolute deadline far off: " + elapsed + " ns");
        assertEquals(FutexVector.TIMED_OUT, vector.await(0), "zero only compares the words");
    }

    @Test
    void shouldBeWokenThroughAPrivateWord() throws Exception
    {
        final PrivateWord control = new PrivateWord();
        final int seen = control.get();
        final CompletableFuture<Integer> waiter = sleepingWait(vector ->
        {
            vector.add(control.address(), seen, true);
            vector.add(base + offset(0), WAITING, false);
        });
        control.bump();
        assertEquals(0, waiter.get(5, TimeUnit.SECONDS));
        assertEquals(seen + 1, control.get());
    }

    @Test
    void shouldReportAWordWhoseMemoryWasUnmapped() throws Exception
    {
        final FutexVector vector = new FutexVector();
        vector.add(base + offset(0), WAITING, false);
        SharedMemory.unmap(mapping);
        mapping = null;
        assertEquals(FutexVector.FAULT, vector.await(TimeUnit.SECONDS.toNanos(10)));
    }

    @Test
    void shouldRefuseMoreWordsThanTheKernelTakes()
    {
        final FutexVector vector = new FutexVector();
        for (int i = 0; i < FutexVector.MAX_WORDS; i++)
        {
            vector.add(base + offset(0), WAITING, false);
        }
        assertThrows(IllegalStateException.class, () -> vector.add(base + offset(0), WAITING, false));
        vector.clear();
        assertEquals(0, vector.size());
    }
}
