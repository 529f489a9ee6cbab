package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcServerStats;

/**
 * A thousand concurrent clients in four other JVMs against one event-driven server in this JVM: every request
 * answered correctly by one library thread, the server's dispatcher, as the README says.
 */
@HostSuite
class ThousandClientsTest
{
    private static final int CLIENT_JVMS = 4;
    private static final int CONNECTIONS_PER_JVM = 250;
    private static final int ROUNDS = 20;
    private static final int THREADS_PER_JVM = 5;

    @Test
    @Timeout(120)
    void shouldServeAThousandClientsWithOneDispatcherThread() throws Exception
    {
        final String name = uniqueName("thousand");
        final AtomicLong answered = new AtomicLong();
        final AtomicLong opened = new AtomicLong();
        final AtomicLong handlerFailures = new AtomicLong();
        final List<ChildJvm> clients = new ArrayList<>();
        long maxIpcThreads = 0;
        final java.util.Set<String> seen = new java.util.TreeSet<>();
        // The transport's peer watcher exists already if an earlier test of this JVM accepted or connected.
        final java.util.Set<String> before = TestEnvironment.ipcThreadNames();
        long maxLiveThreads = 0;
        final long start = System.nanoTime();
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve(new IpcHandler()
            {
                @Override
                public void onOpen(final IpcChannel channel)
                {
                    opened.incrementAndGet();
                }

                @Override
                public void onMessage(final IpcChannel channel, final ByteBuffer message) throws IpcException
                {
                    channel.send(Messages.answer(message));
                    answered.incrementAndGet();
                }

                @Override
                public void onClose(final IpcChannel channel, final IpcException cause)
                {
                    if (!(cause instanceof ipc.api.IpcPeerClosedException))
                    {
                        handlerFailures.incrementAndGet();
                    }
                }
            });
            try
            {
                for (int c = 0; c < CLIENT_JVMS; c++)
                {
                    clients.add(ChildJvm.start("client-" + c, "clients", name, Integer.toString(c),
                        Integer.toString(CONNECTIONS_PER_JVM), Integer.toString(ROUNDS),
                        Integer.toString(THREADS_PER_JVM)));
                }
                // There is no event for "a child JVM exited" that also lets us sample this JVM's threads: poll.
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                int peakOpen = 0;
                while (clients.stream().anyMatch(child -> child.process().isAlive()))
                {
                    assertTrue(System.nanoTime() - deadline < 0, "clients still running after 90 s");
                    maxIpcThreads = Math.max(maxIpcThreads, TestEnvironment.ipcThreads());
                    seen.addAll(TestEnvironment.ipcThreadNames());
                    maxLiveThreads = Math.max(maxLiveThreads, Thread.activeCount());
                    peakOpen = Math.max(peakOpen, server.stats().openConnections());
                    clients.get(0).process().waitFor(20, TimeUnit.MILLISECONDS);
                }
                final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                for (final ChildJvm client : clients)
                {
                    assertEquals(0, client.awaitExit(10_000), client.output());
                }
                final long requests = (long)CLIENT_JVMS * CONNECTIONS_PER_JVM * ROUNDS;
                assertTrue(TestEnvironment.eventually(() -> server.stats().openConnections() == 0, 10_000),
                    "connections still open: " + server.stats());
                final IpcServerStats stats = server.stats();
                System.out.printf("%d clients x %d round trips: %d ms including JVM start-up, %.0f requests/s; " +
                    "peak open connections %d; ipc- threads max %d; live threads max %d; %s%n",
                    CLIENT_JVMS * CONNECTIONS_PER_JVM, ROUNDS, millis, requests * 1000.0 / millis, peakOpen,
                    maxIpcThreads, maxLiveThreads, stats);
                System.out.println("ipc- threads seen: " + seen);
                // The README: serve runs one dispatcher thread for any number of clients (and, where it sleeps on
                // its connections' wait words, a helper that watches its epoll meanwhile); the peer watcher serves
                // accepted and connecting channels only. Dispatchers of other tests' servers still winding down are
                // not this server's.
                final String dispatcher = "ipc-dispatcher-" + name;
                seen.removeAll(before);
                seen.removeIf(thread -> thread.startsWith("ipc-dispatcher-") && !thread.equals(dispatcher) &&
                    !thread.equals(dispatcher + "-epoll"));
                assertTrue(seen.contains(dispatcher), "library threads of this server: " + seen);
                seen.remove(dispatcher + "-epoll");
                assertEquals(java.util.Set.of(dispatcher), seen, "library threads of this server");
                assertEquals(requests, answered.get());
                assertEquals(CLIENT_JVMS * CONNECTIONS_PER_JVM, opened.get());
                assertEquals(CLIENT_JVMS * CONNECTIONS_PER_JVM, stats.acceptedConnections());
                assertEquals(0, stats.rejectedConnections());
                assertEquals(requests, stats.traffic().messagesReceived());
                assertEquals(requests, stats.traffic().messagesSent());
                assertEquals(0, handlerFailures.get(), "connections closed for another reason than the client's close");
            }
            finally
            {
                for (final ChildJvm client : clients)
                {
                    client.close();
                }
            }
        }
    }
}
