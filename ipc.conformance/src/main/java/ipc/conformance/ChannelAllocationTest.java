package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ipc.api.IpcChannel;
import ipc.api.IpcClaim;
import ipc.api.IpcMessage;
import ipc.api.IpcMessageHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.call.CallClient;
import ipc.api.call.CallOptions;
import ipc.api.call.IpcCalls;

/**
 * The channel's hot path allocates nothing in steady state (README: "no allocation per call"): send, receive into a
 * buffer, a borrowed receive and its release, and a poll, measured with the JVM's per-thread allocation counter
 * after the JIT has compiled the loop. A claim is a handle of its own by design (a stale one can never touch a later
 * claim, see {@link ClaimHandleTest}): its bytes per call are bounded, not zero.
 */
@HostSuite
class ChannelAllocationTest
{
    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 20_000;
    /** Slack for the counter itself and a stray TLAB refill report: far below one byte per operation. */
    private static final long SLACK_BYTES = 4096;
    /** A claim's handle and its buffer view: two small objects. */
    private static final long CLAIM_BYTES_PER_CALL = 128;
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One step of the hot path, run on one thread against both ends of a connection. */
    @FunctionalInterface
    private interface Step
    {
        long run() throws Exception;
    }

    @ParameterizedTest(name = "direct receive buffer: {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(120)
    void shouldNotAllocateToSendAndReceiveIntoABuffer(final boolean direct) throws Exception
    {
        TestEnvironment.withPair("alloc", (client, accepted) ->
        {
            final ByteBuffer out = ByteBuffer.allocateDirect(64);
            final ByteBuffer in = direct ? ByteBuffer.allocateDirect(64) : ByteBuffer.allocate(64);
            assertNoAllocation("send(ByteBuffer) + receive(" + (direct ? "" : "heap ") + "ByteBuffer)", () ->
            {
                out.clear();
                client.send(out);
                in.clear();
                return accepted.receive(in, WAIT);
            });
        });
    }

    @Test
    @Timeout(120)
    void shouldAllocateOnlyAWrapperToSendAnArrayRange() throws Exception
    {
        TestEnvironment.withPair("alloc", (client, accepted) ->
        {
            final byte[] out = new byte[64];
            final ByteBuffer in = ByteBuffer.allocateDirect(64);
            // send(byte[]...) wraps the array in a ByteBuffer for the ring writer: one heap buffer object per call
            // (56 bytes on a 64-bit JVM with compressed pointers), which the JIT does not remove.
            assertBoundedAllocation("send(byte[], int, int) + receive(ByteBuffer)", 64, () ->
            {
                client.send(out, 0, out.length);
                in.clear();
                return accepted.receive(in, WAIT);
            });
        });
    }

    @Test
    @Timeout(120)
    void shouldNotAllocateToPoll() throws Exception
    {
        TestEnvironment.withPair("alloc", (client, accepted) ->
        {
            final ByteBuffer out = ByteBuffer.allocateDirect(64);
            final long[] seen = new long[1];
            final IpcMessageHandler handler = message -> seen[0] += message.remaining();
            assertNoAllocation("send(ByteBuffer) x4 + poll", () ->
            {
                for (int i = 0; i < 4; i++)
                {
                    out.clear();
                    client.send(out);
                }
                return accepted.poll(handler, 4, WAIT);
            });
            assertEquals((long)(WARM_UP + MEASURED) * 4 * 64, seen[0]);
        });
    }

    @Test
    @Timeout(120)
    void shouldAllocateOnlyTheHandleToBorrow() throws Exception
    {
        TestEnvironment.withPair("alloc", (client, accepted) ->
        {
            final ByteBuffer out = ByteBuffer.allocateDirect(64);
            // Each borrow is a handle of its own (BorrowHandleTest): at most one small object per borrow, unless the
            // JIT proves it does not escape.
            assertBoundedAllocation("send(ByteBuffer) + receiveBorrowed + close", 32, () ->
            {
                out.clear();
                client.send(out);
                try (IpcMessage message = accepted.receiveBorrowed(WAIT))
                {
                    return message.buffer().remaining();
                }
            });
        });
    }

    @Test
    @Timeout(120)
    void shouldAllocateOnlyTheHandleToClaim() throws Exception
    {
        TestEnvironment.withPair("alloc", (client, accepted) ->
        {
            final ByteBuffer in = ByteBuffer.allocateDirect(64);
            assertBoundedAllocation("claim + commit + receive(ByteBuffer)", CLAIM_BYTES_PER_CALL, () ->
            {
                final IpcClaim claim = client.claim(64, WAIT);
                claim.buffer().putLong(0, 42L);
                claim.commit();
                in.clear();
                return accepted.receive(in, WAIT);
            });
        });
    }

    @Test
    @Timeout(120)
    void shouldNotAllocateASequentialCallerDrivenCallWithBuffers() throws Exception
    {
        // The README's cheap path for calls: buffers on both sides, a client that reads its own replies. The server
        // answers on its dispatcher thread; only this (the calling) thread's bytes are counted.
        try (IpcServer server = TestEnvironment.TRANSPORT.bind(TestEnvironment.uniqueName("alloc-calls"),
            IpcOptions.defaults()))
        {
            server.serve(IpcCalls.viewHandler((request, reply) -> reply.send(request)));
            try (CallClient client = IpcCalls.client(TestEnvironment.TRANSPORT.connect(server.name(),
                IpcOptions.defaults()), CallOptions.builder().callerDriven().build()))
            {
                final ByteBuffer request = ByteBuffer.allocateDirect(64);
                final ByteBuffer reply = ByteBuffer.allocateDirect(64);
                assertNoAllocation("call(ByteBuffer, ByteBuffer, Duration), caller-driven", () ->
                {
                    request.clear();
                    reply.clear();
                    return client.call(request, reply, WAIT);
                });
            }
        }
    }

    private static void assertNoAllocation(final String what, final Step step) throws Exception
    {
        final long allocated = measure(step);
        assertTrue(allocated <= SLACK_BYTES, what + " allocated=" + allocated + " bytes over " + MEASURED + " calls");
    }

    private static void assertBoundedAllocation(final String what, final long bytesPerCall, final Step step)
        throws Exception
    {
        final long allocated = measure(step);
        System.out.printf("%s: %d bytes over %d calls (%.1f per call)%n", what, allocated, MEASURED,
            allocated / (double)MEASURED);
        assertTrue(allocated <= SLACK_BYTES + bytesPerCall * MEASURED,
            what + " allocated=" + allocated + " bytes over " + MEASURED + " calls, bound=" + bytesPerCall + " per call");
    }

    /** Bytes this thread allocated over {@link #MEASURED} steps, after {@link #WARM_UP} steps to compile them. */
    private static long measure(final Step step) throws Exception
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter in this JVM");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "per-thread allocation counting is off");
        long sink = 0;
        for (int i = 0; i < WARM_UP; i++)
        {
            sink += step.run();
        }
        final long id = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < MEASURED; i++)
        {
            sink += step.run();
        }
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(sink > 0, "the steps did something");
        return allocated;
    }
}
