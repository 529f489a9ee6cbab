package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.eventually;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ipc.api.IdleStrategy;
import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcServer;
import ipc.api.IpcTimeoutException;

/**
 * Timeouts, and a peer killed with SIGKILL: the survivor learns it promptly, in accept and in event-driven mode, and
 * afterwards holds no descriptor, mapping or socket file of that connection (as far as {@link HostResources} counts
 * them on the host).
 */
@HostSuite
class PeerDeathTest
{
    /** Below the maximum park the backend modules set: a death noticed only by the periodic re-check fails. */
    private static final long DEATH_BOUND_MILLIS = WakeBound.VALUE.toMillis();

    @BeforeAll
    static void warmUp() throws Exception
    {
        // Load the native code and start the transport's peer watcher, so the baselines below hold only what stays.
        final String name = uniqueName("warm-up");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                client.send(new byte[1]);
                accepted.receive(Duration.ofSeconds(5));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(IdleStrategy.class)
    @Timeout(30)
    void shouldTimeOutAReceiveAfterAboutTheTimeout(final IdleStrategy idleStrategy) throws Exception
    {
        final String name = uniqueName("timeout");
        final IpcOptions options = IpcOptions.builder().idleStrategy(idleStrategy).build();
        try (IpcServer server = TRANSPORT.bind(name, options))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, options);
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                for (final long timeoutMillis : new long[] {0, 50, 400})
                {
                    final long start = System.nanoTime();
                    assertThrows(IpcTimeoutException.class, () -> accepted.receive(Duration.ofMillis(timeoutMillis)));
                    final long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    System.out.println("receive timeout=" + timeoutMillis + " ms idle=" + idleStrategy + " returned after " +
                        elapsed + " ms");
                    assertTrue(elapsed >= timeoutMillis, "returned before the timeout: elapsed=" + elapsed);
                    assertTrue(elapsed <= timeoutMillis + 1_000, "returned long after the timeout: elapsed=" + elapsed);
                }
                // Still usable after timeouts.
                client.send(new byte[] {1, 2, 3});
                assertEquals(3, accepted.receive(Duration.ofSeconds(5)).length);
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldWakeABlockedReceiverWhenThePeerIsKilledAndLeakNothing() throws Exception
    {
        final long fdsBefore = TestEnvironment.openFileDescriptors();
        final long mappingsBefore = TestEnvironment.segmentMappings();
        final String name = uniqueName("killed-accept");
        final AtomicLong detectedAt = new AtomicLong();
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final AtomicLong received = new AtomicLong();
        final CountDownLatch streaming = new CountDownLatch(1);
        final long killedAt;
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults());
            ChildJvm child = ChildJvm.start("paced", "paced", name))
        {
            final IpcChannel channel = server.accept(Duration.ofSeconds(30));
            final AtomicReference<Sleepers.Sleeper> sleeper = new AtomicReference<>();
            final Thread receiver = new Thread(() -> {
                sleeper.set(Sleepers.self());
                final ByteBuffer buffer = ByteBuffer.allocate(Messages.MAX_LENGTH);
                try
                {
                    for (long sequence = 0; ; sequence++)
                    {
                        buffer.clear();
                        channel.receive(buffer, Duration.ofSeconds(30));
                        buffer.flip();
                        Messages.verify(buffer, sequence);
                        if (received.incrementAndGet() == 200)
                        {
                            streaming.countDown();
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    detectedAt.set(System.nanoTime());
                    outcome.set(ex);
                }
            }, "blocked-receiver");
            receiver.start();
            assertTrue(streaming.await(20, TimeUnit.SECONDS), "the child did not stream: " + child.output());
            // The child sends a message a millisecond: between two, the receiver sleeps; kill it then.
            Sleepers.awaitSleeping(sleeper.get(), 10_000);
            killedAt = System.nanoTime();
            child.process().destroyForcibly();
            receiver.join(DEATH_BOUND_MILLIS + 5_000);
            final Throwable cause = outcome.get();
            if (!(cause instanceof IpcPeerClosedException))
            {
                throw new AssertionError("the receiver should fail with IpcPeerClosedException", cause);
            }
            final long delayMillis = TimeUnit.NANOSECONDS.toMillis(detectedAt.get() - killedAt);
            System.out.println("accept mode: peer death detected " + delayMillis + " ms after kill -9, after " +
                received.get() + " messages: " + cause.getMessage());
            assertTrue(delayMillis <= DEATH_BOUND_MILLIS, "peer death seen after " + delayMillis + " ms");
            assertTrue(!channel.isOpen());
            assertThrows(IpcPeerClosedException.class, () -> channel.send(new byte[1]));
            channel.close();
            assertEquals(1, server.stats().acceptedConnections());
        }
        assertNothingLeft(name, fdsBefore, mappingsBefore);
    }

    @Test
    @Timeout(60)
    void shouldCloseAServedConnectionWhenItsClientIsKilledAndLeakNothing() throws Exception
    {
        final long fdsBefore = TestEnvironment.openFileDescriptors();
        final long mappingsBefore = TestEnvironment.segmentMappings();
        final String name = uniqueName("killed-serve");
        final CountDownLatch streaming = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicReference<IpcException> closeCause = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong closedAt = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final long killedAt;
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve(new IpcHandler()
            {
                @Override
                public void onMessage(final IpcChannel channel, final ByteBuffer message)
                {
                    try
                    {
                        Messages.verify(message, received.get());
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                    if (received.incrementAndGet() == 200)
                    {
                        streaming.countDown();
                    }
                }

                @Override
                public void onClose(final IpcChannel channel, final IpcException cause)
                {
                    closedAt.set(System.nanoTime());
                    closeCause.set(cause);
                    closed.countDown();
                }
            });
            // What the serving server holds with no client: the dead client's connection must come back to this
            // while the server is still bound, not only once it closes.
            final long fdsServing = TestEnvironment.openFileDescriptors();
            final long mappingsServing = TestEnvironment.segmentMappings();
            final ChildJvm child = ChildJvm.start("paced", "paced", name);
            try
            {
                assertTrue(streaming.await(30, TimeUnit.SECONDS), "the child did not stream: " + child.output());
                assertEquals(1, server.stats().openConnections());
                killedAt = System.nanoTime();
                child.process().destroyForcibly();
                child.process().waitFor(30, TimeUnit.SECONDS);
            }
            finally
            {
                child.close();
            }
            assertTrue(closed.await(DEATH_BOUND_MILLIS + 5_000, TimeUnit.MILLISECONDS), "onClose not called");
            final long delayMillis = TimeUnit.NANOSECONDS.toMillis(closedAt.get() - killedAt);
            System.out.println("serve mode: onClose " + delayMillis + " ms after kill -9, after " + received.get() +
                " messages: " + closeCause.get());
            assertTrue(delayMillis <= DEATH_BOUND_MILLIS, "peer death seen after " + delayMillis + " ms");
            assertInstanceOf(IpcPeerClosedException.class, closeCause.get());
            if (null != failure.get())
            {
                throw new AssertionError("a message arrived damaged", failure.get());
            }
            assertTrue(eventually(() -> server.stats().openConnections() == 0, 5_000),
                "connection still counted open: " + server.stats());
            assertEquals(1, server.stats().acceptedConnections());
            assertEquals(received.get(), server.stats().traffic().messagesReceived());
            assertTrue(eventually(() -> TestEnvironment.openFileDescriptors() <= fdsServing &&
                TestEnvironment.segmentMappings() <= mappingsServing, 5_000), "the dead client's connection is " +
                "still held by the bound server: file descriptors serving=" + fdsServing + " now=" +
                TestEnvironment.openFileDescriptors() + ", segment mappings serving=" + mappingsServing + " now=" +
                TestEnvironment.segmentMappings());
        }
        assertNothingLeft(name, fdsBefore, mappingsBefore);
    }

    private static void assertNothingLeft(final String name, final long fdsBefore, final long mappingsBefore)
    {
        final boolean fdsSettled = eventually(() -> TestEnvironment.openFileDescriptors() <= fdsBefore, 5_000);
        final boolean mappingsSettled = eventually(() -> TestEnvironment.segmentMappings() <= mappingsBefore, 5_000);
        final long fdsAfter = TestEnvironment.openFileDescriptors();
        final long mappingsAfter = TestEnvironment.segmentMappings();
        HostResources.host().segmentMappingDetails().forEach(line -> System.out.println("  mapped: " + line));
        System.out.println(name + ": file descriptors before=" + fdsBefore + " after=" + fdsAfter +
            "; segment mappings before=" + mappingsBefore + " after=" + mappingsAfter + "; socket directory=" +
            TestEnvironment.list(TestEnvironment.socketDirectory()) + "; counted: " + HostResources.host().description());
        if (!fdsSettled || !mappingsSettled)
        {
            fail("leaked: file descriptors before=" + fdsBefore + " after=" + fdsAfter + ", segment mappings before=" +
                mappingsBefore + " after=" + mappingsAfter);
        }
        assertEquals(java.util.List.of(), TestEnvironment.list(TestEnvironment.socketDirectory()),
            "socket directory after the server closed");
    }
}
