package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.linux.os.EventFd;
import ipc.linux.os.Futex;
import ipc.linux.os.Posix;
import ipc.linux.os.SharedMemory;
import ipc.linux.os.SleepersAccess;
import ipc.shared.spi.Multiplexer;

/**
 * The multiplexer's select that sleeps on wait words as well as on epoll ({@code futex_waitv} and a helper thread
 * that watches the epoll descriptor), against the real kernel: each way it can be woken, and its helper's end.
 */
@EnabledOnOs(OS.LINUX)
class LinuxMultiplexerWordsTest
{
    private static final int WAITING = 2;
    private static final int WORDS = 3;

    private LinuxMultiplexer multiplexer;
    private int memory;
    private ByteBuffer mapping;
    private final long[] words = new long[WORDS];
    private final List<Long> reported = new ArrayList<>();
    private final Multiplexer.ReadyHandler record = (key, hangUp) -> reported.add(key);

    @BeforeEach
    void setUp() throws Exception
    {
        multiplexer = new LinuxMultiplexer();
        assertEquals(127, multiplexer.maxWords(), "futex_waitv on this kernel, one word kept for control");
        memory = SharedMemory.create("multiplexer-words-test", 4096);
        mapping = SharedMemory.map(memory, 4096);
        for (int i = 0; i < WORDS; i++)
        {
            mapping.putInt(64 * i, WAITING);
            words[i] = SharedMemory.address(mapping) + 64 * i;
        }
    }

    @AfterEach
    void tearDown() throws Exception
    {
        multiplexer.close();
        SharedMemory.unmap(mapping);
        Posix.close(memory);
    }

    /** Runs a word select of up to 10 s on another thread, once it is asleep in futex_waitv. */
    private CompletableFuture<Integer> sleepingSelect() throws Exception
    {
        final AtomicInteger tid = new AtomicInteger();
        final CompletableFuture<Integer> select = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                tid.set(SleepersAccess.currentTid());
                return multiplexer.select(TimeUnit.SECONDS.toNanos(10), record, words, WORDS, WAITING);
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
        SleepersAccess.awaitBlockedInFutexWaitv(tid.get(), 5_000);
        return select;
    }

    @Test
    void shouldReturnTheWordAClientWoke() throws Exception
    {
        final CompletableFuture<Integer> select = sleepingSelect();
        mapping.putInt(64 * 2, 0);
        Futex.futexWake(words[2], Integer.MAX_VALUE);
        assertEquals(2, select.get(5, TimeUnit.SECONDS));
        assertTrue(reported.isEmpty());
    }

    @Test
    void shouldNotSleepOnAWordThatChangedBefore() throws Exception
    {
        mapping.putInt(64, 0);
        final long start = System.nanoTime();
        assertEquals(Multiplexer.ANY_WORD, multiplexer.select(TimeUnit.SECONDS.toNanos(10), record, words, WORDS,
            WAITING));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void shouldReportWhatEpollSeesWhileAsleepOnWords() throws Exception
    {
        final int doorbell = EventFd.create();
        try
        {
            multiplexer.register(() -> doorbell, 42);
            // The first select starts the helper; a second one finds it in place.
            for (int round = 0; round < 2; round++)
            {
                reported.clear();
                final CompletableFuture<Integer> select = sleepingSelect();
                EventFd.signal(doorbell);
                assertEquals(Multiplexer.NO_WORD, select.get(5, TimeUnit.SECONDS));
                assertEquals(List.of(42L), reported, "the doorbell, through the helper, round " + round);
                EventFd.drain(doorbell);
            }
        }
        finally
        {
            multiplexer.unregister(() -> doorbell);
            Posix.close(doorbell);
        }
    }

    @Test
    void shouldStillSeeEpollIfTheHelperFailed() throws Exception
    {
        multiplexer.failHelper();
        final int doorbell = EventFd.create();
        try
        {
            multiplexer.register(() -> doorbell, 7);
            // A dispatcher selects again after each return: an event is seen within one round of ~10 ms, although
            // each select asks for no deadline.
            final CompletableFuture<Integer> select = sleepingSelect();
            EventFd.signal(doorbell);
            final long signalled = System.nanoTime();
            select.get(5, TimeUnit.SECONDS);
            while (reported.isEmpty() && System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(5))
            {
                multiplexer.select(-1, record, words, WORDS, WAITING);
            }
            assertEquals(List.of(7L), reported, "seen by the select's own look");
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().endsWith("-epoll") && thread.getName().startsWith("ForkJoin")),
                "no helper was started");
        }
        finally
        {
            multiplexer.unregister(() -> doorbell);
            Posix.close(doorbell);
        }
    }

    @Test
    void shouldEndAWordSelectOnWakeup() throws Exception
    {
        final CompletableFuture<Integer> select = sleepingSelect();
        multiplexer.wakeup();
        assertEquals(Multiplexer.NO_WORD, select.get(5, TimeUnit.SECONDS));
        assertTrue(reported.isEmpty(), "the wake-up is the multiplexer's own: " + reported);
    }

    @Test
    void shouldNotSleepThroughAWakeupMadeBeforeTheSelect() throws Exception
    {
        // A task submitted after the dispatcher last looked at its queue, before it sleeps: the wake-up signals the
        // eventfd and bumps the control word, and the select's own look at epoll drains the eventfd.
        multiplexer.wakeup();
        final long start = System.nanoTime();
        assertEquals(Multiplexer.NO_WORD, multiplexer.select(TimeUnit.SECONDS.toNanos(5), record, words, WORDS,
            WAITING));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "slept through a wake-up: " +
            (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    @Test
    void shouldTimeOut() throws Exception
    {
        final long start = System.nanoTime();
        assertEquals(Multiplexer.NO_WORD, multiplexer.select(TimeUnit.MILLISECONDS.toNanos(30), record, words,
            WORDS, WAITING));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30));
    }

    @Test
    void shouldStopItsHelperOnClose() throws Exception
    {
        final String name = Thread.currentThread().getName();
        Thread.currentThread().setName("words-test-selector");
        try
        {
            multiplexer.select(0, record, words, WORDS, WAITING);
        }
        finally
        {
            Thread.currentThread().setName(name);
        }
        final Thread helper = Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().equals("words-test-selector-epoll")).findFirst().orElseThrow();
        assertTrue(helper.isAlive());
        multiplexer.close();
        assertFalse(helper.isAlive(), "the helper polls the epoll descriptor: it must end before that is closed");
    }
}
