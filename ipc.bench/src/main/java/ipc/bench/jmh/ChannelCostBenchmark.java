package ipc.bench.jmh;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import ipc.api.IdleStrategy;
import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcMessageHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;
import ipc.api.call.CallClient;
import ipc.api.call.CallOptions;
import ipc.api.call.IpcCalls;
import ipc.shared.codec.CallFrameCodec;
import ipc.shared.codec.CallFrameDescriptor;
import ipc.shared.ring.RingMessageWriter;
import ipc.shared.transport.SharedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a channel adds to its ring, per message, on one thread: one 64-byte message sent and then received, through a
 * connected pair of real channels in this process (the host's transport, accept mode, busy-spin), against the same
 * through the bare ring ({@link RingMessageWriter} and its reader over a direct buffer). One thread, so no cache line
 * travels between cores and the machine's speed state (see the benchmark tool's floor probe) matters little: the
 * difference is the channel's own work on each side (the send lock, the closed and peer checks, the statistics, the
 * receive flag, the wake checks). Three forks, as a send's compiled code differs from one JVM to the next by up to
 * 2-3 ns on the 2-vCPU AMD VM. Linux only (it opens real channels).
 *
 * <p>Two more measure the call layer's client on its own (issue 13), the answer waiting before each call: {@code
 * rawClient} is a send, a receive of the waiting 64-byte answer, and the server side's own send and receive around
 * it; {@code callClient} is the same with a caller-driven {@link CallClient#call(ByteBuffer, ByteBuffer, Duration)}
 * and the answer written as a REPLY frame for the id the call will take. Their difference is what the client side of
 * a call adds to a raw round trip on one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class ChannelCostBenchmark
{
    private static final int SIZE = 64;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private IpcServer server;
    private IpcChannel sender;
    private IpcChannel receiver;
    private RingPair pair;
    private final RingPair.Consumer consumer = new RingPair.Consumer();
    private final ByteBuffer out = ByteBuffer.allocateDirect(SIZE);
    private final ByteBuffer in = ByteBuffer.allocateDirect(SIZE);
    private long sequence;
    private IpcChannel rawClient;
    private IpcChannel rawServer;
    private CallClient calls;
    private SharedChannel callServer;
    private final ByteBuffer answer = ByteBuffer.allocateDirect(SIZE);
    private final IpcMessageHandler drop = message ->
    {
    };
    private final long replyHeader = CallFrameCodec.headerWord(CallFrameDescriptor.KIND_REPLY, (byte)0, 0);
    /** The id of the client's next caller-driven call: even, from 2 (see {@code ChannelCallClient}). */
    private long nextCallId = 2;

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final IpcOptions options = IpcOptions.builder().idleStrategy(IdleStrategy.BUSY_SPIN).ringCapacity(1 << 20)
            .build();
        final IpcTransport transport = IpcTransport.forHost();
        final String name = "channel-cost-" + ProcessHandle.current().pid();
        server = transport.bind(name, options);
        final IpcChannel[] accepted = new IpcChannel[3];
        final Exception[] failure = new Exception[1];
        final Thread acceptor = new Thread(() ->
        {
            try
            {
                for (int i = 0; i < accepted.length; i++)
                {
                    accepted[i] = server.accept(WAIT);
                }
            }
            catch (final Exception ex)
            {
                failure[0] = ex;
            }
        }, "channel-cost-accept");
        acceptor.start();
        sender = transport.connect(name, options);
        rawClient = transport.connect(name, options);
        final IpcChannel callChannel = transport.connect(name, options);
        acceptor.join();
        if (null != failure[0])
        {
            throw failure[0];
        }
        receiver = accepted[0];
        rawServer = accepted[1];
        callServer = (SharedChannel)accepted[2];
        calls = IpcCalls.client(callChannel, CallOptions.builder().callerDriven().build());
        pair = new RingPair(1 << 20, SIZE);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        calls.close();
        callServer.close();
        rawClient.close();
        rawServer.close();
        sender.close();
        receiver.close();
        server.close();
    }

    /**
     * A send and a receive through the channel pair.
     *
     * @return the length received, for the blackhole.
     * @throws IpcException on failure.
     */
    @Benchmark
    public int channel() throws IpcException
    {
        out.clear();
        out.putLong(0, sequence++);
        sender.send(out);
        in.clear();
        return receiver.receive(in, WAIT);
    }

    /**
     * The same through the bare ring: claim, copy and commit, then poll one message.
     *
     * @return what the consumer saw, for the blackhole.
     * @throws IpcException if the ring is corrupt.
     */
    @Benchmark
    public long ring() throws IpcException
    {
        final RingMessageWriter writer = pair.writer;
        out.clear();
        out.putLong(0, sequence++);
        if (writer.offer(out, 0, SIZE, 0) < SIZE)
        {
            throw new IllegalStateException("the ring is full: every message is taken before the next is sent");
        }
        pair.reader.poll(consumer, 1);
        return consumer.sum;
    }

    /**
     * A raw round trip's client side with the answer already waiting: the server side sends the answer, the client
     * sends its request and receives the answer, the server side takes the request.
     *
     * @return the length received, for the blackhole.
     * @throws IpcException on failure.
     */
    @Benchmark
    public int rawClient() throws IpcException
    {
        answer.clear();
        rawServer.send(answer);
        out.clear();
        rawClient.send(out);
        in.clear();
        final int length = rawClient.receive(in, WAIT);
        rawServer.poll(drop, 1, Duration.ZERO);
        return length;
    }

    /**
     * The same as a call: the server side sends the REPLY frame for the id the call will take, the client calls, the
     * server side takes the REQUEST frame.
     *
     * @return the reply's length, for the blackhole.
     * @throws IpcException on failure.
     */
    @Benchmark
    public int callClient() throws IpcException
    {
        answer.clear();
        callServer.sendPrefixed(replyHeader, nextCallId, answer);
        nextCallId += 2;
        out.clear();
        in.clear();
        final int length = calls.call(out, in, WAIT);
        callServer.poll(drop, 1, Duration.ZERO);
        return length;
    }
}
