package ipc.shared.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

import ipc.api.IdleStrategy;

/**
 * A reader's wait with a confident {@link ArrivalForecast}, on one thread, with a signal that never blocks and records
 * what the waiter announced: it sleeps announced until the forecast's wake time, so an early message still wakes it;
 * it spins across the due time; and a missed forecast falls back to the plain park.
 */
class WaitProtocolForecastTest
{
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;

    private final WaitProtocolOutcomeTest.ScriptedSignal signal = new WaitProtocolOutcomeTest.ScriptedSignal();
    private final WaitProtocol protocol = new WaitProtocol(ByteBuffer.allocateDirect(64), 8, signal);
    private final ArrivalForecast forecast = protocol.forecastArrivals();

    WaitProtocolForecastTest()
    {
        signal.protocol = protocol;
    }

    private long longest()
    {
        return signal.timeouts.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Primes a period of about 100 ms, deviation about 11 ms, with the next message due in {@code dueInNanos}. */
    private long primeDueIn(final long dueInNanos)
    {
        final long[] intervals = {100 * MS, 110 * MS, 90 * MS, 110 * MS};
        long span = 0;
        for (final long interval : intervals)
        {
            span += interval;
        }
        final ArrivalForecast probe = new ArrivalForecast();
        long at = 0;
        probe.arrived(at);
        for (final long interval : intervals)
        {
            at += interval;
            probe.arrived(at);
        }
        final long first = System.nanoTime() + dueInNanos - probe.periodNanos() - span;
        at = first;
        forecast.arrived(at);
        for (final long interval : intervals)
        {
            at += interval;
            forecast.arrived(at);
        }
        assertTrue(forecast.isConfident());
        return forecast.dueNanos();
    }

    @Test
    void shouldSleepAnnouncedUntilTheWakeTimeSoThatAnEarlyMessageWakesIt() throws Exception
    {
        primeDueIn(200 * MS);
        final boolean[] published = {false};
        signal.onAwait = s -> published[0] = true;

        final long wake = forecast.wakeNanos();
        final long before = System.nanoTime();
        assertEquals(WaitProtocol.Outcome.PARKED,
            protocol.await(() -> published[0], IdleStrategy.SPIN_THEN_PARK, 1_000, 5 * SECOND));

        assertEquals(List.of(WaitProtocol.WAITING), signal.wordsSeenInAwait, "asleep announced: the publish wakes it");
        final long timeout = signal.timeouts.get(0);
        assertTrue(timeout > 100 * MS && timeout <= wake - before,
            "slept until the wake time, not the deadline: " + timeout);
        assertEquals(WaitProtocol.IDLE, protocol.wordVolatile(), "withdrawn");
        assertEquals(0, forecast.hits());
        assertEquals(0, forecast.misses());
    }

    @Test
    void shouldSpinAcrossTheDueTimeAndTakeTheMessageWithoutBeingWoken() throws Exception
    {
        // Due in 200 ms, not 30: a waiter descheduled for tens of milliseconds before its wait starts (two CPU hogs
        // on two vCPUs did it once in eight runs) would find the forecast's time gone and park as usual.
        final long due = primeDueIn(200 * MS);
        final long arrival = due - 50_000;
        assertTrue(forecast.wakeNanos() < arrival && arrival < forecast.giveUpNanos(), "the message comes in the spin");

        // The message is there once its time has come and the waiter has looked twice without blocking in between:
        // a waiter delayed past the arrival time on its way out of the forecast's sleep finds it on its spin.
        final int[] blocksWhenFirstSeen = {-1};
        final WaitProtocol.Condition arrived = () ->
        {
            if (System.nanoTime() - arrival < 0)
            {
                return false;
            }
            final int blocks = signal.timeouts.size();
            final boolean again = blocksWhenFirstSeen[0] == blocks;
            blocksWhenFirstSeen[0] = blocks;
            return again;
        };
        final long period = forecast.periodNanos();
        assertEquals(WaitProtocol.Outcome.PARKED,
            protocol.await(arrived, IdleStrategy.SPIN_THEN_PARK, 1_000, 5 * SECOND));
        final long ended = System.nanoTime();

        assertEquals(1, forecast.hits(), "taken while spinning");
        assertTrue(signal.timeouts.stream().allMatch(t -> t <= 200 * MS), "no plain park: longest block " + longest());
        assertEquals(WaitProtocol.IDLE, protocol.wordVolatile(), "the peer finds the waiter awake: no wake call");
        // The arrival is taken when the wait ends. A waiter stalled past a quarter of the period after its message
        // (once in a stress run: 25 ms) has seen an odd interval, which rightly costs the next forecast; one stalled
        // past an eighth (once in a clean-clone CI run, on JDK 25) widens the learnt deviation (about 11 ms here,
        // averaged a quarter at a time) past the eighth of the period that the forecast trusts. Either is the
        // machine's stall, not the protocol's: the test then says so instead of failing.
        assumeTrue(ended - due < period >> 3, "the waiter ran " + (ended - due) / MS + " ms late");
        assertTrue(forecast.isConfident(), "an arrival within an eighth of the period keeps the forecast: it came " +
            (ended - due) / 1_000 + " µs after its due time");
    }

    @Test
    void shouldParkAsUsualOnceAForecastIsMissed() throws Exception
    {
        primeDueIn(30 * MS);
        final boolean[] published = {false};
        // Blocks of the forecast's sleep are shorter than its 30 ms; the plain park blocks for the rest of 5 s.
        signal.onAwait = s -> published[0] = signal.timeouts.get(signal.timeouts.size() - 1) > 100 * MS;

        assertEquals(WaitProtocol.Outcome.PARKED,
            protocol.await(() -> published[0], IdleStrategy.SPIN_THEN_PARK, 1_000, 5 * SECOND));

        assertEquals(1, forecast.misses(), "the forecast spin gave up");
        assertTrue(signal.timeouts.get(0) <= 30 * MS, "first the forecast's sleep: " + signal.timeouts.get(0));
        assertTrue(published[0], "then the plain park");
        assertEquals(WaitProtocol.WAITING, signal.wordsSeenInAwait.get(signal.wordsSeenInAwait.size() - 1), "announced: woken by the publish");
        assertEquals(0, forecast.hits());
    }

    @Test
    void shouldNeverSleepPastTheDeadline() throws Exception
    {
        primeDueIn(200 * MS);

        final long before = System.nanoTime();
        assertEquals(WaitProtocol.Outcome.TIMED_OUT,
            protocol.await(() -> false, IdleStrategy.SPIN_THEN_PARK, 1_000, 20 * MS));

        assertTrue(System.nanoTime() - before >= 20 * MS, "waited the whole timeout");
        assertTrue(signal.timeouts.stream().allMatch(t -> t <= 20 * MS), "never past the deadline: longest block " +
            longest());
        assertEquals(0, forecast.misses(), "the deadline ended the wait, not a missed forecast");
        assertTrue(forecast.isConfident());
        assertEquals(WaitProtocol.IDLE, protocol.wordVolatile());
    }

    @Test
    void shouldSleepOnTheWordWhereTheWordHasAnAddressWait() throws Exception
    {
        final WaitProtocolOutcomeTest.ScriptedSignal doorbell = new WaitProtocolOutcomeTest.ScriptedSignal();
        final WaitProtocolOutcomeTest.ScriptedSignal word = new WaitProtocolOutcomeTest.ScriptedSignal();
        final WaitProtocol onWord = new WaitProtocol(ByteBuffer.allocateDirect(64), 8, doorbell, word);
        doorbell.protocol = onWord;
        word.protocol = onWord;
        final ArrivalForecast wordForecast = onWord.forecastArrivals();
        final long first = System.nanoTime() + 200 * MS - 5 * 100 * MS;
        for (int i = 0; i < 5; i++)
        {
            wordForecast.arrived(first + i * 100 * MS);
        }
        assertTrue(wordForecast.isConfident());
        final boolean[] published = {false};
        word.onAwait = s -> published[0] = true;

        assertEquals(WaitProtocol.Outcome.PARKED,
            onWord.await(() -> published[0], IdleStrategy.SPIN_THEN_PARK, 1_000, 5 * SECOND));

        assertEquals(List.of(WaitProtocol.WAITING_ON_WORD), word.wordsSeenInAwait, "the waker wakes the word, not the doorbell");
        assertEquals(List.of(), doorbell.timeouts);
        assertEquals(WaitProtocol.IDLE, onWord.wordVolatile());
    }

    @Test
    void shouldWithdrawTheAnnouncementWhenTheSleepFails()
    {
        primeDueIn(200 * MS);
        signal.onAwait = s ->
        {
            throw new IllegalStateException("the doorbell broke");
        };

        assertThrows(IllegalStateException.class,
            () -> protocol.await(() -> false, IdleStrategy.SPIN_THEN_PARK, 1_000, 5 * SECOND));

        assertEquals(List.of(WaitProtocol.WAITING), signal.wordsSeenInAwait);
        assertEquals(WaitProtocol.IDLE, protocol.wordVolatile(), "no announcement left behind");
    }

    @Test
    void shouldNotForecastForOtherStrategies() throws Exception
    {
        primeDueIn(30 * MS);
        final boolean[] published = {false};
        signal.onAwait = s -> published[0] = true;

        assertEquals(WaitProtocol.Outcome.PARKED, protocol.await(() -> published[0], IdleStrategy.PARK, 0, 5 * SECOND));

        assertEquals(1, signal.timeouts.size());
        assertTrue(signal.timeouts.get(0) > 100 * MS, "PARK blocks for the time left: " + signal.timeouts);
    }
}
