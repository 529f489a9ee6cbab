package ipc.bench.jmh;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import ipc.api.IpcException;
import ipc.shared.ring.RingMessageReader;
import ipc.shared.ring.RingMessageWriter;
import ipc.shared.ring.SegmentHeader;
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
 * The SPSC ring, two threads in one process: a producer claiming, filling and committing one record per operation
 * through {@link RingMessageWriter}, a consumer polling one message per operation through {@link RingMessageReader},
 * on a direct buffer laid out by {@link SegmentHeader#initialize}. The producer's ops/s is the ring's msgs/s; each
 * side's time per op is the ns per offer and per poll. A side that finds the ring full (empty) spins inside its
 * operation, so an operation is always one message. Ring: 64 KiB (the library default) for 64 B and 1 KiB
 * records, 1 MiB for 64 KiB records so that sixteen fit.
 */
@State(Scope.Group)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"})
public class RingBenchmark
{
    @Param({"64", "1024", "65536"})
    public int size;

    private RingMessageWriter writer;
    private RingPair pair;
    private ByteBuffer ring;
    private final RingPair.Consumer consumer = new RingPair.Consumer();
    private long sequence;

    @Setup(Level.Trial)
    public void setUp()
    {
        final int capacity = size > 1024 ? 1024 * 1024 : 64 * 1024;
        pair = new RingPair(capacity, size);
        writer = pair.writer;
        ring = writer.buffer();
    }

    @Benchmark
    @Group("offerPoll")
    @GroupThreads(1)
    public boolean offer(final Control control) throws IpcException
    {
        int index;
        while ((index = writer.claim(size)) < 0)
        {
            if (control.stopMeasurement)
            {
                return false;
            }
            Thread.onSpinWait();
        }
        ring.putLong(index, sequence++);
        if (size > Long.BYTES)
        {
            // Fill the record as a sender would: the message bytes are copied in, not left as they were.
            ring.put(index + Long.BYTES, Payload.BYTES, 0, size - Long.BYTES);
        }
        writer.commit(index);
        return true;
    }

    @Benchmark
    @Group("offerPoll")
    @GroupThreads(1)
    public long poll(final Control control) throws IpcException
    {
        return pair.poll(control, 1, consumer);
    }

    /** A source of message bytes for the largest size. */
    static final class Payload
    {
        static final byte[] BYTES = new byte[65536];

        private Payload()
        {
        }
    }
}
