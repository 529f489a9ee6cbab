package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.eventually;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ipc.api.IpcChannel;
import ipc.api.IpcClosedException;
import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcOptions;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcServer;
import ipc.api.IpcTimeoutException;
import ipc.api.call.CallClient;
import ipc.api.call.CallDispatcher;
import ipc.api.call.CallOptions;
import ipc.api.call.IpcCalls;
import ipc.api.call.IpcRemoteException;
import ipc.api.call.Reply;
import ipc.api.call.RequestHandler;

/**
 * Calls on the host's transport ({@code ipc.api.call}): request/reply in order and out of order, many calls in flight
 * over many channels, timeouts with late replies, cancellation reaching the server, streams whose slow consumer slows
 * the producer, server errors, and hostile frames written with the plain channel API on either side.
 */
@HostSuite
class CallsTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final RequestHandler ECHO = (request, reply) -> reply.send(request);

    private static byte[] number(final long value)
    {
        return ByteBuffer.allocate(Long.BYTES).putLong(0, value).array();
    }

    private static long number(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).getLong(0);
    }

    private static Throwable failureOf(final CompletableFuture<?> future) throws Exception
    {
        final ExecutionException ex = assertThrows(ExecutionException.class,
            () -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        return ex.getCause();
    }

    private static IpcServer serve(final String prefix, final RequestHandler handler) throws Exception
    {
        final IpcServer server = TRANSPORT.bind(uniqueName(prefix), IpcOptions.defaults());
        server.serve(IpcCalls.handler(handler));
        return server;
    }

    private static IpcChannel connect(final IpcServer server) throws Exception
    {
        return TRANSPORT.connect(server.name(), IpcOptions.defaults());
    }

    // ---------------------------------------------------------------- request/reply

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void shouldAnswerSequentialCallsInOrder(final boolean callerDriven) throws Exception
    {
        final CallOptions options = callerDriven ? CallOptions.builder().callerDriven().build() :
            CallOptions.defaults();
        try (IpcServer server = serve("calls-seq", ECHO);
             CallClient client = IpcCalls.client(connect(server), options))
        {
            for (int i = 0; i < 2_000; i++)
            {
                final byte[] request = Messages.payload(1 + i % 300, i);
                assertArrayEquals(request, client.call(request, WAIT), "call " + i);
            }
            assertEquals(2_000, client.stats().requests());
            assertEquals(2_000, client.stats().replies());
            assertEquals(0, client.stats().pending());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void shouldCallWithBuffersOnBothSidesAndNoArray(final boolean callerDriven) throws Exception
    {
        // The server reads each request in place and answers with a buffer: the reversed request, sizes from empty to
        // larger than one record (a view of the reassembled message).
        final CallOptions options = callerDriven ? CallOptions.builder().callerDriven().build() :
            CallOptions.defaults();
        try (IpcServer server = TRANSPORT.bind(uniqueName("calls-views"), IpcOptions.defaults()))
        {
            server.serve(IpcCalls.viewHandler((request, reply) ->
            {
                if (!request.isReadOnly())
                {
                    throw new IllegalStateException("a writable view of the ring");
                }
                final ByteBuffer reversed = ByteBuffer.allocate(request.remaining());
                for (int i = request.limit() - 1; i >= request.position(); i--)
                {
                    reversed.put(request.get(i));
                }
                reply.send(reversed.flip());
            }));
            try (CallClient client = IpcCalls.client(connect(server), options))
            {
                final ByteBuffer reply = ByteBuffer.allocateDirect(300_000);
                for (final int size : new int[] {0, 1, 64, 4000, 70_000, 64, 250_000, 3})
                {
                    final byte[] bytes = Messages.payload(size, size);
                    final ByteBuffer request = ByteBuffer.allocateDirect(size + 5).position(5);
                    request.put(bytes).flip().position(5);
                    reply.clear().position(7);
                    assertEquals(size, client.call(request, reply, WAIT), "size " + size);
                    assertEquals(size + 5, request.position());
                    assertEquals(7 + size, reply.position());
                    for (int i = 0; i < size; i++)
                    {
                        assertEquals(bytes[size - 1 - i], reply.get(7 + i), "size " + size + " byte " + i);
                    }
                }
                final ByteBuffer tooSmall = ByteBuffer.allocate(10);
                final ByteBuffer request = ByteBuffer.wrap(Messages.payload(11, 1));
                assertThrows(IpcMessageTooLargeException.class, () -> client.call(request, tooSmall, WAIT));
                assertEquals(0, tooSmall.position());
                assertEquals(0, request.position());
                request.limit(10);
                assertEquals(10, client.call(request, tooSmall, WAIT), "the client goes on after a reply too large");
                assertEquals(10, client.stats().replies());
                assertEquals(0, client.stats().pending());
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldShareOneCallerDrivenClientBetweenThreads() throws Exception
    {
        // Whichever caller holds the read side completes the others' calls, which wait for it: every reply must
        // reach its own caller.
        final int threads = 4;
        final int calls = 5_000;
        try (IpcServer server = serve("calls-shared", ECHO);
             CallClient client = IpcCalls.client(connect(server), CallOptions.builder().callerDriven().build()))
        {
            final ExecutorService callers = Executors.newFixedThreadPool(threads);
            try
            {
                final List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++)
                {
                    final int thread = t;
                    done.add(callers.submit(() ->
                    {
                        for (int i = 0; i < calls; i++)
                        {
                            final long value = (long)thread << 32 | i;
                            assertEquals(value, number(client.call(number(value), WAIT)), "thread " + thread);
                        }
                        return calls;
                    }));
                }
                for (final Future<Integer> future : done)
                {
                    assertEquals(calls, future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                }
            }
            finally
            {
                callers.shutdownNow();
            }
            assertEquals((long)threads * calls, client.stats().replies());
            assertEquals(0, client.stats().pending());
        }
    }

    @Test
    @Timeout(60)
    void shouldCarryRequestsAndRepliesLargerThanOneRecord() throws Exception
    {
        try (IpcServer server = serve("calls-large", ECHO); CallClient client = IpcCalls.client(connect(server)))
        {
            final byte[] request = Messages.payload(1 << 20, 7);
            assertArrayEquals(request, client.request(request, WAIT).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(60)
    void shouldMatchRepliesThatComeInAnyOrder() throws Exception
    {
        final int count = 200;
        final List<byte[]> requests = Collections.synchronizedList(new ArrayList<>());
        final List<Reply> replies = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch all = new CountDownLatch(count);
        final RequestHandler later = (request, reply) ->
        {
            requests.add(request);
            replies.add(reply);
            all.countDown();
        };
        try (IpcServer server = serve("calls-order", later); CallClient client = IpcCalls.client(connect(server)))
        {
            final List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                futures.add(client.request(number(i), WAIT));
            }
            assertTrue(all.await(30, TimeUnit.SECONDS));
            // Answer from another thread, last request first, each with its request's number times ten.
            for (int i = count - 1; i >= 0; i--)
            {
                assertTrue(replies.get(i).send(number(number(requests.get(i)) * 10)));
                assertFalse(replies.get(i).send(new byte[1]), "a reply is single-use");
            }
            for (int i = 0; i < count; i++)
            {
                assertEquals(i * 10L, number(futures.get(i).get(30, TimeUnit.SECONDS)));
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldCarryAHundredThousandCallsInFlightAcrossManyChannels() throws Exception
    {
        manyInFlight(64, 100_000);
    }

    @Test
    @Tag("stress")
    @Timeout(600)
    void shouldCarryAMillionCallsInFlightAcrossManyChannels() throws Exception
    {
        manyInFlight(256, 1_000_000);
    }

    private static void manyInFlight(final int channels, final int calls) throws Exception
    {
        // The server holds every call until all have arrived, then answers them all: all are in flight at once.
        final List<Reply> held = Collections.synchronizedList(new ArrayList<>(calls));
        final List<byte[]> heldRequests = Collections.synchronizedList(new ArrayList<>(calls));
        final CountDownLatch arrived = new CountDownLatch(calls);
        final RequestHandler hold = (request, reply) ->
        {
            held.add(reply);
            heldRequests.add(request);
            arrived.countDown();
        };
        final CallOptions serverSide = CallOptions.builder().maxActiveCalls(calls / channels + 1).build();
        try (IpcServer server = TRANSPORT.bind(uniqueName("calls-many"), IpcOptions.defaults());
             CallDispatcher dispatcher = IpcCalls.dispatcher("calls-test-dispatcher"))
        {
            server.serve(IpcCalls.handler(hold, serverSide));
            final CallOptions options = CallOptions.builder().dispatcher(dispatcher).build();
            final List<CallClient> clients = new ArrayList<>();
            try
            {
                for (int c = 0; c < channels; c++)
                {
                    clients.add(IpcCalls.client(connect(server), options));
                }
                final List<CompletableFuture<byte[]>> futures = new ArrayList<>(calls);
                for (int i = 0; i < calls; i++)
                {
                    futures.add(clients.get(i % channels).request(number(i), Duration.ofMinutes(5)));
                }
                assertTrue(arrived.await(120, TimeUnit.SECONDS), "arrived: " + (calls - arrived.getCount()));
                assertEquals(calls, clients.stream().mapToInt(client -> client.stats().pending()).sum());
                for (int i = held.size() - 1; i >= 0; i--)
                {
                    held.get(i).send(heldRequests.get(i));
                }
                for (int i = 0; i < calls; i++)
                {
                    assertEquals(i, number(futures.get(i).get(120, TimeUnit.SECONDS)));
                }
                assertEquals(0, clients.stream().mapToInt(client -> client.stats().pending()).sum());
            }
            finally
            {
                clients.forEach(CallClient::close);
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldServeAnAcceptedChannelOnTheCallersThread() throws Exception
    {
        try (IpcServer server = TRANSPORT.bind(uniqueName("calls-accept"), IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            final CompletableFuture<Void> serving = CompletableFuture.runAsync(() ->
            {
                try
                {
                    IpcCalls.serve(pair[1], (request, reply) -> reply.send(number(number(request) + 1)));
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            try (CallClient client = IpcCalls.client(pair[0], CallOptions.builder().callerDriven().build()))
            {
                for (int i = 0; i < 100; i++)
                {
                    assertEquals(i + 1, number(client.call(number(i), WAIT)));
                }
            }
            // The client's close is the peer's close: serving ends normally and closes the accepted channel.
            serving.get(30, TimeUnit.SECONDS);
            assertFalse(pair[1].isOpen());
        }
    }

    /**
     * A client that makes its requests and closes without waiting for the answers: each request still reaches the
     * handler, on a dispatcher and on an accepted channel's own thread, while the answers fail (the client is gone).
     * The call layer swallows an answer that cannot be sent, so this held before; a plain served handler's failing
     * reply did stop the delivery (see {@code LifecycleTest}), and this guards the call layer against the same.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void shouldServeEveryRequestAClientMadeBeforeItClosed(final boolean accepted) throws Exception
    {
        final int requests = 50;
        for (int round = 0; round < 5; round++)
        {
            final AtomicInteger served = new AtomicInteger();
            final CountDownLatch clientClosed = new CountDownLatch(1);
            final RequestHandler counting = (request, reply) ->
            {
                assertEquals(served.getAndIncrement(), number(request), "in order");
                if (0 == number(request))
                {
                    // The first answer goes out once the client has closed: every answer fails from here on.
                    assertTrue(clientClosed.await(10, TimeUnit.SECONDS));
                }
                reply.send(request);
            };
            try (IpcServer server = TRANSPORT.bind(uniqueName("calls-gone"), IpcOptions.defaults()))
            {
                final IpcChannel[] pair;
                final CompletableFuture<Void> serving;
                if (accepted)
                {
                    pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
                    serving = CompletableFuture.runAsync(() ->
                    {
                        try
                        {
                            IpcCalls.serve(pair[1], counting);
                        }
                        catch (final Exception ex)
                        {
                            throw new IllegalStateException(ex);
                        }
                    });
                }
                else
                {
                    server.serve(IpcCalls.handler(counting));
                    pair = new IpcChannel[] {connect(server)};
                    serving = null;
                }
                try (CallClient client = IpcCalls.client(pair[0]))
                {
                    for (int i = 0; i < requests; i++)
                    {
                        client.request(number(i), WAIT);
                    }
                }
                clientClosed.countDown();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (served.get() < requests && System.nanoTime() < deadline)
                {
                    if (null != serving && serving.isDone())
                    {
                        break;
                    }
                    Thread.onSpinWait();
                }
                if (null != serving)
                {
                    serving.get(10, TimeUnit.SECONDS);
                }
                assertEquals(requests, served.get(), "requests served, round " + round);
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldCompleteOnTheGivenExecutor() throws Exception
    {
        final ExecutorService executor = Executors.newSingleThreadExecutor(task -> new Thread(task, "completer"));
        final LinkedBlockingQueue<Reply> held = new LinkedBlockingQueue<>();
        try (IpcServer server = serve("calls-executor", (request, reply) -> held.add(reply));
             CallClient client = IpcCalls.client(connect(server),
                 CallOptions.builder().completionExecutor(executor).build()))
        {
            // The dependent stage is attached before the reply is sent, so it runs where the completion runs.
            final CompletableFuture<String> thread = client.request(new byte[] {1}, WAIT)
                .thenApply(reply -> Thread.currentThread().getName());
            held.take().send(new byte[] {2});
            assertEquals("completer", thread.get(30, TimeUnit.SECONDS));
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- timeouts and cancellation

    @Test
    @Timeout(60)
    void shouldTimeOutACallAndDropItsLateReply() throws Exception
    {
        final LinkedBlockingQueue<Reply> held = new LinkedBlockingQueue<>();
        try (IpcServer server = serve("calls-timeout", (request, reply) -> held.add(reply));
             CallClient client = IpcCalls.client(connect(server)))
        {
            final CompletableFuture<byte[]> call = client.request(new byte[] {1}, Duration.ofMillis(50));
            final Throwable failure = failureOf(call);
            assertInstanceOf(IpcTimeoutException.class, failure);
            assertTrue(failure.getMessage().contains("timeoutMillis=50"), failure.getMessage());
            assertEquals(1, client.stats().timeouts());
            // The server is told (best effort): its reply handle turns cancelled, and a reply sent anyway is dropped.
            final Reply reply = held.poll(30, TimeUnit.SECONDS);
            assertNotNull(reply);
            assertTrue(eventually(reply::isCancelled, 10_000), "the server learns of the timeout");
            assertFalse(reply.send(new byte[] {2}));
            // The channel still works.
            final CompletableFuture<byte[]> next = client.request(new byte[] {3}, WAIT);
            held.poll(30, TimeUnit.SECONDS).send(new byte[] {4});
            assertArrayEquals(new byte[] {4}, next.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    @Timeout(60)
    void shouldCountALateReplyTheServerSentBeforeItLearnedOfTheTimeout() throws Exception
    {
        try (IpcServer server = TRANSPORT.bind(uniqueName("calls-late"), IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel accepted = pair[1];
                 CallClient client = IpcCalls.client(pair[0]))
            {
                final CompletableFuture<byte[]> call = client.request(new byte[] {1}, Duration.ofMillis(20));
                // Raw server side: read the request, wait for the timeout, then answer it anyway.
                final byte[] request = accepted.receive(WAIT);
                final long id = ByteBuffer.wrap(request).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(8);
                assertInstanceOf(IpcTimeoutException.class, failureOf(call));
                accepted.send(rawFrame(2, 0, 0, id, new byte[] {9}));
                final byte[] cancel = accepted.receive(WAIT);
                assertEquals(6, cancel[2], "a CANCEL follows the timeout");
                // A client reads its channel while calls are pending: the next call finds the late reply first.
                final CompletableFuture<byte[]> next = client.request(new byte[] {2}, WAIT);
                final long nextId = ByteBuffer.wrap(accepted.receive(WAIT)).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getLong(8);
                accepted.send(rawFrame(2, 0, 0, nextId, new byte[] {10}));
                assertArrayEquals(new byte[] {10}, next.get(30, TimeUnit.SECONDS));
                assertEquals(1, client.stats().lateReplies(), client.stats().toString());
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldTellTheServerWhenTheCallerCancels() throws Exception
    {
        final LinkedBlockingQueue<Reply> held = new LinkedBlockingQueue<>();
        try (IpcServer server = serve("calls-cancel", (request, reply) -> held.add(reply));
             CallClient client = IpcCalls.client(connect(server)))
        {
            final CompletableFuture<byte[]> call = client.request(new byte[] {1}, WAIT);
            final Reply reply = held.poll(30, TimeUnit.SECONDS);
            assertNotNull(reply);
            assertFalse(reply.isCancelled());
            assertTrue(call.cancel(true));
            assertTrue(eventually(reply::isCancelled, 10_000), "the server learns of the cancel");
            assertFalse(reply.send(new byte[] {2}), "a cancelled call's reply is dropped");
            assertEquals(1, client.stats().cancels());
            assertEquals(0, client.stats().pending());
        }
    }

    // ---------------------------------------------------------------- errors

    @Test
    @Timeout(60)
    void shouldFailTheCallWithTheServersMessageButNotItsStackTrace() throws Exception
    {
        final RequestHandler failing = (request, reply) ->
        {
            if (request.length == 1)
            {
                throw new IllegalStateException("bad request: length=1 \u00e9");
            }
            throw new IllegalArgumentException("x".repeat(100_000));
        };
        try (IpcServer server = serve("calls-error", failing); CallClient client = IpcCalls.client(connect(server)))
        {
            final IpcRemoteException error = assertThrows(IpcRemoteException.class,
                () -> client.call(new byte[1], WAIT));
            assertEquals("bad request: length=1 \u00e9", error.getMessage());
            final Throwable longOne = failureOf(client.request(new byte[2], WAIT));
            assertInstanceOf(IpcRemoteException.class, longOne);
            assertEquals(IpcRemoteException.MAX_MESSAGE_BYTES, longOne.getMessage().length());
            assertFalse(longOne.getMessage().contains("\tat "));
            assertEquals(2, client.stats().remoteErrors());
            // The connection survives its handler's failures.
            assertTrue(client.isOpen());
        }
    }

    @Test
    @Timeout(60)
    void shouldRefuseCallsBeyondTheServersLimitOneByOne() throws Exception
    {
        final LinkedBlockingQueue<Reply> held = new LinkedBlockingQueue<>();
        final RequestHandler hold = (request, reply) -> held.add(reply);
        try (IpcServer server = TRANSPORT.bind(uniqueName("calls-limit"), IpcOptions.defaults()))
        {
            server.serve(IpcCalls.handler(hold, CallOptions.builder().maxActiveCalls(2).build()));
            try (CallClient client = IpcCalls.client(connect(server)))
            {
                final CompletableFuture<byte[]> first = client.request(new byte[] {1}, WAIT);
                final CompletableFuture<byte[]> second = client.request(new byte[] {2}, WAIT);
                final Throwable third = failureOf(client.request(new byte[] {3}, WAIT));
                assertInstanceOf(IpcRemoteException.class, third);
                assertTrue(third.getMessage().contains("maxActiveCalls=2"), third.getMessage());
                held.take().send(new byte[] {1});
                held.take().send(new byte[] {2});
                assertArrayEquals(new byte[] {1}, first.get(30, TimeUnit.SECONDS));
                assertArrayEquals(new byte[] {2}, second.get(30, TimeUnit.SECONDS));
                final CompletableFuture<byte[]> fourth = client.request(new byte[] {4}, WAIT);
                held.take().send(new byte[] {4});
                assertArrayEquals(new byte[] {4}, fourth.get(30, TimeUnit.SECONDS), "served again below the limit");
            }
        }
    }

    @Test
    @Timeout(120)
    void shouldNeverLetAClientThatStopsReadingBlockTheServersDispatcher() throws Exception
    {
        // Each request asks for a 64 KiB reply, sent on the server's dispatcher thread. A client that never reads
        // gets its replies queued, no further requests delivered, and is closed after the server's send timeout
        // (the containment rule); meanwhile another client is served as usual.
        final RequestHandler big = (request, reply) -> reply.send(new byte[request.length == 1 ? 64 * 1024 : 8]);
        final IpcOptions serverOptions = IpcOptions.builder().sendTimeout(Duration.ofSeconds(1)).build();
        try (IpcServer server = TRANSPORT.bind(uniqueName("calls-stalled"), serverOptions))
        {
            server.serve(IpcCalls.handler(big));
            try (CallClient good = IpcCalls.client(connect(server)); IpcChannel stalled = connect(server))
            {
                for (int id = 1; id <= 10; id++)
                {
                    stalled.send(rawFrame(1, 0, 0, id, new byte[1]));
                    assertEquals(8, good.call(new byte[8], WAIT).length, "served while another client stalls");
                }
                assertTrue(eventually(() -> server.stats().openConnections() == 1, 30_000),
                    "the stalled client is closed: " + server.stats());
                assertThrows(IpcPeerClosedException.class, () ->
                {
                    while (true)
                    {
                        stalled.receive(WAIT);
                    }
                });
                assertEquals(8, good.call(new byte[8], WAIT).length);
            }
        }
    }

    // ---------------------------------------------------------------- peer death and close

    @Test
    @Timeout(60)
    void shouldFailEveryPendingCallAtOnceWhenTheServerCloses() throws Exception
    {
        final CountDownLatch arrived = new CountDownLatch(500);
        final IpcServer server = serve("calls-peer", (request, reply) -> arrived.countDown());
        try (CallClient client = IpcCalls.client(connect(server)))
        {
            final List<CompletableFuture<byte[]>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++)
            {
                futures.add(client.request(number(i), WAIT));
            }
            assertTrue(arrived.await(30, TimeUnit.SECONDS));
            server.close();
            for (final CompletableFuture<byte[]> future : futures)
            {
                assertInstanceOf(IpcPeerClosedException.class, failureOf(future));
            }
            assertFalse(client.isOpen());
            assertInstanceOf(IpcClosedException.class, failureOf(client.request(new byte[1], WAIT)));
        }
        finally
        {
            server.close();
        }
    }

    @Test
    @Timeout(60)
    void shouldFailPendingCallsWhenTheClientCloses() throws Exception
    {
        try (IpcServer server = serve("calls-close", (request, reply) -> { }))
        {
            final CallClient client = IpcCalls.client(connect(server));
            final CompletableFuture<byte[]> call = client.request(new byte[1], WAIT);
            client.close();
            final Throwable failure = failureOf(call);
            assertInstanceOf(IpcClosedException.class, failure);
            assertFalse(failure instanceof IpcPeerClosedException);
        }
    }

    // ---------------------------------------------------------------- streams

    @Test
    @Timeout(120)
    void shouldStreamWithASlowConsumerSlowingTheProducer() throws Exception
    {
        final int items = 5_000;
        final int window = 16;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong mostAhead = new AtomicLong();
        final ExecutorService producers = Executors.newCachedThreadPool();
        final RequestHandler producer = (request, reply) ->
        {
            assertTrue(reply.isStreamed());
            producers.execute(() ->
            {
                try
                {
                    for (int i = 0; i < items; i++)
                    {
                        if (!reply.sendItem(Messages.payload(1024, i), WAIT))
                        {
                            return;
                        }
                        sent.incrementAndGet();
                    }
                    reply.end();
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
        };
        try (IpcServer server = serve("calls-stream", producer);
             CallClient client = IpcCalls.client(connect(server), CallOptions.builder().maxCredits(window).build()))
        {
            final CompletableFuture<Long> done = new CompletableFuture<>();
            client.stream(new byte[] {1}, WAIT).subscribe(new Flow.Subscriber<byte[]>()
            {
                private Flow.Subscription subscription;
                private long received;

                @Override
                public void onSubscribe(final Flow.Subscription subscription)
                {
                    this.subscription = subscription;
                    subscription.request(1);
                }

                @Override
                public void onNext(final byte[] item)
                {
                    if (!java.util.Arrays.equals(Messages.payload(1024, (int)received), item))
                    {
                        done.completeExceptionally(new AssertionError("item " + received + " wrong"));
                    }
                    received++;
                    // What the producer got ahead of this consumer: the items in flight and buffered.
                    mostAhead.accumulateAndGet(sent.get() - received, Math::max);
                    // A slow consumer: yield a little before asking for the next one.
                    Thread.yield();
                    subscription.request(1);
                }

                @Override
                public void onError(final Throwable throwable)
                {
                    done.completeExceptionally(throwable);
                }

                @Override
                public void onComplete()
                {
                    done.complete(received);
                }
            });
            assertEquals(items, done.get(100, TimeUnit.SECONDS));
            // One item requested at a time: the producer is never more than one credit (plus the item being
            // counted) ahead, however fast it could go. Memory stays flat: nothing queues without bound.
            assertTrue(mostAhead.get() <= 2, "the producer ran ahead: " + mostAhead.get());
            assertEquals(items, client.stats().items());
        }
        finally
        {
            producers.shutdownNow();
        }
    }

    @Test
    @Timeout(120)
    void shouldKeepAnUnboundedRequestWithinTheCreditWindow() throws Exception
    {
        final int items = 20_000;
        final int window = 64;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong mostAhead = new AtomicLong();
        // Produced on the server's dispatcher thread: trySendItem while credits last, then onCredit for more.
        final RequestHandler producer = (request, reply) ->
        {
            final AtomicInteger next = new AtomicInteger();
            final Runnable pump = () ->
            {
                try
                {
                    while (next.get() < items && reply.trySendItem(number(next.get())))
                    {
                        next.incrementAndGet();
                        sent.incrementAndGet();
                    }
                    if (next.get() == items)
                    {
                        reply.end();
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            };
            reply.onCredit(pump);
        };
        final LinkedBlockingQueue<Object> delivered = new LinkedBlockingQueue<>();
        try (IpcServer server = serve("calls-window", producer);
             CallClient client = IpcCalls.client(connect(server), CallOptions.builder().maxCredits(window).build()))
        {
            final AtomicLong received = new AtomicLong();
            client.stream(new byte[0], WAIT).subscribe(new Collecting(delivered,
                item -> mostAhead.accumulateAndGet(sent.get() - received.incrementAndGet(), Math::max)));
            for (long i = 0; i < items; i++)
            {
                final Object item = delivered.poll(30, TimeUnit.SECONDS);
                assertInstanceOf(byte[].class, item, String.valueOf(item));
                assertEquals(i, number((byte[])item));
            }
            assertEquals("complete", delivered.poll(30, TimeUnit.SECONDS));
            assertTrue(mostAhead.get() <= window, "beyond the window: " + mostAhead.get());
        }
    }

    /**
     * Items larger than the client's ring, produced on the server's dispatcher thread while credits last: the credit
     * window (256 items of 100 KB) is far more than the connection may queue (its maximum message, 4 MiB), so
     * {@code trySendItem} there must also stop while earlier replies wait for room, and the credit listener must run
     * again once they are written. It queued every item until this test: the connection was closed as a client
     * that "does not read its replies" (4 MiB queued) while the client, reading as fast as it could, had one item.
     */
    @Test
    @Timeout(120)
    void shouldStreamItemsLargerThanTheRingFromTheDispatcherWithoutQueueingThemAll() throws Exception
    {
        final int items = 200;
        final int size = 100_000;
        final RequestHandler producer = (request, reply) ->
        {
            final AtomicInteger next = new AtomicInteger();
            reply.onCredit(() ->
            {
                try
                {
                    while (next.get() < items && reply.trySendItem(Messages.payload(size, next.get())))
                    {
                        next.incrementAndGet();
                    }
                    if (next.get() == items)
                    {
                        reply.end();
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
        };
        final LinkedBlockingQueue<Object> delivered = new LinkedBlockingQueue<>();
        try (IpcServer server = serve("calls-large-items", producer);
             CallClient client = IpcCalls.client(connect(server)))
        {
            client.stream(new byte[0], WAIT).subscribe(new Collecting(delivered, item ->
            {
            }));
            for (int i = 0; i < items; i++)
            {
                final Object item = delivered.poll(30, TimeUnit.SECONDS);
                assertInstanceOf(byte[].class, item, "item " + i + ": " + item);
                assertArrayEquals(Messages.payload(size, i), (byte[])item, "item " + i);
            }
            assertEquals("complete", delivered.poll(30, TimeUnit.SECONDS));
            assertEquals(1, server.stats().openConnections(), "the connection stayed open");
        }
    }

    @Test
    @Timeout(60)
    void shouldCancelAStreamThatNeverEnds() throws Exception
    {
        final LinkedBlockingQueue<Reply> streams = new LinkedBlockingQueue<>();
        final RequestHandler endless = (request, reply) ->
        {
            streams.add(reply);
            reply.onCredit(() ->
            {
                try
                {
                    while (reply.trySendItem(new byte[] {7}))
                    {
                        // As long as credits last.
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
        };
        try (IpcServer server = serve("calls-endless", endless); CallClient client = IpcCalls.client(connect(server)))
        {
            final CountDownLatch hundred = new CountDownLatch(100);
            final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
            final AtomicInteger signalsAfterCancel = new AtomicInteger();
            client.stream(new byte[0], WAIT).subscribe(new Flow.Subscriber<byte[]>()
            {
                @Override
                public void onSubscribe(final Flow.Subscription s)
                {
                    subscription.set(s);
                    s.request(10);
                }

                @Override
                public void onNext(final byte[] item)
                {
                    if (hundred.getCount() == 0)
                    {
                        signalsAfterCancel.incrementAndGet();
                    }
                    hundred.countDown();
                    if (hundred.getCount() == 0)
                    {
                        subscription.get().cancel();
                    }
                    else
                    {
                        subscription.get().request(1);
                    }
                }

                @Override
                public void onError(final Throwable throwable)
                {
                    signalsAfterCancel.incrementAndGet();
                }

                @Override
                public void onComplete()
                {
                    signalsAfterCancel.incrementAndGet();
                }
            });
            assertTrue(hundred.await(30, TimeUnit.SECONDS));
            final Reply reply = streams.poll(30, TimeUnit.SECONDS);
            assertTrue(eventually(reply::isCancelled, 10_000), "the server learns of the cancel");
            assertFalse(reply.trySendItem(new byte[1]));
            assertEquals(0, signalsAfterCancel.get());
            // The channel carries on.
            assertTrue(client.isOpen());
        }
    }

    /**
     * A subscriber that throws an {@link Error} (an assertion, say) and an executor that throws something other than
     * a refusal harm only their own call: the dispatcher they ran on goes on serving every other client on it. Before,
     * only a {@code RuntimeException} was caught around user code, so an {@code AssertionError} thrown by {@code
     * onNext} ended the dispatcher's thread, and every call of every client on it waited for ever.
     */
    @Test
    @Timeout(60)
    void shouldKeepTheDispatcherServingWhenUserCodeThrowsAnError() throws Exception
    {
        final RequestHandler handler = (request, reply) ->
        {
            if (reply.isStreamed())
            {
                for (int i = 0; i < 3; i++)
                {
                    reply.trySendItem(new byte[] {(byte)i});
                }
                reply.end();
            }
            else
            {
                reply.send(request);
            }
        };
        try (IpcServer server = serve("calls-error", handler);
             CallDispatcher dispatcher = IpcCalls.dispatcher("calls-error-dispatcher");
             CallClient streaming = IpcCalls.client(connect(server), CallOptions.builder().dispatcher(dispatcher)
                 .build());
             CallClient misexecuted = IpcCalls.client(connect(server), CallOptions.builder().dispatcher(dispatcher)
                 .completionExecutor(command ->
                 {
                     throw new NullPointerException("an executor that fails");
                 }).build());
             CallClient other = IpcCalls.client(connect(server), CallOptions.builder().dispatcher(dispatcher).build()))
        {
            final CountDownLatch thrown = new CountDownLatch(1);
            final AtomicInteger signalsAfterThrow = new AtomicInteger();
            streaming.stream(new byte[0], WAIT).subscribe(new Flow.Subscriber<byte[]>()
            {
                @Override
                public void onSubscribe(final Flow.Subscription subscription)
                {
                    subscription.request(3);
                }

                @Override
                public void onNext(final byte[] item)
                {
                    if (thrown.getCount() == 0)
                    {
                        signalsAfterThrow.incrementAndGet();
                    }
                    thrown.countDown();
                    throw new AssertionError("a subscriber's failed assertion");
                }

                @Override
                public void onError(final Throwable throwable)
                {
                    signalsAfterThrow.incrementAndGet();
                }

                @Override
                public void onComplete()
                {
                    signalsAfterThrow.incrementAndGet();
                }
            });
            assertTrue(thrown.await(30, TimeUnit.SECONDS), "the first item");
            assertArrayEquals(number(1), misexecuted.request(number(1), WAIT).get(10, TimeUnit.SECONDS),
                "completed on the dispatcher when the executor fails");
            for (int i = 0; i < 100; i++)
            {
                assertArrayEquals(number(i), other.request(number(i), WAIT).get(10, TimeUnit.SECONDS),
                    "the dispatcher serves the other clients");
            }
            assertArrayEquals(number(7), streaming.request(number(7), WAIT).get(10, TimeUnit.SECONDS),
                "and the thrower's own client");
            assertEquals(0, signalsAfterThrow.get(), "a subscriber that threw is cancelled (rule 2.13)");
        }
    }

    @Test
    @Timeout(60)
    void shouldFailAStreamThatGoesQuiet() throws Exception
    {
        try (IpcServer server = serve("calls-quiet", (request, reply) -> { });
             CallClient client = IpcCalls.client(connect(server)))
        {
            final CompletableFuture<Void> failed = new CompletableFuture<>();
            client.stream(new byte[0], Duration.ofMillis(50)).subscribe(new Flow.Subscriber<byte[]>()
            {
                @Override
                public void onSubscribe(final Flow.Subscription subscription)
                {
                    subscription.request(5);
                }

                @Override
                public void onNext(final byte[] item)
                {
                    failed.completeExceptionally(new AssertionError("no item was sent"));
                }

                @Override
                public void onError(final Throwable throwable)
                {
                    failed.completeExceptionally(throwable);
                }

                @Override
                public void onComplete()
                {
                    failed.complete(null);
                }
            });
            assertInstanceOf(IpcTimeoutException.class, failureOf(failed));
        }
    }

    // ---------------------------------------------------------------- hostile frames

    /** A call frame written by hand, as a hostile or buggy peer would. */
    static byte[] rawFrame(final int kind, final int flags, final int credits, final long id, final byte[] payload)
    {
        final ByteBuffer frame = ByteBuffer.allocate(16 + payload.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        frame.put((byte)0xCA).put((byte)1).put((byte)kind).put((byte)flags).putInt(credits).putLong(id).put(payload);
        return frame.array();
    }

    @Test
    @Timeout(60)
    void shouldCloseOnlyTheConnectionThatSendsAHostileFrame() throws Exception
    {
        final byte[][] hostile = {
            "plain message on a call channel".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte)0xCA, 1, 1},
            rawFrame(1, 0, 0, 0, new byte[0]),
            rawFrame(2, 0, 0, 1, new byte[0]),
            rawFrame(9, 0, 0, 1, new byte[0]),
            rawFrame(7, 0, -1, 1, new byte[0]),
        };
        final LinkedBlockingQueue<Reply> held = new LinkedBlockingQueue<>();
        try (IpcServer server = serve("calls-hostile", (request, reply) ->
        {
            if (request.length == 0)
            {
                held.add(reply);
            }
            else
            {
                reply.send(request);
            }
        });
             CallClient good = IpcCalls.client(connect(server)))
        {
            for (final byte[] frame : hostile)
            {
                try (IpcChannel bad = connect(server))
                {
                    bad.send(frame);
                    assertThrows(IpcPeerClosedException.class, () -> bad.receive(WAIT),
                        "the server closes a connection that sent " + frame.length + " hostile bytes");
                }
                assertArrayEquals(new byte[] {5}, good.call(new byte[] {5}, WAIT), "other connections carry on");
            }
            // Unknown ids and huge credits are harmless: credits saturate, and the connection stays open.
            try (IpcChannel bad = connect(server))
            {
                bad.send(rawFrame(7, 0, 1 << 20, 12345, new byte[0]));
                bad.send(rawFrame(6, 0, 0, 777, new byte[0]));
                bad.send(rawFrame(1, 1, 1 << 20, 3, new byte[0]));
                final Reply stream = held.poll(30, TimeUnit.SECONDS);
                assertNotNull(stream);
                for (int i = 0; i < 100; i++)
                {
                    bad.send(rawFrame(7, 0, 1 << 20, 3, new byte[0]));
                }
                assertTrue(eventually(() -> stream.credits() == 101L << 20, 10_000), "credits=" + stream.credits());
                assertTrue(stream.trySendItem(new byte[] {1}));
                final byte[] item = bad.receive(WAIT);
                assertEquals(3, item[2], "the ITEM arrives: the connection is open");
            }
            // A REQUEST reusing the id of an active call is a violation.
            try (IpcChannel bad = connect(server))
            {
                bad.send(rawFrame(1, 0, 0, 2, new byte[0]));
                assertNotNull(held.poll(30, TimeUnit.SECONDS));
                bad.send(rawFrame(1, 0, 0, 2, new byte[0]));
                assertThrows(IpcPeerClosedException.class, () -> bad.receive(WAIT), "a reused active id");
            }
            assertArrayEquals(new byte[] {6}, good.call(new byte[] {6}, WAIT));
        }
    }

    @Test
    @Timeout(60)
    void shouldFailEveryPendingCallWhenTheServerAnswersACallNeverMade() throws Exception
    {
        try (IpcServer server = TRANSPORT.bind(uniqueName("calls-bad-server"), IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel accepted = pair[1]; CallClient client = IpcCalls.client(pair[0]))
            {
                final CompletableFuture<byte[]> first = client.request(new byte[] {1}, WAIT);
                final CompletableFuture<byte[]> second = client.request(new byte[] {2}, WAIT);
                accepted.receive(WAIT);
                accepted.receive(WAIT);
                accepted.send(rawFrame(2, 0, 0, 1_000_000, new byte[0]));
                final Throwable failure = failureOf(first);
                assertInstanceOf(IpcProtocolException.class, failure);
                assertTrue(failure.getMessage().contains("id=1000000"), failure.getMessage());
                assertInstanceOf(IpcProtocolException.class, failureOf(second));
                assertFalse(client.isOpen());
                assertThrows(IpcPeerClosedException.class, () -> accepted.receive(WAIT));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 15})
    @Timeout(60)
    void shouldFailEveryPendingCallOnATruncatedHeader(final int length) throws Exception
    {
        try (IpcServer server = TRANSPORT.bind(uniqueName("calls-truncated"), IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel accepted = pair[1]; CallClient client = IpcCalls.client(pair[0]))
            {
                final CompletableFuture<byte[]> call = client.request(new byte[] {1}, WAIT);
                accepted.receive(WAIT);
                accepted.send(java.util.Arrays.copyOf(rawFrame(2, 0, 0, 1, new byte[0]), length));
                final Throwable failure = failureOf(call);
                assertInstanceOf(IpcProtocolException.class, failure);
                assertTrue(failure.getMessage().contains("truncated: length=" + length), failure.getMessage());
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldFailOnlyTheStreamThatGetsAnItemBeyondItsCredits() throws Exception
    {
        try (IpcServer server = TRANSPORT.bind(uniqueName("calls-credits"), IpcOptions.defaults()))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, IpcOptions.defaults());
            try (IpcChannel accepted = pair[1]; CallClient client = IpcCalls.client(pair[0]))
            {
                final CompletableFuture<Throwable> streamFailure = new CompletableFuture<>();
                final AtomicInteger received = new AtomicInteger();
                client.stream(new byte[0], WAIT).subscribe(new Flow.Subscriber<byte[]>()
                {
                    @Override
                    public void onSubscribe(final Flow.Subscription subscription)
                    {
                        subscription.request(2);
                    }

                    @Override
                    public void onNext(final byte[] item)
                    {
                        received.incrementAndGet();
                    }

                    @Override
                    public void onError(final Throwable throwable)
                    {
                        streamFailure.complete(throwable);
                    }

                    @Override
                    public void onComplete()
                    {
                        streamFailure.complete(null);
                    }
                });
                final ByteBuffer request = ByteBuffer.wrap(accepted.receive(WAIT))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                assertEquals(1, request.get(2), "REQUEST");
                assertEquals(1, request.get(3), "streamed");
                assertEquals(2, request.getInt(4), "the first credits");
                final long id = request.getLong(8);
                final CompletableFuture<byte[]> plain = client.request(new byte[] {1}, WAIT);
                final long plainId = ByteBuffer.wrap(accepted.receive(WAIT)).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getLong(8);
                for (int i = 0; i < 3; i++)
                {
                    accepted.send(rawFrame(3, 0, 0, id, new byte[] {(byte)i}));
                }
                final Throwable failure = streamFailure.get(30, TimeUnit.SECONDS);
                assertInstanceOf(IpcProtocolException.class, failure);
                assertTrue(failure.getMessage().contains("beyond the credits"), failure.getMessage());
                assertEquals(2, received.get());
                assertEquals(6, accepted.receive(WAIT)[2], "the server is told to stop");
                // The other call, and the channel, carry on.
                accepted.send(rawFrame(2, 0, 0, plainId, new byte[] {8}));
                assertArrayEquals(new byte[] {8}, plain.get(30, TimeUnit.SECONDS));
                assertTrue(client.isOpen());
            }
        }
    }

    /**
     * Requests everything and puts each signal in a queue: the items, then {@code "complete"} or the failure. Sees
     * each item first.
     */
    private static final class Collecting implements Flow.Subscriber<byte[]>
    {
        private final Queue<Object> delivered;
        private final Consumer<byte[]> seen;

        Collecting(final Queue<Object> delivered, final Consumer<byte[]> seen)
        {
            this.delivered = delivered;
            this.seen = seen;
        }

        @Override
        public void onSubscribe(final Flow.Subscription subscription)
        {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(final byte[] item)
        {
            seen.accept(item);
            delivered.add(item);
        }

        @Override
        public void onError(final Throwable throwable)
        {
            delivered.add(throwable);
        }

        @Override
        public void onComplete()
        {
            delivered.add("complete");
        }
    }
}
