package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;

/**
 * A serving echo server with honest clients echoing beside whatever a test does to it: the stage of the containment
 * tests. The honest clients each send a numbered 64-byte request every millisecond and time its echo; a test attacks,
 * then asserts that they saw no error and no slow reply, that a new client is served, and that nothing was left
 * behind (as far as {@link HostResources} counts on the host). Backend-neutral: the raw-peer attacks
 * ({@link RawPeerContainmentTest}) and the backend modules' own use it too.
 */
public final class ServerArena implements AutoCloseable
{
    /**
     * The slowest reply an honest client may see while another connection misbehaves. A blocked dispatcher shows as
     * seconds (a connect or send timeout); a loaded 2-vCPU CI machine shows tens of milliseconds now and then.
     */
    public static final long SLOWEST_REPLY_NANOS = Duration.ofMillis(
        Long.getLong("ipc.test.slowestReplyMillis", 500)).toNanos();

    /**
     * The options of the containment tests' servers: timeouts short enough that a blocked dispatcher shows within a
     * test, a small ring so that attacks fill it quickly.
     */
    public static final IpcOptions OPTIONS = IpcOptions.builder()
        .connectTimeout(Duration.ofSeconds(1))
        .sendTimeout(Duration.ofSeconds(1))
        .ringCapacity(16 * 1024)
        .build();

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The server's name. */
    public final String name;
    /** The serving server. */
    public final IpcServer server;
    /** Why each of its connections closed, in order. */
    public final CopyOnWriteArrayList<IpcException> closes = new CopyOnWriteArrayList<>();
    private final List<Thread> honest = new ArrayList<>();
    private final CopyOnWriteArrayList<Throwable> honestErrors = new CopyOnWriteArrayList<>();
    private final AtomicLong slowestReply = new AtomicLong();
    private final AtomicLong replies = new AtomicLong();
    private volatile boolean stopping;
    private final long fdsBefore;
    private final long mappingsBefore;
    private final List<String> fdTargetsBefore;

    /**
     * Binds a serving server running {@code handler} and starts {@code honestClients} echoing clients.
     *
     * @param prefix        the server name's prefix.
     * @param options       the server's options.
     * @param handler       what the server does with each message.
     * @param honestClients how many honest clients echo beside the test.
     * @throws Exception if the server or a client cannot start.
     */
    public ServerArena(final String prefix, final IpcOptions options, final IpcHandler handler, final int honestClients)
        throws Exception
    {
        name = TestEnvironment.uniqueName(prefix);
        // The transport's own peer watcher starts with the first client; count from after it.
        TestEnvironment.withPair("warm", (client, accepted) -> { });
        fdsBefore = TestEnvironment.openFileDescriptors();
        fdTargetsBefore = fdTargets();
        mappingsBefore = TestEnvironment.segmentMappings();
        server = TestEnvironment.TRANSPORT.bind(name, options);
        server.serve(new IpcHandler()
        {
            @Override
            public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
            {
                handler.onMessage(channel, message);
            }

            @Override
            public void onClose(final IpcChannel channel, final IpcException cause)
            {
                closes.add(cause);
            }
        });
        for (int i = 0; i < honestClients; i++)
        {
            final Thread thread = new Thread(this::echoLoop, "honest-" + i);
            thread.setDaemon(true);
            honest.add(thread);
            thread.start();
        }
        assertTrue(TestEnvironment.eventually(() -> replies.get() >= 10L * honestClients, 10_000),
            "honest clients never got going: replies=" + replies + " errors=" + honestErrors);
    }

    /** An echo handler for the arena. */
    public static void echo(final IpcChannel channel, final ByteBuffer message) throws IpcException
    {
        channel.send(message);
    }

    private void echoLoop()
    {
        final byte[] request = new byte[64];
        try (IpcChannel client = TestEnvironment.TRANSPORT.connect(name, IpcOptions.defaults()))
        {
            for (long sequence = 0; !stopping; sequence++)
            {
                ByteBuffer.wrap(request).putLong(0, sequence);
                final long start = System.nanoTime();
                client.send(request);
                final byte[] reply = client.receive(WAIT);
                final long took = System.nanoTime() - start;
                assertArrayEquals(request, reply, "echo of request " + sequence);
                slowestReply.accumulateAndGet(took, Math::max);
                replies.incrementAndGet();
                LockSupport.parkNanos(1_000_000L);
            }
        }
        catch (final Throwable failure)
        {
            honestErrors.add(failure);
        }
    }

    /** The honest clients saw no error, their replies kept coming, none slower than the bound. */
    public void assertHonestClientsUnharmed() throws InterruptedException
    {
        final long before = replies.get();
        assertTrue(TestEnvironment.eventually(() -> replies.get() >= before + 10 || !honestErrors.isEmpty(), 5_000),
            "honest clients stalled: replies=" + replies);
        stopping = true;
        for (final Thread thread : honest)
        {
            thread.join(10_000);
        }
        assertTrue(honestErrors.isEmpty(), () -> "honest clients failed: " + honestErrors);
        assertTrue(slowestReply.get() < SLOWEST_REPLY_NANOS, () -> "an honest client waited " +
            slowestReply.get() / 1_000 + " us for a reply (bound " + SLOWEST_REPLY_NANOS / 1_000 + " us)");
    }

    /** A client that connects now is served. */
    public void assertNewClientServed() throws Exception
    {
        try (IpcChannel client = TestEnvironment.TRANSPORT.connect(name, IpcOptions.defaults()))
        {
            client.send(new byte[] {42});
            assertArrayEquals(new byte[] {42}, client.receive(WAIT));
        }
    }

    /** Some connection was closed with this kind of reason, whose message contains the text. */
    public void assertClosedWith(final Class<? extends IpcException> type, final String text)
    {
        assertTrue(TestEnvironment.eventually(() -> closes.stream().anyMatch(c -> type.isInstance(c) &&
            String.valueOf(c.getMessage()).contains(text)), 10_000),
            () -> "no connection closed with " + type.getSimpleName() + " containing '" + text + "': " + closes);
    }

    private static List<String> fdTargets()
    {
        return HostResources.host().descriptorDetails();
    }

    /** The dispatcher thread's CPU time so far, in nanoseconds. */
    public long dispatcherCpuNanos()
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals("ipc-dispatcher-" + name))
            {
                return threads.getThreadCpuTime(thread.getId());
            }
        }
        throw new AssertionError("no dispatcher thread for server=" + name);
    }

    /** The dispatcher thread is alive. */
    public void assertDispatcherAlive()
    {
        assertTrue(server.isOpen(), "server closed");
        dispatcherCpuNanos();
    }

    @Override
    public void close() throws Exception
    {
        stopping = true;
        for (final Thread thread : honest)
        {
            thread.join(10_000);
        }
        server.close();
        for (final Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet())
        {
            if (thread.getKey().getName().equals("ipc-dispatcher-" + name))
            {
                throw new AssertionError("the dispatcher did not stop with its server: " +
                    java.util.Arrays.toString(thread.getValue()));
            }
        }
        assertTrue(TestEnvironment.eventually(() -> TestEnvironment.openFileDescriptors() <= fdsBefore &&
            TestEnvironment.segmentMappings() <= mappingsBefore, 10_000),
            () -> "left behind: fds before=" + fdTargetsBefore + " after=" + fdTargets() +
            " segment mappings before=" + mappingsBefore + " after=" + TestEnvironment.segmentMappings());
        assertEquals(0, server.stats().openConnections(), "connections still open after close");
    }
}
