package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcChannel;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcServer;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;
import ipc.api.IpcTimeoutException;

/** Names, binding, closing and counting: what a user meets around the messages themselves. */
@HostSuite
class LifecycleTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    @Timeout(30)
    void shouldRefuseANameHeldByALiveServer() throws Exception
    {
        final String name = uniqueName("bound");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final IpcAlreadyBoundException ex = assertThrows(IpcAlreadyBoundException.class,
                () -> TRANSPORT.bind(name, IpcOptions.defaults()));
            assertTrue(ex.getMessage().contains(name), ex.getMessage());
            // The refused bind did not disturb the live server.
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                client.send(new byte[] {9});
                assertArrayEquals(new byte[] {9}, accepted.receive(WAIT));
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldRefuseANameHeldByAnotherProcessAndReclaimItWhenThatProcessDies() throws Exception
    {
        final String name = uniqueName("stale");
        final Path socket = TestEnvironment.socketDirectory().resolve(name + ".sock");
        try (ChildJvm child = ChildJvm.start("bind-and-wait", "bind-and-wait", name))
        {
            child.awaitLine("BOUND", 30_000);
            assertThrows(IpcAlreadyBoundException.class, () -> TRANSPORT.bind(name, IpcOptions.defaults()));
            child.process().destroyForcibly();
            assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
        }
        // Unix: a socket file outlives its killed server (Windows: a named pipe dies with its last handle).
        assertTrue(!TestEnvironment.hasSocketFiles() || Files.exists(socket),
            "a killed server leaves its socket file behind: " + socket);
        // Nobody listens on the stale socket.
        assertThrows(IpcClosedException.class, () -> TRANSPORT.connect(name, IpcOptions.defaults()));
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                client.send(new byte[] {1});
                assertArrayEquals(new byte[] {1}, accepted.receive(WAIT));
            }
        }
        assertFalse(Files.exists(socket), "socket file removed on close");
        assertFalse(Files.exists(TestEnvironment.socketDirectory().resolve(name + ".lock")), "lock file removed");
    }

    @Test
    @Timeout(30)
    void shouldFailQuicklyToConnectToANameNobodyBound() throws Exception
    {
        final String name = uniqueName("nobody");
        final long start = System.nanoTime();
        final IpcClosedException ex = assertThrows(IpcClosedException.class,
            () -> TRANSPORT.connect(name, IpcOptions.defaults()));
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("connect to an unbound name failed after " + millis + " ms: " + ex.getMessage());
        assertTrue(millis < 1_000, "took " + millis + " ms");

        // The same once a server has come and gone.
        TRANSPORT.bind(name, IpcOptions.defaults()).close();
        assertThrows(IpcClosedException.class, () -> TRANSPORT.connect(name, IpcOptions.defaults()));
    }

    @Test
    void shouldRejectInvalidNames()
    {
        final List<String> invalid = List.of("", ".hidden", "..", "a/b", "../escape", "with space", "tab\t",
            "x".repeat(65), "ünïcode", "a\0b");
        for (final String name : invalid)
        {
            final IllegalArgumentException bind = assertThrows(IllegalArgumentException.class,
                () -> TRANSPORT.bind(name, IpcOptions.defaults()), "bind " + name);
            assertTrue(bind.getMessage().contains(name), bind.getMessage());
            assertThrows(IllegalArgumentException.class, () -> TRANSPORT.connect(name, IpcOptions.defaults()),
                "connect " + name);
        }
        assertEquals(List.of(), TestEnvironment.list(TestEnvironment.socketDirectory()).stream()
            .filter(entry -> !entry.endsWith(".sock") && !entry.endsWith(".lock")).toList(), "nothing else created");
    }

    @Test
    @Timeout(30)
    void shouldAcceptTheLongestValidName() throws Exception
    {
        final String name = ("n-" + ProcessHandle.current().pid() + "-" + "x".repeat(64)).substring(0, 64);
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                assertEquals(name, server.name());
                client.send(new byte[0]);
                assertEquals(0, accepted.receive(WAIT).length);
            }
        }
    }

    @SuppressWarnings("try") // closes inside try-with-resources on purpose: the test checks what follows a close
    @Test
    @Timeout(30)
    void shouldCloseIdempotentlyAndWakeABlockedReceiver() throws Exception
    {
        final String name = uniqueName("close");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                final AtomicReference<Throwable> outcome = new AtomicReference<>();
                final AtomicReference<Sleepers.Sleeper> sleeper = new AtomicReference<>();
                final CountDownLatch done = new CountDownLatch(1);
                final CountDownLatch started = new CountDownLatch(1);
                final Thread receiver = new Thread(() -> {
                    sleeper.set(Sleepers.self());
                    started.countDown();
                    try
                    {
                        // Longer than the bound below: only the close's wake-up ends it in time.
                        client.receive(WakeBound.VALUE.multipliedBy(3));
                    }
                    catch (final Throwable ex)
                    {
                        outcome.set(ex);
                    }
                    done.countDown();
                });
                receiver.start();
                // No event says "the receiver is asleep now": wait until its thread blocks in the wake signal.
                assertTrue(started.await(10, TimeUnit.SECONDS));
                Sleepers.awaitSleeping(sleeper.get(), 10_000);
                final long start = System.nanoTime();
                final Thread closer = new Thread(client::close);
                closer.start();
                assertTrue(done.await(WakeBound.VALUE.toMillis(), TimeUnit.MILLISECONDS),
                    "close did not wake the blocked receiver");
                System.out.println("close woke the receiver after " +
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                assertInstanceOf(IpcClosedException.class, outcome.get());
                closer.join(5_000);

                client.close();
                client.close();
                assertFalse(client.isOpen());
                assertThrows(IpcClosedException.class, () -> client.send(new byte[1]));
                assertThrows(IpcClosedException.class, () -> client.receive(Duration.ZERO));
                assertThrows(IpcClosedException.class, () -> client.claim(1, Duration.ZERO));
                assertThrows(IpcClosedException.class, () -> client.receiveBorrowed(Duration.ZERO));

                // The other side learns of it.
                assertThrows(IpcPeerClosedException.class, () -> accepted.receive(WAIT));
                assertFalse(accepted.isOpen());
            }
        }
    }

    @SuppressWarnings("try") // closes inside try-with-resources on purpose: the test checks what follows a close
    @Test
    @Timeout(30)
    void shouldFailSendsAfterThePeerClosed() throws Exception
    {
        final String name = uniqueName("send-after-close");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                client.close();
                assertThrows(IpcPeerClosedException.class, () -> accepted.send(new byte[10]));
                assertThrows(IpcPeerClosedException.class, () -> accepted.send(new byte[200_000]));
                assertThrows(IpcPeerClosedException.class, () -> accepted.claim(10, Duration.ZERO));
                assertEquals(0, accepted.stats().messagesSent());
            }
        }
    }

    @SuppressWarnings("try") // closes inside try-with-resources on purpose: the test checks what follows a close
    @Test
    @Timeout(30)
    void shouldDeliverEverythingSentBeforeThePeerClosed() throws Exception
    {
        final String name = uniqueName("drain");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                final List<byte[]> sent = new ArrayList<>();
                for (int i = 0; i < 100; i++)
                {
                    sent.add(Messages.payload(i == 50 ? 150_000 : i * 10, i));
                }
                final Thread sender = new Thread(() -> {
                    try
                    {
                        for (final byte[] message : sent)
                        {
                            client.send(message);
                        }
                    }
                    catch (final IpcException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                    finally
                    {
                        client.close();
                    }
                });
                sender.start();
                for (int i = 0; i < sent.size(); i++)
                {
                    assertArrayEquals(sent.get(i), accepted.receive(WAIT), "message " + i);
                }
                assertThrows(IpcPeerClosedException.class, () -> accepted.receive(WAIT));
                sender.join(5_000);
            }
        }
    }

    @Test
    @Timeout(30)
    void shouldDeliverEverythingSentBeforeTheClientClosedToAServedHandler() throws Exception
    {
        sendThenCloseToAServedHandler(uniqueName("drain-serve"), 1000, 500);
    }

    /**
     * The dispatcher must not take the client's close for the end of its messages before it looked at the ring once
     * more: a client closes right after its last send, and a message larger than the ring makes the dispatcher wake
     * the client while it is still inside its poll, so the client's last sends and its close fall between that poll
     * and the dispatcher's look at the close. The dispatcher read the close after its poll until this test: 10-22 %
     * of these rounds lost every message.
     */
    @Test
    @Timeout(60)
    void shouldDeliverWhatAClientSentJustBeforeItClosedWhileTheDispatcherWasPolling() throws Exception
    {
        for (int round = 0; round < 200; round++)
        {
            sendThenCloseToAServedHandler(uniqueName("drain-race"), 11, 0);
        }
    }

    /**
     * A client sends {@code count} messages, one of them larger than the ring, then closes; the served handler must
     * see every one, in order, then {@code onClose} with the peer's close.
     */
    private static void sendThenCloseToAServedHandler(final String name, final int count, final int largeAt)
        throws Exception
    {
        final List<byte[]> received = new ArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);
        final AtomicReference<IpcException> cause = new AtomicReference<>();
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve(new IpcHandler()
            {
                @Override
                public void onMessage(final IpcChannel channel, final ByteBuffer message)
                {
                    final byte[] copy = new byte[message.remaining()];
                    message.get(copy);
                    received.add(copy);
                }

                @Override
                public void onClose(final IpcChannel channel, final IpcException why)
                {
                    cause.set(why);
                    closed.countDown();
                }
            });
            assertThrows(IllegalStateException.class, () -> server.accept(Duration.ZERO));
            try (IpcChannel client = TRANSPORT.connect(name, IpcOptions.defaults()))
            {
                for (int i = 0; i < count; i++)
                {
                    client.send(drainPayload(i, largeAt));
                }
            }
            assertTrue(closed.await(10, TimeUnit.SECONDS), "onClose not called");
            assertInstanceOf(IpcPeerClosedException.class, cause.get());
            // onClose happened after every onMessage on the dispatcher's thread, and the latch orders them for us.
            assertEquals(count, received.size(), "messages delivered of " + count);
            for (int i = 0; i < count; i++)
            {
                assertArrayEquals(drainPayload(i, largeAt), received.get(i), "message " + i);
            }
        }
    }

    /**
     * A client that sends and closes without reading the answers: every message it sent still reaches the served
     * handler, whose replies meanwhile fail with {@link IpcPeerClosedException} (a socket's reader likewise reads
     * what the writer sent before it closed). A reply that failed so closed the connection at once until this test:
     * 299 of 300 clients sending ten messages had one delivered. With 1000 messages the replies also fill the client's
     * ring, so the connection is back-pressured when the client leaves, and its queue of replies is dropped unsent.
     */
    @ParameterizedTest
    @ValueSource(ints = {10, 1000})
    @Timeout(60)
    void shouldDeliverEverythingAClientSentBeforeItClosedThoughTheRepliesFindItGone(final int count) throws Exception
    {
        for (int round = 0; round < 10; round++)
        {
            final AtomicInteger delivered = new AtomicInteger();
            final AtomicReference<IpcException> cause = new AtomicReference<>();
            final CountDownLatch closed = new CountDownLatch(1);
            try (IpcServer server = TRANSPORT.bind(uniqueName("replies-gone"), IpcOptions.defaults()))
            {
                server.serve(new IpcHandler()
                {
                    @Override
                    public void onMessage(final IpcChannel channel, final ByteBuffer message) throws IpcException
                    {
                        final byte[] copy = new byte[message.remaining()];
                        message.get(copy);
                        assertArrayEquals(Messages.payload(100, delivered.get()), copy, "in order");
                        delivered.incrementAndGet();
                        channel.send(copy);
                    }

                    @Override
                    public void onClose(final IpcChannel channel, final IpcException why)
                    {
                        cause.set(why);
                        closed.countDown();
                    }
                });
                try (IpcChannel client = TRANSPORT.connect(server.name(), IpcOptions.defaults()))
                {
                    for (int i = 0; i < count; i++)
                    {
                        client.send(Messages.payload(100, i));
                    }
                }
                assertTrue(closed.await(10, TimeUnit.SECONDS), "onClose not called");
                assertEquals(count, delivered.get(), "messages delivered, round " + round);
                assertInstanceOf(IpcPeerClosedException.class, cause.get());
            }
        }
    }

    /**
     * A served handler that answers with more than the client's ring holds and then closes: the replies its
     * {@code send}s accepted were queued by the dispatcher, and the close dropped the queue until this test (the
     * client read none of them in 9 rounds of 10). Now the close refuses new messages at once and closes the
     * connection when the client has read the queue.
     */
    @Test
    @Timeout(60)
    void shouldDeliverTheRepliesAServedHandlerQueuedBeforeItClosed() throws Exception
    {
        for (int round = 0; round < 20; round++)
        {
            final String name = uniqueName("linger");
            final AtomicReference<Throwable> afterClose = new AtomicReference<>();
            // Counted down once the handler checked the closed channel: a close whose replies all fit at once closes
            // inside close(), onClose included, before the handler's next line.
            final CountDownLatch handled = new CountDownLatch(1);
            final AtomicReference<IpcException> cause = new AtomicReference<>();
            final CountDownLatch closed = new CountDownLatch(1);
            try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
            {
                server.serve(new IpcHandler()
                {
                    @Override
                    public void onMessage(final IpcChannel channel, final ByteBuffer message) throws IpcException
                    {
                        for (int i = 0; i < 11; i++)
                        {
                            channel.send(drainPayload(i, 0));
                        }
                        channel.close();
                        afterClose.set(channel.isOpen() ? new AssertionError("open after close") :
                            assertThrows(IpcClosedException.class, () -> channel.send(new byte[1])));
                        handled.countDown();
                    }

                    @Override
                    public void onClose(final IpcChannel channel, final IpcException why)
                    {
                        cause.set(why);
                        closed.countDown();
                    }
                });
                try (IpcChannel client = TRANSPORT.connect(name, IpcOptions.defaults()))
                {
                    client.send(new byte[1]);
                    assertEverythingThenPeerClosed(client, 11);
                }
                assertTrue(closed.await(10, TimeUnit.SECONDS), "onClose not called");
                assertTrue(handled.await(10, TimeUnit.SECONDS), "the handler ran to its end");
                assertInstanceOf(IpcClosedException.class, afterClose.get(), "a send after the close");
                assertInstanceOf(IpcClosedException.class, cause.get());
                assertFalse(cause.get() instanceof IpcPeerClosedException, "closed by the server: " + cause.get());
            }
        }
    }

    /** The same close from a thread of the server's own, while the client has read none of the queue yet. */
    @Test
    @Timeout(30)
    void shouldDeliverQueuedRepliesWhenAnotherThreadClosesTheServedChannel() throws Exception
    {
        final String name = uniqueName("linger-thread");
        final CompletableFuture<IpcChannel> served = new CompletableFuture<>();
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve((channel, message) ->
            {
                for (int i = 0; i < 11; i++)
                {
                    channel.send(drainPayload(i, 0));
                }
                served.complete(channel);
            });
            try (IpcChannel client = TRANSPORT.connect(name, IpcOptions.defaults()))
            {
                client.send(new byte[1]);
                final IpcChannel channel = served.get(10, TimeUnit.SECONDS);
                channel.close();
                assertFalse(channel.isOpen());
                assertThrows(IpcClosedException.class, () -> channel.send(new byte[1]));
                assertEverythingThenPeerClosed(client, 11);
            }
        }
    }

    /**
     * A client that never reads the replies queued before the close does not keep its connection (or the
     * dispatcher) beyond the send timeout: the close then drops them and tells the handler why.
     */
    @Test
    @Timeout(30)
    void shouldDropQueuedRepliesAfterTheSendTimeoutWhenTheClientDoesNotRead() throws Exception
    {
        final String name = uniqueName("linger-unread");
        final IpcOptions options = IpcOptions.builder().sendTimeout(Duration.ofMillis(200)).build();
        final LinkedBlockingQueue<IpcException> causes = new LinkedBlockingQueue<>();
        try (IpcServer server = TRANSPORT.bind(name, options))
        {
            server.serve(new IpcHandler()
            {
                @Override
                public void onMessage(final IpcChannel channel, final ByteBuffer message) throws IpcException
                {
                    if (message.remaining() == 2)
                    {
                        channel.send(drainPayload(0, 0));
                        channel.close();
                    }
                    else
                    {
                        channel.send(message);
                    }
                }

                @Override
                public void onClose(final IpcChannel channel, final IpcException why)
                {
                    causes.add(why);
                }
            });
            try (IpcChannel silent = TRANSPORT.connect(name, options))
            {
                silent.send(new byte[2]);
                final IpcException why = causes.poll(10, TimeUnit.SECONDS);
                assertInstanceOf(IpcClosedException.class, why);
                assertTrue(why.getMessage().contains("does not read its replies"), why.getMessage());
                try (IpcChannel other = TRANSPORT.connect(name, options))
                {
                    other.send(new byte[] {7});
                    assertArrayEquals(new byte[] {7}, other.receive(WAIT));
                }
            }
        }
    }

    /** Receives {@code count} messages of {@link #drainPayload(int, int)} with the large one first, then the close. */
    private static void assertEverythingThenPeerClosed(final IpcChannel client, final int count) throws IpcException
    {
        for (int i = 0; i < count; i++)
        {
            assertArrayEquals(drainPayload(i, 0), client.receive(WAIT), "reply " + i);
        }
        assertThrows(IpcPeerClosedException.class, () -> client.receive(WAIT));
    }

    /** Message {@code i}: 150,000 bytes (over twice the default ring) at {@code largeAt}, else 0-99 bytes. */
    private static byte[] drainPayload(final int i, final int largeAt)
    {
        return Messages.payload(i == largeAt ? 150_000 : i % 100, i);
    }

    @SuppressWarnings("try") // closes inside try-with-resources on purpose: the test checks what follows a close
    @Test
    @Timeout(30)
    void shouldCountTraffic() throws Exception
    {
        final String name = uniqueName("stats");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            assertThrows(IpcTimeoutException.class, () -> server.accept(Duration.ofMillis(50)));
            assertThrows(IllegalStateException.class, () -> server.serve((channel, message) -> { }));
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                assertEquals(IpcStats.ZERO, client.stats());
                final Thread sender = new Thread(() -> {
                    try
                    {
                        client.send(new byte[100]);
                        client.send(new byte[200_000]);
                    }
                    catch (final IpcException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                sender.start();
                // Nothing is read until the sender waited for room: 200 KB cannot fit the 64 KiB ring at once, so it
                // must wait, and the count below is not left to a race between this reader and that writer (a reader
                // that kept pace let the whole message through without a wait: CI of 2026-12-01).
                assertTrue(TestEnvironment.eventually(() -> client.stats().fullRingWaits() > 0, 10_000),
                    "the sender never waited for room: " + client.stats());
                accepted.receive(WAIT);
                accepted.receive(WAIT);
                sender.join(5_000);
                // A receive that has to sleep, woken by a send. Parks are counted when a wait ends, wake-ups when sent:
                // compare the counts before and after this one receive.
                final long parksBefore = accepted.stats().parks();
                final long wakeupsBefore = client.stats().wakeupsSent();
                final AtomicReference<Sleepers.Sleeper> sleeper = new AtomicReference<>();
                final CountDownLatch started = new CountDownLatch(1);
                final AtomicReference<byte[]> lateMessage = new AtomicReference<>();
                final Thread late = new Thread(() -> {
                    sleeper.set(Sleepers.self());
                    started.countDown();
                    try
                    {
                        lateMessage.set(accepted.receive(WakeBound.VALUE));
                    }
                    catch (final IpcException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                late.start();
                assertTrue(started.await(10, TimeUnit.SECONDS));
                Sleepers.awaitSleeping(sleeper.get(), 10_000);
                client.send(new byte[1]);
                late.join(WakeBound.VALUE.toMillis() + 5_000);
                assertArrayEquals(new byte[1], lateMessage.get(), "the late receive got the message");

                final IpcStats sent = client.stats();
                final IpcStats got = accepted.stats();
                System.out.println("client " + sent + "\nserver-side " + got);
                assertEquals(3, sent.messagesSent());
                assertEquals(200_101, sent.bytesSent());
                assertTrue(sent.fragmentsSent() >= 4, "200 KB over a 64 KiB ring is fragmented: " + sent);
                assertEquals(3, got.messagesReceived());
                assertEquals(200_101, got.bytesReceived());
                assertEquals(sent.fragmentsSent(), got.fragmentsReceived());
                assertTrue(got.parks() > parksBefore, "the late receive parked: " + got);
                assertTrue(sent.wakeupsSent() > wakeupsBefore, "the sender woke it: " + sent);
                assertTrue(sent.fullRingWaits() > 0, "200 KB does not fit the ring at once: " + sent);

                final IpcServerStats serverStats = server.stats();
                assertEquals(1, serverStats.openConnections());
                assertEquals(1, serverStats.acceptedConnections());
                assertEquals(0, serverStats.rejectedConnections());
                assertEquals(3, serverStats.traffic().messagesReceived());
            }
            final IpcServerStats after = server.stats();
            assertEquals(0, after.openConnections());
            assertEquals(3, after.traffic().messagesReceived(), "closed connections still count: " + after);
            server.close();
            server.close();
            assertFalse(server.isOpen());
            assertThrows(IpcClosedException.class, () -> server.accept(Duration.ZERO));
        }
    }
}
