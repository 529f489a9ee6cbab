package ipc.bench.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import ipc.api.IpcException;
import ipc.shared.concurrent.ReleaseStoreLock;
import ipc.shared.ring.RingMessageWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * What the channel's send lock costs a 64-byte stream through the ring, two threads in one process: the sender takes
 * the lock, copies one message in and commits it, and gives the lock back; the receiver drains in batches of up to
 * 256. {@code none} is the ring alone (one sending thread, no lock); {@code reentrantLock} is the send lock before
 * issue 12's change, whose unlock fences right after the record's stores; {@code releaseStoreLock} is the send lock
 * now (a compare-and-set, then a release store). The producer's ops/s is the stream's msgs/s. On a 2-vCPU VM,
 * compare the three within one run: the VM's speed states move every figure between runs.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
public class SendLockBenchmark
{
    private static final int SIZE = 64;

    @Param({"none", "reentrantLock", "releaseStoreLock"})
    public String lock;

    private RingMessageWriter writer;
    private RingPair pair;
    private ByteBuffer ring;
    private final ByteBuffer message = ByteBuffer.allocateDirect(SIZE);
    private final ReentrantLock reentrantLock = new ReentrantLock();
    private final ReleaseStoreLock releaseStoreLock = new ReleaseStoreLock();
    private final RingPair.Consumer consumer = new RingPair.Consumer();
    private int kind;

    @Setup(Level.Trial)
    public void setUp()
    {
        pair = new RingPair(4 * 1024 * 1024, 64 * 1024);
        writer = pair.writer;
        ring = writer.buffer();
        kind = "none".equals(lock) ? 0 : "reentrantLock".equals(lock) ? 1 : 2;
    }

    @Benchmark
    @Group("stream")
    @GroupThreads(1)
    public boolean send(final Control control) throws IpcException
    {
        if (1 == kind)
        {
            reentrantLock.lock();
        }
        else if (2 == kind)
        {
            releaseStoreLock.lock();
        }
        try
        {
            int index;
            while ((index = writer.claim(SIZE)) < 0)
            {
                if (control.stopMeasurement)
                {
                    return false;
                }
                Thread.onSpinWait();
            }
            ring.put(index, message, 0, SIZE);
            writer.commit(index);
            return true;
        }
        finally
        {
            if (1 == kind)
            {
                reentrantLock.unlock();
            }
            else if (2 == kind)
            {
                releaseStoreLock.unlock();
            }
        }
    }

    @Benchmark
    @Group("stream")
    @GroupThreads(1)
    public long receive(final Control control) throws IpcException
    {
        return pair.poll(control, 256, consumer);
    }
}
