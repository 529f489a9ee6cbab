package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcChannel;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;
import ipc.api.IpcTimeoutException;

/**
 * {@code IpcTransport.stats}: the STATS request of control protocol 1.1 against a real server of this process and
 * of another JVM, answered with the server's counters without creating a connection (nor, where
 * {@link HostResources} counts them, a segment). Fake servers that answer it wrongly are each backend's own tests.
 */
@HostSuite
class StatsQueryTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    @Timeout(60)
    void shouldAnswerAnotherJvmWithTheCountersOfAServingServerAndCreateNothing() throws Exception
    {
        final String name = uniqueName("stats");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve((channel, message) -> channel.send(Messages.answer(message)));
            try (IpcChannel client = TRANSPORT.connect(name, IpcOptions.defaults()))
            {
                for (int i = 0; i < 3; i++)
                {
                    client.send(Messages.payload(32, i));
                    client.receive(WAIT);
                }
                final long segmentsBefore = TestEnvironment.segmentMappings();

                // Another process asks.
                try (ChildJvm child = ChildJvm.start("stats", "stats-once", name))
                {
                    assertEquals(0, child.awaitExit(30_000), child.output());
                    final String outcome = child.awaitLine("OUTCOME", 1_000);
                    assertTrue(outcome.startsWith("OUTCOME STATS open=1 accepted=1 rejected=0 received=3 sent=3"),
                        outcome);
                }

                // This process asks through the socket too: the same numbers as the server's own snapshot.
                final IpcServerStats remote = TRANSPORT.stats(name, WAIT);
                final IpcServerStats local = server.stats();
                assertEquals(local.openConnections(), remote.openConnections());
                assertEquals(local.acceptedConnections(), remote.acceptedConnections());
                assertEquals(local.rejectedConnections(), remote.rejectedConnections());
                assertEquals(3, remote.traffic().messagesReceived());
                assertEquals(3, remote.traffic().messagesSent());
                assertEquals(local.traffic().bytesReceived(), remote.traffic().bytesReceived());

                // Two queries: neither counted as a connection, neither left a segment behind.
                assertEquals(1, server.stats().acceptedConnections());
                assertEquals(0, server.stats().rejectedConnections());
                assertEquals(1, server.stats().openConnections());
                assertEquals(segmentsBefore, TestEnvironment.segmentMappings(), "a STATS request mapped a segment");
            }
        }
    }

    @Test
    @Timeout(30)
    void shouldAnswerWhileAnAcceptIsWaiting() throws Exception
    {
        final String name = uniqueName("stats-accept");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final CompletableFuture<IpcChannel> accepted = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return server.accept(Duration.ofSeconds(10));
                }
                catch (final IpcException ex)
                {
                    throw new CompletionException(ex);
                }
            });
            final IpcServerStats stats = TRANSPORT.stats(name, WAIT);
            assertEquals(new IpcServerStats(0, 0, 0, IpcStats.ZERO), stats);
            // The accept was not woken with a channel by the query: a real client is what it returns.
            try (IpcChannel client = TRANSPORT.connect(name, IpcOptions.defaults());
                IpcChannel serverSide = accepted.get(10, TimeUnit.SECONDS))
            {
                assertTrue(serverSide.isOpen() && client.isOpen());
            }
        }
    }

    @Test
    @Timeout(30)
    void shouldTimeOutOnAServerThatAdmitsNobody() throws Exception
    {
        final String name = uniqueName("stats-idle");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            // Bound, neither serving nor accepting: the request waits in the backlog.
            final long start = System.nanoTime();
            assertThrows(IpcTimeoutException.class, () -> TRANSPORT.stats(name, Duration.ofMillis(300)));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            assertTrue(server.isOpen());
        }
    }

    @Test
    void shouldSayThereIsNoServer()
    {
        assertThrows(IpcClosedException.class, () -> TRANSPORT.stats(uniqueName("stats-none"), WAIT));
        assertThrows(IllegalArgumentException.class, () -> TRANSPORT.stats("../escape", WAIT));
        assertThrows(IllegalArgumentException.class, () -> TRANSPORT.stats("ok", Duration.ofSeconds(-1)));
    }
}
