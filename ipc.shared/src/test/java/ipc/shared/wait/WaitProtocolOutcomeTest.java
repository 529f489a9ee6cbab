package ipc.shared.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import ipc.api.IdleStrategy;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;

/**
 * The protocol's decisions on one thread, with a scripted signal that never blocks: what each wait returns, when it
 * announces sleep in its word and withdraws it, when it blocks at all, and when a waker sends a wake-up. (The
 * cross-thread and cross-process behaviour is {@link WaitProtocolStressTest}'s and the conformance suite's.)
 */
class WaitProtocolOutcomeTest
{
    private static final long SECOND = 1_000_000_000L;

    /** A signal whose await runs a script instead of blocking, and records the word it saw. */
    static final class ScriptedSignal implements WakeSignal
    {
        final List<Integer> wordsSeenInAwait = new ArrayList<>();
        final List<Long> timeouts = new ArrayList<>();
        int wakes;
        WaitProtocol protocol;
        Consumer<ScriptedSignal> onAwait = signal -> { };

        @Override
        public void await(final long timeoutNanos)
        {
            timeouts.add(timeoutNanos);
            wordsSeenInAwait.add(protocol.wordVolatile());
            onAwait.accept(this);
        }

        @Override
        public void wake()
        {
            wakes++;
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

    private final ScriptedSignal signal = new ScriptedSignal();
    private final WaitProtocol protocol = new WaitProtocol(ByteBuffer.allocateDirect(64), 8, signal);

    WaitProtocolOutcomeTest()
    {
        signal.protocol = protocol;
    }

    @Test
    void shouldReturnSpunWithoutBlockingWhenTheConditionAlreadyHolds() throws Exception
    {
        for (final IdleStrategy strategy : IdleStrategy.values())
        {
            assertEquals(WaitProtocol.Outcome.SPUN, protocol.await(() -> true, strategy, 1000, SECOND), strategy.name());
        }
        assertEquals(List.of(), signal.timeouts);
        assertEquals(WaitProtocol.IDLE, protocol.wordVolatile());
    }

    @Test
    void shouldTimeOutAtOnceWithoutBlockingForAZeroTimeout() throws Exception
    {
        for (final IdleStrategy strategy : IdleStrategy.values())
        {
            assertEquals(WaitProtocol.Outcome.TIMED_OUT, protocol.await(() -> false, strategy, 1000, 0), strategy.name());
        }
        assertEquals(List.of(), signal.timeouts, "nothing blocked");
        assertEquals(WaitProtocol.IDLE, protocol.wordVolatile());
    }

    @Test
    void shouldParkWithTheWordAnnouncedAndWithdrawItAfterwards() throws Exception
    {
        final boolean[] met = {false};
        signal.onAwait = s -> met[0] = true;
        assertEquals(WaitProtocol.Outcome.PARKED, protocol.await(() -> met[0], IdleStrategy.PARK, 0, SECOND));
        assertEquals(List.of(WaitProtocol.WAITING), signal.wordsSeenInAwait, "asleep with the word announced");
        assertEquals(WaitProtocol.IDLE, protocol.wordVolatile(), "withdrawn once awake");
        assertTrue(signal.timeouts.get(0) > 0 && signal.timeouts.get(0) <= Math.min(SECOND, WaitProtocol.MAX_PARK_NANOS),
            "blocked at most the time left, and at most the maximum park: " + signal.timeouts);
    }

    @Test
    void shouldYieldForSeveralWindowsWhileThePeerIsBehindAndOneWindowOtherwise() throws Exception
    {
        final long window = 2_000_000L;
        final long start = System.nanoTime();
        // Ready after three windows: within the windows a wait yields for while its peer has not taken its message.
        assertEquals(WaitProtocol.Outcome.SPUN, protocol.await(() -> System.nanoTime() - start >= 3 * window,
            () -> true, IdleStrategy.SPIN_THEN_PARK, window, 10 * SECOND));
        assertTrue(signal.timeouts.isEmpty(), "never blocked while the peer was behind: " + signal.timeouts);

        // A peer that keeps up: one window, then the wait parks (the scripted block returns at once, so it parks
        // again until the condition holds).
        final long again = System.nanoTime();
        assertEquals(WaitProtocol.Outcome.PARKED, protocol.await(() -> System.nanoTime() - again >= 3 * window,
            () -> false, IdleStrategy.SPIN_THEN_PARK, window, 10 * SECOND));
        assertFalse(signal.timeouts.isEmpty(), "parked after one window");
    }

    @Test
    void shouldYieldFromTheFirstCheckOnlyAfterWakingThePeerOrBeingWoken() throws Exception
    {
        // When a spin first asks whether the peer is behind (the question that leads to a yield), counted in checks
        // of the condition: after the checks that catch a running peer's answer, unless this side's publish woke
        // the peer or this thread was woken from a sleep.
        assertTrue(firstBehindQuestion() >= WaitProtocol.SPINS_BEFORE_YIELD, "by default");

        final boolean[] woke = {true};
        protocol.yieldAtOnceAfterWaking(() -> woke[0]);
        assertTrue(firstBehindQuestion() <= 2, "our publish woke the peer");
        woke[0] = false;
        assertTrue(firstBehindQuestion() >= WaitProtocol.SPINS_BEFORE_YIELD, "the peer was awake");

        // A wait that slept and was woken: the next one yields at once, until a spin is answered again.
        final boolean[] met = {false};
        signal.onAwait = s -> met[0] = true;
        assertEquals(WaitProtocol.Outcome.PARKED, protocol.await(() -> met[0], () -> false,
            IdleStrategy.SPIN_THEN_PARK, 1_000, 10 * SECOND));
        assertTrue(firstBehindQuestion() <= 2, "after being woken");
        assertTrue(firstBehindQuestion() >= WaitProtocol.SPINS_BEFORE_YIELD, "the last spin was answered");
    }

    /**
     * Spins, with the peer always behind, until the condition has been checked {@code 3 * SPINS_BEFORE_YIELD} times.
     *
     * @return at which check the spin first asked whether the peer is behind.
     */
    private int firstBehindQuestion() throws Exception
    {
        final int[] checks = {0};
        final int[] firstAsked = {-1};
        final WaitProtocol.Condition behind = () ->
        {
            if (firstAsked[0] < 0)
            {
                firstAsked[0] = checks[0];
            }
            return true;
        };
        assertEquals(WaitProtocol.Outcome.SPUN, protocol.await(() -> ++checks[0] > 3 * WaitProtocol.SPINS_BEFORE_YIELD,
            behind, IdleStrategy.SPIN_THEN_PARK, SECOND, 10 * SECOND));
        return firstAsked[0];
    }

    @Test
    void shouldParkAgainUntilTheConditionHolds() throws Exception
    {
        final int[] awaits = {0};
        signal.onAwait = s -> awaits[0]++;
        assertEquals(WaitProtocol.Outcome.PARKED, protocol.await(() -> awaits[0] >= 3, IdleStrategy.PARK, 0, SECOND));
        assertEquals(3, signal.timeouts.size());
        assertEquals(List.of(WaitProtocol.WAITING, WaitProtocol.WAITING, WaitProtocol.WAITING), signal.wordsSeenInAwait);
    }

    @Test
    void shouldNotBlockWhenTheConditionTurnsTrueAfterTheAnnouncement() throws Exception
    {
        // The condition is false while spinning and becomes true as soon as sleep is announced: the re-check after
        // the announcement must see it, and no block may follow.
        final boolean[] announcedOnce = {false};
        final WaitProtocol.Condition condition = () ->
        {
            if (protocol.wordVolatile() == WaitProtocol.WAITING)
            {
                announcedOnce[0] = true;
            }
            return announcedOnce[0];
        };
        assertEquals(WaitProtocol.Outcome.PARKED, protocol.await(condition, IdleStrategy.PARK, 0, SECOND));
        assertEquals(List.of(), signal.timeouts, "no block after the condition held");
        assertEquals(WaitProtocol.IDLE, protocol.wordVolatile(), "the announcement was withdrawn");
    }

    @Test
    void shouldSpinUntilTheConditionHoldsWithinTheSpinWindow() throws Exception
    {
        final int[] checks = {0};
        assertEquals(WaitProtocol.Outcome.SPUN,
            protocol.await(() -> ++checks[0] > 10 * WaitProtocol.SPINS_BEFORE_CLOCK, IdleStrategy.SPIN_THEN_PARK,
                SECOND, 10 * SECOND));
        assertEquals(List.of(), signal.timeouts);
        assertEquals(WaitProtocol.Outcome.SPUN,
            protocol.await(() -> ++checks[0] > 20 * WaitProtocol.SPINS_BEFORE_CLOCK, IdleStrategy.BUSY_SPIN,
                0, 10 * SECOND));
        assertEquals(List.of(), signal.timeouts, "busy spin never blocks");
    }

    @Test
    void shouldWakeOnlyAnAnnouncedWaiterAndOnlyOnce() throws Exception
    {
        assertFalse(protocol.wakeIfWaiting(), "nobody waits");
        assertEquals(0, signal.wakes);
        signal.onAwait = s ->
        {
            assertTrue(protocol.wakeIfWaiting(), "the waiter announced itself");
            assertFalse(protocol.wakeIfWaiting(), "the first waker took the announcement");
        };
        final WaitProtocol.Condition condition = () -> !signal.timeouts.isEmpty();
        assertEquals(WaitProtocol.Outcome.PARKED, protocol.await(condition, IdleStrategy.PARK, 0, SECOND));
        assertEquals(1, signal.wakes);
    }

    @Test
    void shouldRefuseAWordOutsideTheSegmentOrMisaligned()
    {
        assertThrows(IllegalArgumentException.class, () -> new WaitProtocol(ByteBuffer.allocateDirect(64), 6, signal));
        assertThrows(IllegalArgumentException.class, () -> new WaitProtocol(ByteBuffer.allocateDirect(64), 64, signal));
        assertThrows(IllegalArgumentException.class, () -> new WaitProtocol(ByteBuffer.allocateDirect(64), -4, signal));
        new WaitProtocol(ByteBuffer.allocateDirect(64), 60, signal);
        new WaitProtocol(ByteBuffer.allocateDirect(64), 0, signal);
    }

    @Test
    void shouldTellItsSignalAndWhenTheLastWaitsClockStarted() throws Exception
    {
        assertEquals(signal, protocol.signal());
        final long before = System.nanoTime();
        protocol.await(() -> !signal.timeouts.isEmpty(), IdleStrategy.PARK, 0, SECOND);
        final long after = System.nanoTime();
        final long start = protocol.clockStartNanos();
        assertTrue(start - before >= 0 && after - start >= 0, "the parked wait's clock started during it");
        // A wait that never read the clock: "now", which is later than anything before it.
        protocol.await(() -> true, IdleStrategy.PARK, 0, SECOND);
        final long later = System.nanoTime();
        assertTrue(protocol.clockStartNanos() - later >= 0, "a wait without a clock reports now");
    }

    @Test
    void shouldSleepOnTheWordWhereItHasAnAddressWaitAndLeaveTheSignalToAMultiplexer() throws Exception
    {
        final ScriptedSignal doorbell = new ScriptedSignal();
        final ScriptedSignal word = new ScriptedSignal();
        final WaitProtocol reader = new WaitProtocol(ByteBuffer.allocateDirect(64), 8, doorbell, word);
        doorbell.protocol = reader;
        word.protocol = reader;
        assertEquals(WaitProtocol.Outcome.PARKED,
            reader.await(() -> !word.timeouts.isEmpty(), IdleStrategy.PARK, 0, SECOND));
        assertEquals(List.of(WaitProtocol.WAITING_ON_WORD), word.wordsSeenInAwait, "announced and slept on the word");
        assertEquals(List.of(), doorbell.timeouts, "never blocked on the doorbell");
        // A multiplexer (the dispatcher) arms the doorbell instead.
        assertFalse(reader.announceAndCheck(() -> false));
        assertEquals(WaitProtocol.WAITING, reader.wordVolatile());
        reader.withdraw();
    }

    @Test
    void shouldWakeTheWayTheWaiterAnnounced() throws Exception
    {
        final ByteBuffer segment = ByteBuffer.allocateDirect(64);
        final ScriptedSignal doorbell = new ScriptedSignal();
        final ScriptedSignal word = new ScriptedSignal();
        final WaitProtocol writer = new WaitProtocol(segment, 8, doorbell, word);
        final WaitProtocol reader = new WaitProtocol(segment, 8, doorbell, word);

        reader.announceAndCheck(() -> false);
        assertTrue(writer.wakeIfWaiting());
        assertEquals(1, doorbell.wakes, "a dispatcher's announcement rings the doorbell");
        assertEquals(0, word.wakes);
        assertEquals(WaitProtocol.IDLE, writer.wordVolatile());

        segment.duplicate().order(ByteOrder.nativeOrder()).putInt(8, WaitProtocol.WAITING_ON_WORD);
        assertTrue(writer.wakeIfWaiting());
        assertEquals(1, doorbell.wakes);
        assertEquals(1, word.wakes, "a thread asleep on the word is woken there");
        assertEquals(WaitProtocol.IDLE, writer.wordVolatile());
        assertFalse(writer.wakeIfWaiting(), "taken once");
    }

    @Test
    void shouldRingTheSignalForAWordAnnouncementWhereNoAddressWaitExists() throws Exception
    {
        // A peer (old or hostile) announcing the word where this side has no address wait: it still gets a wake-up.
        final ByteBuffer segment = ByteBuffer.allocateDirect(64);
        final WaitProtocol writer = new WaitProtocol(segment, 8, signal);
        segment.duplicate().order(ByteOrder.nativeOrder()).putInt(8, WaitProtocol.WAITING_ON_WORD);
        assertTrue(writer.wakeIfWaiting());
        assertEquals(1, signal.wakes);
        segment.duplicate().order(ByteOrder.nativeOrder()).putInt(8, 7);
        assertFalse(writer.wakeIfWaiting(), "any other value is no announcement");
        assertEquals(7, writer.wordVolatile());
    }
}
