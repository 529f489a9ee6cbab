package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import ipc.api.IdleStrategy;
import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcServer;
import ipc.api.IpcStats;
import ipc.api.IpcTransport;

/**
 * Batch receive ({@link IpcChannel#poll}) and peers with different idle strategies: a busy-spinning side declares
 * that it never parks, so its peer skips wake checks on its behalf, while it still wakes a peer that parks. A
 * 4 KiB ring makes the writer wait for room too. Every wait ({@link WakeBound#VALUE}) is far shorter than
 * the wait protocol's maximum park as the backend modules raise it, so a missing wake-up fails the test as a timeout.
 */
@HostSuite
class PollAndIdleStrategyTest
{
    private static final int MESSAGES = 100_000;
    private static final Duration WAIT = WakeBound.VALUE;

    private static IpcOptions options(final IdleStrategy strategy)
    {
        return IpcOptions.builder().ringCapacity(4096).idleStrategy(strategy).spinDuration(Duration.ofNanos(500))
            .sendTimeout(WAIT).build();
    }

    @ParameterizedTest
    @CsvSource({"BUSY_SPIN, SPIN_THEN_PARK", "SPIN_THEN_PARK, BUSY_SPIN", "PARK, PARK", "BUSY_SPIN, BUSY_SPIN"})
    void shouldStreamAcrossProcessesWhateverEachSidesIdleStrategy(final IdleStrategy client,
        final IdleStrategy server) throws Exception
    {
        final String name = TestEnvironment.uniqueName("poll");
        final java.io.File log = java.io.File.createTempFile("poll-sender", ".log");
        Process child = null;
        try (IpcServer bound = TestEnvironment.TRANSPORT.bind(name, options(server)))
        {
            final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-D" + TestEnvironment.SOCKET_DIRECTORY_PROPERTY + "=" + TestEnvironment.socketDirectory()));
            command.addAll(ChildJvm.maxParkArguments());
            command.addAll(java.util.List.of(
                "-cp", ChildJvm.classPath(), Sender.class.getName(), name, client.name(), Integer.toString(MESSAGES)));
            child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            final IpcChannel channel = bound.accept(Duration.ofSeconds(20));
            try
            {
                final long[] expected = {0};
                int batches = 0;
                while (expected[0] < MESSAGES)
                {
                    final int delivered = channel.poll(message ->
                    {
                        assertEquals(expected[0], message.getLong(message.position()), "lost, duplicated or reordered");
                        assertEquals(Sender.lengthOf(expected[0]), message.remaining(), "corrupted length");
                        expected[0]++;
                    }, 64, WAIT);
                    assertTrue(delivered > 0, "no message within " + WAIT + " after " + expected[0] + ": lost wake-up?");
                    batches++;
                    if ((batches & 127) == 0)
                    {
                        // Fall behind now and then, so the sender finds the ring full and waits for room.
                        final long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200);
                        while (System.nanoTime() < until)
                        {
                            Thread.onSpinWait();
                        }
                    }
                }
                channel.send(new byte[] {1});
                assertThrows(IpcPeerClosedException.class, () -> channel.poll(message -> { }, 1, Duration.ofSeconds(20)));
                final IpcStats stats = channel.stats();
                System.out.printf("client=%s server=%s: %d messages in %d batches, %s%n", client, server, MESSAGES,
                    batches, stats);
                assertEquals(MESSAGES, stats.messagesReceived());
                if (server == IdleStrategy.BUSY_SPIN)
                {
                    assertEquals(0, stats.parks(), "a busy-spinning reader parked");
                }
            }
            finally
            {
                channel.close();
            }
            assertTrue(child.waitFor(20, TimeUnit.SECONDS), "sender did not finish");
            final String output = java.nio.file.Files.readString(log.toPath());
            assertEquals(0, child.exitValue(), () -> "sender failed: " + output);
        }
        finally
        {
            if (null != child)
            {
                child.destroyForcibly();
            }
            java.nio.file.Files.deleteIfExists(log.toPath());
        }
    }

    @Test
    void shouldReturnZeroWhenNothingArrivesAndRejectABadLimit() throws Exception
    {
        TestEnvironment.withPair("poll", (client, accepted) ->
        {
            assertEquals(0, accepted.poll(message -> { }, 10, Duration.ZERO));
            final long start = System.nanoTime();
            assertEquals(0, accepted.poll(message -> { }, 10, Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "returned early");
            assertThrows(IllegalArgumentException.class, () -> accepted.poll(message -> { }, 0, Duration.ZERO));
            client.send(new byte[] {42});
            assertEquals(1, accepted.poll(message -> assertEquals(42, message.get(message.position())), 10,
                Duration.ofSeconds(5)));
        });
    }

    @Test
    void shouldDeliverInBatchesUpToTheLimitThenReportThePeersClose() throws Exception
    {
        try (IpcServer server = TestEnvironment.TRANSPORT.bind(TestEnvironment.uniqueName("poll"),
            IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel accepted = pair[1])
            {
                try (IpcChannel client = pair[0])
                {
                    for (int i = 0; i < 5; i++)
                    {
                        client.send(new byte[] {(byte)i});
                    }
                    // A fragmented one too: the handler sees it whole.
                    client.send(new byte[20_000]);
                }
                final List<Integer> seen = new ArrayList<>();
                assertEquals(3, accepted.poll(message -> seen.add(message.remaining() == 1 ?
                    (int)message.get(message.position()) : -message.remaining()), 3, Duration.ofSeconds(5)));
                assertEquals(3, accepted.poll(message -> seen.add(message.remaining() == 1 ?
                    (int)message.get(message.position()) : -message.remaining()), 10, Duration.ofSeconds(5)));
                assertEquals(List.of(0, 1, 2, 3, 4, -20_000), seen);
                assertThrows(IpcPeerClosedException.class, () -> accepted.poll(message -> { }, 10, WAIT));
            }
        }
    }

    @Test
    void shouldPassAHandlersExceptionToTheCallerWithTheMessageConsumed() throws Exception
    {
        TestEnvironment.withPair("poll", (client, accepted) ->
        {
            client.send(new byte[] {1});
            client.send(new byte[] {2});
            assertThrows(IllegalStateException.class, () -> accepted.poll(message ->
            {
                throw new IllegalStateException("handler failed");
            }, 10, Duration.ofSeconds(5)));
            assertEquals(2, accepted.receive(Duration.ofSeconds(5))[0], "the failed message was consumed");
            assertTrue(accepted.isOpen());
        });
    }

    /**
     * A served client that reads its replies only after the dispatcher had to queue some (they did not fit its ring)
     * gets every one of them, whatever the server's idle strategy. A busy-spinning server declares that it never parks,
     * so the client makes no wake check when it consumes; its dispatcher, which watches a back-pressured connection
     * for room through the client's wake-up, then never learned of the room, and closed the connection at its send
     * timeout ("client does not read its replies"), the client having read all that had fitted.
     */
    @ParameterizedTest
    @EnumSource(IdleStrategy.class)
    void shouldWriteTheQueuedRepliesOfAServedClientOnceItReads(final IdleStrategy server) throws Exception
    {
        final int requests = 20;
        final int replyLength = 1000;
        final AtomicReference<CountDownLatch> handled = new AtomicReference<>();
        final String name = TestEnvironment.uniqueName("queued-replies");
        try (IpcServer bound = TestEnvironment.TRANSPORT.bind(name, options(server)))
        {
            bound.serve((channel, message) ->
            {
                final ByteBuffer reply = ByteBuffer.allocate(replyLength);
                reply.putInt(0, message.getInt(message.position()));
                channel.send(reply);
                handled.get().countDown();
            });
            try (IpcChannel client = TestEnvironment.TRANSPORT.connect(name, options(IdleStrategy.SPIN_THEN_PARK)))
            {
                // Several rounds: in each the dispatcher may or may not have armed for room before the client reads.
                for (int round = 0; round < 5; round++)
                {
                    // A 4 KiB ring takes three of these replies: the fourth is queued, and the dispatcher stops taking
                    // this client's requests until it is written.
                    final CountDownLatch queued = new CountDownLatch(4);
                    handled.set(queued);
                    for (int i = 0; i < requests; i++)
                    {
                        client.send(ByteBuffer.allocate(Integer.BYTES).putInt(0, i));
                    }
                    assertTrue(queued.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "round " + round + ": the handler was called " + (4 - queued.getCount()) + " times");
                    for (int i = 0; i < requests; i++)
                    {
                        final byte[] reply = client.receive(WAIT);
                        assertEquals(replyLength, reply.length);
                        assertEquals(i, ByteBuffer.wrap(reply).getInt(0), "round " + round + ": reply out of order");
                    }
                }
            }
        }
    }

    /** The other process: streams numbered messages, then waits for the parent's word and closes. */
    public static final class Sender
    {
        static int lengthOf(final long sequence)
        {
            return 8 + (int)(sequence % 120);
        }

        public static void main(final String[] args) throws Exception
        {
            final String name = args[0];
            final IdleStrategy strategy = IdleStrategy.valueOf(args[1]);
            final int messages = Integer.parseInt(args[2]);
            try (IpcChannel channel = IpcTransport.forHost().connect(name, options(strategy)))
            {
                final ByteBuffer buffer = ByteBuffer.allocate(256);
                for (long sequence = 0; sequence < messages; sequence++)
                {
                    buffer.clear().putLong(0, sequence).limit(lengthOf(sequence));
                    channel.send(buffer);
                }
                channel.receive(Duration.ofSeconds(20));
                System.out.println("sender done: " + channel.stats());
            }
        }
    }
}
