package ipc.shared.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ipc.api.IdleStrategy;
import ipc.shared.ring.Direction;
import ipc.shared.ring.RecordDescriptor;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.ring.SpscRing;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;

/**
 * Many hand-offs between a writer and a reader that both go to sleep, on a small ring so the writer also sleeps on
 * a full ring, with random pauses on both sides. Every wait has a long deadline: a lost wake-up shows as a wait that
 * is never woken (the protocol's periodic re-check would hide it, so the signal counts such sleeps), and fails
 * the test. The wake primitive is an in-process event (a sticky flag under a monitor), so
 * nothing but the protocol's own decision to wake can end a sleep.
 */
class WaitProtocolStressTest
{
    private static final long LOST_WAKEUP_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MESSAGES = 200_000;
    /** Sleeps this long or longer are the protocol's plain parks, which only a wake-up may end before their time. */
    private static final long UNWOKEN_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** An in-process signal that counts its sleeps and wake-ups, and the sleeps nobody woke. */
    abstract static class CountingSignal implements WakeSignal
    {
        final AtomicLong wakes = new AtomicLong();
        final AtomicLong sleeps = new AtomicLong();
        /**
         * Sleeps that ended because nobody woke them: {@link WaitProtocol#MAX_PARK_NANOS} hides these otherwise. Only
         * sleeps of at least {@link #UNWOKEN_AFTER_NANOS} count: shorter ones are a forecast's, which its timer ends.
         */
        final AtomicLong unwoken = new AtomicLong();

        /** A sleep of this timeout ended with nobody waking it. */
        final void timedOut(final long timeoutNanos)
        {
            if (timeoutNanos >= UNWOKEN_AFTER_NANOS)
            {
                unwoken.incrementAndGet();
            }
        }

        @Override
        public Selectable selectable()
        {
            return null;
        }

        @Override
        public boolean drain()
        {
            return true;
        }
    }

    /** Like an eventfd or an auto-reset event: a wake before the wait is kept, not lost. */
    static final class EventSignal extends CountingSignal
    {
        private boolean signalled;

        @Override
        public synchronized void await(final long timeoutNanos)
        {
            sleeps.incrementAndGet();
            final long deadline = System.nanoTime() + timeoutNanos;
            while (!signalled)
            {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    timedOut(timeoutNanos);
                    return;
                }
                try
                {
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            signalled = false;
        }

        @Override
        public synchronized void wake()
        {
            wakes.incrementAndGet();
            signalled = true;
            notifyAll();
        }
    }

    /**
     * As {@link EventSignal}, with timeouts as precise as {@link LockSupport#parkNanos} (a monitor's timed wait rounds
     * up to the next millisecond, which would make every forecast's sleep end after its message).
     */
    static final class ParkSignal extends CountingSignal
    {
        private final AtomicBoolean signalled = new AtomicBoolean();
        private volatile Thread waiter;

        @Override
        public void await(final long timeoutNanos)
        {
            sleeps.incrementAndGet();
            waiter = Thread.currentThread();
            final long deadline = System.nanoTime() + timeoutNanos;
            while (!signalled.getAndSet(false))
            {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    timedOut(timeoutNanos);
                    return;
                }
                LockSupport.parkNanos(this, remaining);
            }
        }

        @Override
        public void wake()
        {
            wakes.incrementAndGet();
            signalled.set(true);
            final Thread sleeper = waiter;
            if (null != sleeper)
            {
                LockSupport.unpark(sleeper);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = IdleStrategy.class, names = {"PARK", "SPIN_THEN_PARK"})
    void shouldNeverLoseAWakeUp(final IdleStrategy strategy) throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        final ByteBuffer segment = ByteBuffer.allocateDirect((int)layout.segmentLength()).order(ByteOrder.nativeOrder());
        SegmentHeader.initialize(segment, layout, 1024);
        final Direction direction = Direction.CLIENT_TO_SERVER;
        final EventSignal dataSignal = new EventSignal();
        final EventSignal spaceSignal = new EventSignal();
        final long spinNanos = 2_000;

        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread writerThread = new Thread(() ->
        {
            final SpscRing ring = new SpscRing(segment, layout, direction);
            final WaitProtocol readerWord = new WaitProtocol(segment, layout.readerWaitOffset(direction), dataSignal);
            final WaitProtocol writerWord = new WaitProtocol(segment, layout.writerWaitOffset(direction), spaceSignal);
            final ByteBuffer message = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
            final SplittableRandom random = new SplittableRandom(1);
            try
            {
                for (long sequence = 0; sequence < MESSAGES; sequence++)
                {
                    final int length = 8 + random.nextInt(200);
                    message.putLong(0, sequence);
                    while (!ring.offer(RecordDescriptor.MESSAGE, message, 0, length))
                    {
                        // Room appears when the reader moves the head; if it drained the ring between the failed
                        // offer and this read, the head stays put but the ring is empty, which is room too.
                        final long headSeen = ring.headPositionAcquire();
                        final WaitProtocol.Outcome outcome = writerWord.await(
                            () -> ring.headPositionAcquire() != headSeen ||
                                ring.headPositionAcquire() == ring.producerPosition(), strategy, spinNanos,
                            LOST_WAKEUP_NANOS);
                        if (outcome == WaitProtocol.Outcome.TIMED_OUT)
                        {
                            throw new AssertionError("lost wake-up: writer slept on a full ring, sequence=" + sequence);
                        }
                    }
                    readerWord.wakeIfWaiting();
                    pause(random);
                }
            }
            catch (final Throwable t)
            {
                failure.compareAndSet(null, t);
            }
        }, "stress-writer");
        writerThread.start();

        final SpscRing ring = new SpscRing(segment, layout, direction);
        final WaitProtocol readerWord = new WaitProtocol(segment, layout.readerWaitOffset(direction), dataSignal);
        final WaitProtocol writerWord = new WaitProtocol(segment, layout.writerWaitOffset(direction), spaceSignal);
        final SplittableRandom random = new SplittableRandom(2);
        final long[] expected = {0};
        try
        {
            while (expected[0] < MESSAGES && null == failure.get())
            {
                final WaitProtocol.Outcome outcome = readerWord.await(() -> !ring.isEmpty(), strategy, spinNanos,
                    LOST_WAKEUP_NANOS);
                if (outcome == WaitProtocol.Outcome.TIMED_OUT)
                {
                    fail("lost wake-up: reader slept on an empty ring, expected sequence=" + expected[0]);
                }
                ring.poll((type, buffer, index, length) ->
                {
                    assertEquals(expected[0]++, buffer.getLong(index), "reordered, lost or duplicated");
                }, 1 + random.nextInt(8));
                writerWord.wakeIfWaiting();
                pause(random);
            }
        }
        finally
        {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (null != failure.get())
        {
            throw new AssertionError(failure.get());
        }
        assertEquals(MESSAGES, expected[0]);
        System.out.printf("%s: reader sleeps=%d wakes=%d unwoken=%d, writer sleeps=%d wakes=%d unwoken=%d%n", strategy,
            dataSignal.sleeps.get(), dataSignal.wakes.get(), dataSignal.unwoken.get(),
            spaceSignal.sleeps.get(), spaceSignal.wakes.get(), spaceSignal.unwoken.get());
        assertEquals(0, dataSignal.unwoken.get() + spaceSignal.unwoken.get(),
            "lost wake-ups: sleeps that only the protocol's re-check timeout ended");
        // The test only proves something if both sides really slept, many times.
        assertTrue(dataSignal.sleeps.get() > 1_000, "reader slept only " + dataSignal.sleeps.get() + " times");
        assertTrue(spaceSignal.sleeps.get() > 100, "writer slept only " + spaceSignal.sleeps.get() + " times");
    }

    /**
     * A writer that publishes at a steady pace, with jitter, some early messages and some skipped beats, to a reader
     * that forecasts the arrivals: the reader sleeps on its forecast's timer (announced) and spins across the due
     * time, or misses and parks. No message may be lost or wait for the re-check timeout, whichever way each wait
     * ends; and the forecast must have been used, or the test proves nothing.
     */
    @Test
    void shouldNeverLoseAWakeUpWhileForecasting() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        final ByteBuffer segment = ByteBuffer.allocateDirect((int)layout.segmentLength()).order(ByteOrder.nativeOrder());
        SegmentHeader.initialize(segment, layout, 1024);
        final Direction direction = Direction.CLIENT_TO_SERVER;
        final ParkSignal dataSignal = new ParkSignal();
        final int messages = 1_500;
        final long periodNanos = 1_000_000;

        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread writerThread = new Thread(() ->
        {
            final SpscRing ring = new SpscRing(segment, layout, direction);
            final WaitProtocol readerWord = new WaitProtocol(segment, layout.readerWaitOffset(direction), dataSignal);
            final ByteBuffer message = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
            final SplittableRandom random = new SplittableRandom(3);
            try
            {
                long next = System.nanoTime();
                for (long sequence = 0; sequence < messages; sequence++)
                {
                    final int dice = random.nextInt(100);
                    // Mostly on the beat with up to 20 us of jitter; sometimes early (inside the forecast's sleep),
                    // sometimes a skipped beat (a missed forecast).
                    next += dice < 3 ? 3 * periodNanos : periodNanos;
                    final long at = next + (dice < 6 ? -periodNanos / 2 : random.nextInt(20_000));
                    // Parks for most of the gap (the machine may have two cores), spins for the last of it.
                    long early;
                    while ((early = at - System.nanoTime()) > 400_000)
                    {
                        LockSupport.parkNanos(early - 300_000);
                    }
                    while (System.nanoTime() - at < 0)
                    {
                        Thread.onSpinWait();
                    }
                    message.putLong(0, sequence);
                    while (!ring.offer(RecordDescriptor.MESSAGE, message, 0, Long.BYTES))
                    {
                        Thread.onSpinWait();
                    }
                    readerWord.wakeIfWaiting();
                }
            }
            catch (final Throwable t)
            {
                failure.compareAndSet(null, t);
            }
        }, "forecast-writer");
        writerThread.start();

        final SpscRing ring = new SpscRing(segment, layout, direction);
        final WaitProtocol readerWord = new WaitProtocol(segment, layout.readerWaitOffset(direction), dataSignal);
        final ArrivalForecast forecast = readerWord.forecastArrivals();
        final long[] expected = {0};
        try
        {
            while (expected[0] < messages && null == failure.get())
            {
                final WaitProtocol.Outcome outcome = readerWord.await(() -> !ring.isEmpty(),
                    IdleStrategy.SPIN_THEN_PARK, 2_000, LOST_WAKEUP_NANOS);
                if (outcome == WaitProtocol.Outcome.TIMED_OUT)
                {
                    fail("lost wake-up: reader slept on an empty ring, expected sequence=" + expected[0]);
                }
                ring.poll((type, buffer, index, length) ->
                    assertEquals(expected[0]++, buffer.getLong(index), "reordered, lost or duplicated"), 8);
            }
        }
        finally
        {
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (null != failure.get())
        {
            throw new AssertionError(failure.get());
        }
        assertEquals(messages, expected[0]);
        System.out.printf("forecast: hits=%d misses=%d, reader sleeps=%d wakes=%d unwoken=%d%n", forecast.hits(),
            forecast.misses(), dataSignal.sleeps.get(), dataSignal.wakes.get(), dataSignal.unwoken.get());
        assertEquals(0, dataSignal.unwoken.get(), "lost wake-ups: sleeps that only the re-check timeout ended");
        assertTrue(forecast.hits() + forecast.misses() > 0, "the reader never spun for a forecast message");
    }

    /** Mostly nothing; sometimes a short spin, sometimes a yield, so both sides race in every phase. */
    private static void pause(final SplittableRandom random)
    {
        final int dice = random.nextInt(100);
        if (dice < 10)
        {
            final long until = System.nanoTime() + random.nextInt(20_000);
            while (System.nanoTime() < until)
            {
                Thread.onSpinWait();
            }
        }
        else if (dice < 15)
        {
            Thread.yield();
        }
    }

    @Test
    void shouldTimeOutWhenNobodyWakes() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        final ByteBuffer segment = ByteBuffer.allocateDirect((int)layout.segmentLength()).order(ByteOrder.nativeOrder());
        SegmentHeader.initialize(segment, layout, 1024);
        final WaitProtocol word = new WaitProtocol(segment, layout.readerWaitOffset(Direction.CLIENT_TO_SERVER),
            new EventSignal());
        for (final IdleStrategy strategy : IdleStrategy.values())
        {
            final long start = System.nanoTime();
            assertEquals(WaitProtocol.Outcome.TIMED_OUT,
                word.await(() -> false, strategy, 10_000, TimeUnit.MILLISECONDS.toNanos(50)));
            final long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(50), strategy + " returned early: " + elapsed);
            assertEquals(WaitProtocol.IDLE, word.wordVolatile(), strategy + " left its announcement behind");
        }
    }

    @Test
    void shouldWakeOnlyASleeper()
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        final ByteBuffer segment = ByteBuffer.allocateDirect((int)layout.segmentLength()).order(ByteOrder.nativeOrder());
        SegmentHeader.initialize(segment, layout, 1024);
        final EventSignal signal = new EventSignal();
        final WaitProtocol word = new WaitProtocol(segment, layout.readerWaitOffset(Direction.CLIENT_TO_SERVER), signal);
        assertEquals(false, word.wakeIfWaiting());
        assertEquals(false, word.announceAndCheck(() -> false));
        assertEquals(WaitProtocol.WAITING, word.wordVolatile());
        assertEquals(true, word.wakeIfWaiting());
        assertEquals(WaitProtocol.IDLE, word.wordVolatile());
        assertEquals(false, word.wakeIfWaiting(), "a second publish must not wake again");
        assertEquals(1, signal.wakes.get());
    }

    @Test
    void shouldLengthenTheSpinWindowOnlyWhenALongerSpinWouldHaveCaughtTheWait() throws Exception
    {
        final WaitProtocol word = newWord();
        final long spin = 1_000;
        assertEquals(1, word.spinMultiplier());
        word.learn(1_500, spin);
        assertEquals(2, word.spinMultiplier(), "ended within twice the window: a longer spin would have caught it");
        word.learn(3_900, spin);
        assertEquals(4, word.spinMultiplier());
        word.learn(7_900, spin);
        word.learn(15_000, spin);
        assertEquals(8, word.spinMultiplier(), "never beyond 2^MAX_SPIN_BOOST");
        word.learn(16_000, spin);
        assertEquals(8, word.spinMultiplier(), "between twice the window and twice the largest one: no change");
        word.learn(16_001, spin);
        assertEquals(4, word.spinMultiplier(), "an idle gap no window would have caught halves the window");
        word.learn(5_000_000, spin);
        word.learn(5_000_000, spin);
        assertEquals(1, word.spinMultiplier(), "idle gaps bring the window back to the configured one");
        for (int i = 0; i < 10; i++)
        {
            word.learn(5_000_000, spin);
        }
        assertEquals(1.0 / 16, word.spinMultiplier(),
            "and on to a sixteenth: a server paced every few ms does not spin for nothing after each request");
        word.learn(1_500, spin);
        assertEquals(1.0 / 8, word.spinMultiplier(),
            "a wait the configured window would have caught grows a shrunk window again");
    }

    @Test
    void shouldShrinkABoostedWindowAfterManySpunWaitsAndLearnFromTimeouts() throws Exception
    {
        final WaitProtocol word = newWord();
        word.learn(1, 1_000);
        word.learn(1, 1_000);
        assertEquals(4, word.spinMultiplier());
        for (int i = 0; i < WaitProtocol.SPINS_TO_DECAY; i++)
        {
            assertEquals(WaitProtocol.Outcome.SPUN, word.await(() -> true, IdleStrategy.SPIN_THEN_PARK, 1_000, 1));
        }
        assertEquals(2, word.spinMultiplier(), "one step shorter after many spun waits");
        assertEquals(WaitProtocol.Outcome.TIMED_OUT,
            word.await(() -> false, IdleStrategy.SPIN_THEN_PARK, 1_000, TimeUnit.MILLISECONDS.toNanos(1)));
        assertEquals(1, word.spinMultiplier(), "a wait that timed out after 1 ms is an idle gap for a 1 us window");
    }

    private static WaitProtocol newWord()
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        final ByteBuffer segment = ByteBuffer.allocateDirect((int)layout.segmentLength()).order(ByteOrder.nativeOrder());
        SegmentHeader.initialize(segment, layout, 1024);
        return new WaitProtocol(segment, layout.readerWaitOffset(Direction.CLIENT_TO_SERVER), new EventSignal());
    }
}
