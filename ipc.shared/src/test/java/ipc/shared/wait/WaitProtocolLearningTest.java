package ipc.shared.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ipc.api.IdleStrategy;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;

/**
 * How the spin window learns from real waits and how a spin whose peer is behind ends, on one thread with a scripted
 * signal (no timing asserted: each outcome follows from the order of the checks).
 */
class WaitProtocolLearningTest
{
    private final ByteBuffer segment = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());

    @Test
    void shouldGrowTheWindowAfterAParkedWaitThatEndedLongBeforeTwiceTheConfiguredWindow() throws Exception
    {
        final AtomicBoolean met = new AtomicBoolean();
        final WaitProtocol word = new WaitProtocol(segment, 0, new ScriptedSignal(() -> met.set(true)));
        // PARK blocks at once; the signal makes the condition true: a wait of microseconds against a 1 s window.
        assertEquals(WaitProtocol.Outcome.PARKED,
            word.await(met::get, IdleStrategy.PARK, 1_000_000_000L, 60_000_000_000L));
        assertEquals(2, word.spinMultiplier(), "a wait a longer spin would have caught doubles the window");
    }

    @Test
    void shouldShrinkTheWindowInStepsAndComputeItFromTheBoost()
    {
        final WaitProtocol word = new WaitProtocol(segment, 0, new ScriptedSignal(() -> { }));
        assertEquals(1_600, word.window(1_600));
        word.learn(1, 1_600);
        assertEquals(3_200, word.window(1_600));
        for (int i = 0; i < 5; i++)
        {
            word.learn(1_000_000_000L, 1_600);
        }
        assertEquals(100, word.window(1_600), "a sixteenth of the configured window");
    }

    @Test
    void shouldEndASpinWhoseWindowRanOutWhileYieldingWithTheConditionMetAsSpun() throws Exception
    {
        final AtomicInteger checks = new AtomicInteger();
        // The condition holds from its 67th check on: the first is await's own, the next 64 are the pure spin, the
        // 66th comes before the first yield, and the 67th is the one after the (1 ns) window ran out while the peer
        // was behind: the spin reports it, so the wait never parks.
        final WaitProtocol word = new WaitProtocol(segment, 0, new ScriptedSignal(() -> { }));
        final WaitProtocol.Outcome outcome = word.await(() -> checks.incrementAndGet() >= 67,
            () -> true, IdleStrategy.SPIN_THEN_PARK, 1, 60_000_000_000L);
        assertEquals(WaitProtocol.Outcome.SPUN, outcome, "checks=" + checks.get());
        assertEquals(67, checks.get(), "one check after the yield, none after it held");
    }

    @Test
    void shouldParkAfterASpinWhosePeerIsNotBehindRanOut() throws Exception
    {
        final AtomicInteger checks = new AtomicInteger();
        final AtomicBoolean woken = new AtomicBoolean();
        final WaitProtocol word = new WaitProtocol(segment, 0, new ScriptedSignal(() -> woken.set(true)));
        final WaitProtocol.Outcome outcome = word.await(() -> woken.get() && checks.incrementAndGet() > 0,
            WaitProtocol.NEVER, IdleStrategy.SPIN_THEN_PARK, 1, 60_000_000_000L);
        assertEquals(WaitProtocol.Outcome.PARKED, outcome);
    }

    @Test
    void shouldKeepTheWindowAfterAWaitOfExactlyTwiceTheWindowAndNotDecayBelowTheConfiguredOneBySpinning()
        throws Exception
    {
        final WaitProtocol word = new WaitProtocol(segment, 0, new ScriptedSignal(() -> { }));
        word.learn(2_000, 1_000);
        assertEquals(1, word.spinMultiplier(), "twice the window is not within it");
        for (int i = 0; i < WaitProtocol.SPINS_TO_DECAY; i++)
        {
            assertEquals(WaitProtocol.Outcome.SPUN, word.await(() -> true, IdleStrategy.SPIN_THEN_PARK, 1_000, 1));
        }
        assertEquals(1, word.spinMultiplier(), "spinning shrinks only a grown window");
    }

    @Test
    void shouldTimeOutWhenTheConditionNeverHoldsWhileYieldingToAPeerThatIsBehind() throws Exception
    {
        final WaitProtocol word = new WaitProtocol(segment, 0, new ScriptedSignal(() -> { }));
        assertEquals(WaitProtocol.Outcome.TIMED_OUT,
            word.await(() -> false, () -> true, IdleStrategy.SPIN_THEN_PARK, 1, 1_000_000L));
    }

    @Test
    void shouldEndASpinWhoseWindowRanOutWithoutYieldingWithTheConditionMetAsSpun() throws Exception
    {
        final AtomicInteger checks = new AtomicInteger();
        // await's own check, then 128 spins read the clock twice (at 64, when the 1 ns window starts, and at 128, when
        // it has run out); the check after that holds: the spin reports it.
        final WaitProtocol word = new WaitProtocol(segment, 0, new ScriptedSignal(() -> { }));
        final WaitProtocol.Outcome outcome = word.await(() -> checks.incrementAndGet() >= 130,
            WaitProtocol.NEVER, IdleStrategy.SPIN_THEN_PARK, 1, 60_000_000_000L);
        assertEquals(WaitProtocol.Outcome.SPUN, outcome, "checks=" + checks.get());
        assertEquals(130, checks.get());
    }

    /** A signal whose await runs a script (the waker's effect) and returns at once. */
    private static final class ScriptedSignal implements WakeSignal
    {
        private final Runnable onAwait;

        ScriptedSignal(final Runnable onAwait)
        {
            this.onAwait = onAwait;
        }

        @Override
        public void await(final long timeoutNanos)
        {
            onAwait.run();
        }

        @Override
        public void wake()
        {
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
}
