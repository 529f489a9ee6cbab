package ipc.bench.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import ipc.api.IdleStrategy;
import ipc.api.IpcException;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;
import ipc.shared.wait.WaitProtocol;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wait protocol's fast paths, the costs every message pays: the waker's check after each publish when nobody
 * sleeps (a full fence and a load), a waiter whose condition already holds (no spin, no system call), and the
 * announce-fence-recheck-withdraw a waiter does just before it would block. The signal here counts calls instead
 * of entering the kernel, so the figures are the protocol's own; a real wake-up costs 8–40 µs on these VMs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
public class WaitProtocolBenchmark
{
    private WaitProtocol protocol;
    private CountingSignal signal;
    private boolean ready;
    private final WaitProtocol.Condition condition = () -> ready;

    /** Counts instead of blocking or waking. */
    static final class CountingSignal implements WakeSignal
    {
        long awaits;
        long wakes;

        @Override
        public void await(final long timeoutNanos)
        {
            awaits++;
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

    @Setup
    public void setUp()
    {
        signal = new CountingSignal();
        protocol = new WaitProtocol(ByteBuffer.allocateDirect(256), 128, signal);
    }

    /** The writer after each publish, reader awake: fence, load, no wake. */
    @Benchmark
    public boolean wakeIfWaitingNobodySleeps()
    {
        return protocol.wakeIfWaiting();
    }

    /** A reader whose data is already there. */
    @Benchmark
    public WaitProtocol.Outcome awaitConditionAlreadyMet() throws IpcException
    {
        ready = true;
        return protocol.await(condition, IdleStrategy.SPIN_THEN_PARK, 50_000, 1_000_000);
    }

    /** The last step before blocking: announce, fence, re-check (data arrived), withdraw. */
    @Benchmark
    public boolean announceAndCheckThenWithdraw()
    {
        ready = true;
        return protocol.announceAndCheck(condition);
    }

    /** A full sleep/wake hand-shake in one thread: announce (nothing there), the waker takes it and wakes. */
    @Benchmark
    public boolean announceThenWake()
    {
        ready = false;
        protocol.announceAndCheck(condition);
        return protocol.wakeIfWaiting();
    }
}
