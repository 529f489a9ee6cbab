package ipc.shared.call;

import static ipc.shared.call.Frames.credits;
import static ipc.shared.call.Frames.flags;
import static ipc.shared.call.Frames.frame;
import static ipc.shared.call.Frames.id;
import static ipc.shared.call.Frames.kind;
import static ipc.shared.codec.CallFrameDescriptor.FLAG_STREAM;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CANCEL;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CREDIT;
import static ipc.shared.codec.CallFrameDescriptor.KIND_END;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ERROR;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ITEM;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REPLY;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REQUEST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;
import ipc.api.call.CallOptions;
import ipc.api.call.IpcRemoteException;
import ipc.shared.codec.CallFrameCodec;

/**
 * The client's state machine, driven by hand in caller-driven mode over an in-memory channel: exactly which frames go
 * out (credits in batches, owed frames sent once the ring has room), timers of completed calls, late and unknown ids.
 */
class ChannelCallClientTest
{
    private static final Duration LONG = Duration.ofHours(1);

    private final MemoryChannel[] pair = MemoryChannel.pair();
    private final MemoryChannel server = pair[1];

    private ChannelCallClient client(final int maxCredits)
    {
        return new ChannelCallClient(pair[0], CallOptions.builder().callerDriven().maxCredits(maxCredits).build(),
            null);
    }

    /** A subscriber that records what it gets and requests as told (nothing for 0). */
    private static final class Recorder implements Flow.Subscriber<byte[]>
    {
        final List<byte[]> items = new ArrayList<>();
        final long initial;
        Flow.Subscription subscription;
        Throwable error;
        boolean complete;

        Recorder(final long initial)
        {
            this.initial = initial;
        }

        @Override
        public void onSubscribe(final Flow.Subscription subscription)
        {
            this.subscription = subscription;
            if (initial > 0)
            {
                subscription.request(initial);
            }
        }

        @Override
        public void onNext(final byte[] item)
        {
            items.add(item);
        }

        @Override
        public void onError(final Throwable throwable)
        {
            error = throwable;
        }

        @Override
        public void onComplete()
        {
            complete = true;
        }
    }

    @Test
    void shouldGrantCreditsUpToTheWindowInHalfWindowBatches() throws Exception
    {
        final ChannelCallClient client = client(8);
        final Recorder recorder = new Recorder(Long.MAX_VALUE);
        client.stream(new byte[] {1}, LONG).subscribe(recorder);
        final byte[] request = server.next();
        assertEquals(KIND_REQUEST, kind(request));
        assertEquals(FLAG_STREAM, flags(request));
        assertEquals(8, credits(request), "the whole window at once");
        final long id = id(request);
        for (int i = 0; i < 3; i++)
        {
            server.send(frame(KIND_ITEM, id, new byte[] {(byte)i}));
        }
        assertEquals(3, client.poll(Duration.ZERO));
        assertTrue(server.nothingPending(), "3 of 8 used: less than half a window to grant, so no CREDIT yet");
        server.send(frame(KIND_ITEM, id, new byte[] {3}));
        client.poll(Duration.ZERO);
        final byte[] credit = server.next();
        assertEquals(KIND_CREDIT, kind(credit));
        assertEquals(id, id(credit));
        assertEquals(4, credits(credit), "back to the window");
        assertEquals(4, recorder.items.size());
        server.send(frame(KIND_END, id, null));
        client.poll(Duration.ZERO);
        assertTrue(recorder.complete);
        assertEquals(0, client.stats().pending());
    }

    @Test
    void shouldNeverGrantMoreThanTheSubscriberAskedFor() throws Exception
    {
        final ChannelCallClient client = client(64);
        final Recorder recorder = new Recorder(2);
        client.stream(new byte[0], LONG).subscribe(recorder);
        final byte[] request = server.next();
        assertEquals(2, credits(request));
        final long id = id(request);
        server.send(frame(KIND_ITEM, id, new byte[] {0}));
        server.send(frame(KIND_ITEM, id, new byte[] {1}));
        client.poll(Duration.ZERO);
        assertTrue(server.nothingPending(), "demand is spent: nothing more to grant");
        recorder.subscription.request(1);
        assertEquals(1, credits(server.next()));
    }

    @Test
    void shouldKeepACreditOwedWhileTheRingIsFullAndSendItOnTheNextPoll() throws Exception
    {
        final ChannelCallClient client = client(8);
        final Recorder recorder = new Recorder(1);
        client.stream(new byte[0], LONG).subscribe(recorder);
        final long id = id(server.next());
        server.send(frame(KIND_ITEM, id, new byte[] {0}));
        client.poll(Duration.ZERO);
        assertEquals(1, recorder.items.size());
        pair[0].full = true;
        recorder.subscription.request(1);
        assertTrue(server.nothingPending(), "the ring is full: the CREDIT is owed");
        client.poll(Duration.ZERO);
        assertTrue(server.nothingPending(), "still full");
        pair[0].full = false;
        client.poll(Duration.ZERO);
        final byte[] credit = server.next();
        assertEquals(KIND_CREDIT, kind(credit));
        assertEquals(1, credits(credit));
    }

    @Test
    void shouldKeepACancelOwedWhileTheRingIsFull() throws Exception
    {
        final ChannelCallClient client = client(8);
        final CompletableFuture<byte[]> call = client.request(new byte[] {1}, LONG);
        final long id = id(server.next());
        pair[0].full = true;
        assertTrue(call.cancel(true));
        assertTrue(server.nothingPending());
        pair[0].full = false;
        client.poll(Duration.ZERO);
        final byte[] cancel = server.next();
        assertEquals(KIND_CANCEL, kind(cancel));
        assertEquals(id, id(cancel));
        assertEquals(1, client.stats().cancels());
    }

    /**
     * A subscriber that requests (or cancels) from another thread while the stream's REQUEST is still being written:
     * the CREDIT (or CANCEL) must follow the REQUEST, since the server drops frames for an id it does not know yet.
     * A dropped first CREDIT left both sides waiting until the idle timeout (found by random streams with demand from
     * a scheduler: 4 streams of 1800); both frames went out first until this test.
     */
    @Test
    void shouldSendNoCreditBeforeTheStreamsRequest() throws Exception
    {
        final List<byte[]> frames = framesAroundAStreamRequest(subscription -> subscription.request(5));
        assertEquals(KIND_REQUEST, kind(frames.get(0)), "the REQUEST first");
        assertEquals(0, credits(frames.get(0)), "nothing was requested when it was framed");
        assertEquals(KIND_CREDIT, kind(frames.get(1)));
        assertEquals(5, credits(frames.get(1)));
        assertEquals(id(frames.get(0)), id(frames.get(1)));
    }

    @Test
    void shouldSendNoCancelBeforeTheStreamsRequest() throws Exception
    {
        final List<byte[]> frames = framesAroundAStreamRequest(Flow.Subscription::cancel);
        assertEquals(KIND_REQUEST, kind(frames.get(0)), "the REQUEST first");
        assertEquals(KIND_CANCEL, kind(frames.get(1)));
        assertEquals(id(frames.get(0)), id(frames.get(1)));
    }

    /**
     * Subscribes on a thread of its own with no demand, runs {@code meanwhile} on this thread while that thread is
     * inside the REQUEST's send, then returns the first two frames the server sees.
     */
    private List<byte[]> framesAroundAStreamRequest(final Consumer<Flow.Subscription> meanwhile) throws Exception
    {
        final ChannelCallClient client = client(16);
        final Recorder recorder = new Recorder(0);
        final CountDownLatch sending = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        pair[0].beforeTimedSend = () ->
        {
            sending.countDown();
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        };
        final Thread subscriber = new Thread(() -> client.stream(new byte[] {1}, LONG).subscribe(recorder));
        subscriber.start();
        assertTrue(sending.await(10, TimeUnit.SECONDS), "the REQUEST's send began");
        meanwhile.accept(recorder.subscription);
        release.countDown();
        subscriber.join(10_000);
        assertFalse(subscriber.isAlive());
        return List.of(server.next(), server.next());
    }

    @Test
    void shouldFrameRequestsOfEverySizeWhateverTheOneBefore() throws Exception
    {
        // The calling thread's frame buffer grows, is left for larger frames, and is reused for smaller ones.
        final ChannelCallClient client = client(8);
        for (final int size : new int[] {0, 3, 300, 4000, 4081, 70_000, 5, 2000, 0})
        {
            final byte[] request = new byte[size];
            Arrays.fill(request, (byte)size);
            final CompletableFuture<byte[]> call = client.request(request, LONG);
            final byte[] frame = server.next();
            assertEquals(KIND_REQUEST, kind(frame));
            assertArrayEquals(request, Frames.payload(frame), "size=" + size);
            server.send(frame(KIND_REPLY, id(frame), new byte[] {(byte)size}));
            client.poll(Duration.ZERO);
            assertArrayEquals(new byte[] {(byte)size}, call.getNow(null), "size=" + size);
        }
    }

    @Test
    void shouldNotPileUpTimersOfCompletedCalls() throws Exception
    {
        final ChannelCallClient client = client(8);
        for (int i = 0; i < 5_000; i++)
        {
            final CompletableFuture<byte[]> call = client.request(new byte[] {(byte)i}, LONG);
            final byte[] request = server.next();
            server.send(frame(KIND_REPLY, id(request), Frames.payload(request)));
            client.poll(Duration.ZERO);
            assertArrayEquals(new byte[] {(byte)i}, call.getNow(null));
        }
        assertTrue(client.timerCount() <= 1025, "timers of completed calls kept: " + client.timerCount());
    }

    @Test
    void shouldTimeOutACallerDrivenCallInItsOwnLoopTellTheServerAndDropTheLateReply() throws Exception
    {
        final ChannelCallClient client = client(8);
        final long start = System.nanoTime();
        final IpcTimeoutException timedOut = assertThrows(IpcTimeoutException.class,
            () -> client.call(new byte[] {1}, Duration.ofMillis(20)));
        // Never early: the caller's deadline starts late, if anything (a lower bound, which no slow machine breaks).
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(20).toNanos(), "timed out early");
        assertTrue(timedOut.getMessage().contains("timed out: id=2 timeoutMillis=20"), timedOut.getMessage());
        final byte[] request = server.next();
        assertEquals(KIND_REQUEST, kind(request));
        final byte[] cancel = server.next();
        assertEquals(KIND_CANCEL, kind(cancel), "the server is told");
        assertEquals(id(request), id(cancel));
        assertEquals(1, client.stats().timeouts());
        assertEquals(0, client.stats().cancels());
        assertEquals(0, client.stats().pending());
        assertEquals(0, client.timerCount(), "a caller-driven call keeps its deadline in the caller's loop");
        server.send(frame(KIND_REPLY, id(request), new byte[] {9}));
        client.poll(Duration.ZERO);
        assertEquals(1, client.stats().lateReplies());
        assertTrue(client.isOpen());
    }

    @Test
    void shouldGiveUpAnInterruptedCallerDrivenCallAndKeepTheInterrupt() throws Exception
    {
        final ChannelCallClient client = client(8);
        Thread.currentThread().interrupt();
        try
        {
            final IpcTimeoutException interrupted = assertThrows(IpcTimeoutException.class,
                () -> client.call(new byte[] {1}, LONG));
            assertTrue(interrupted.getMessage().contains("interrupted"), interrupted.getMessage());
            assertTrue(Thread.currentThread().isInterrupted());
        }
        finally
        {
            Thread.interrupted();
        }
        assertEquals(KIND_REQUEST, kind(server.next()));
        assertEquals(KIND_CANCEL, kind(server.next()));
        assertEquals(1, client.stats().cancels());
        assertEquals(0, client.stats().pending());
    }

    @Test
    void shouldCompleteACallerDrivenCallThatAnotherThreadReads() throws Exception
    {
        final ChannelCallClient client = client(8);
        // Threads of their own: the common pool may have a single thread on a 2-CPU machine (JDK 25 uses it there).
        final ExecutorService threads = Executors.newFixedThreadPool(2);
        try
        {
            final Future<Integer> poller = threads.submit(() -> client.poll(Duration.ofSeconds(30)));
            while (!pair[0].isPolling())
            {
                Thread.onSpinWait();
            }
            // The poller holds the client's read side: the caller must wait for it, not read the channel itself.
            final Future<byte[]> caller = threads.submit(() -> client.call(new byte[] {5}, LONG));
            final byte[] request = server.next();
            server.send(frame(KIND_REPLY, id(request), new byte[] {5, 5}));
            assertEquals(1, poller.get(30, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {5, 5}, caller.get(30, TimeUnit.SECONDS));
            assertEquals(0, client.stats().pending());
            assertEquals(1, client.stats().replies());
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldCopyTheReplyStraightIntoTheCallersBufferAndMoveBothPositionsOnlyOnSuccess() throws Exception
    {
        final ChannelCallClient client = client(8);
        final ExecutorService caller = Executors.newSingleThreadExecutor();
        try
        {
            final ByteBuffer request = ByteBuffer.allocateDirect(8).put(new byte[] {0, 4, 5, 6}).flip().position(1);
            final ByteBuffer reply = ByteBuffer.allocate(8).position(2);
            final Future<Integer> length = caller.submit(() -> client.call(request, reply, LONG));
            final byte[] sent = server.next();
            assertArrayEquals(new byte[] {4, 5, 6}, Frames.payload(sent), "the request's remaining bytes");
            assertEquals(0, id(sent) & 1, "an owned call's id is even");
            server.send(frame(KIND_REPLY, id(sent), new byte[] {7, 8}));
            assertEquals(2, length.get(30, TimeUnit.SECONDS));
            assertEquals(4, request.position());
            assertEquals(4, reply.position());
            assertArrayEquals(new byte[] {0, 0, 7, 8, 0, 0, 0, 0}, reply.array());

            // A reply larger than the room left fails that call alone, and touches neither buffer.
            request.position(1);
            final ByteBuffer small = ByteBuffer.allocate(1);
            final Future<Integer> tooSmall = caller.submit(() -> client.call(request, small, LONG));
            final byte[] second = server.next();
            server.send(frame(KIND_REPLY, id(second), new byte[] {1, 2}));
            final ExecutionException failed = assertThrows(ExecutionException.class,
                () -> tooSmall.get(30, TimeUnit.SECONDS));
            assertInstanceOf(IpcMessageTooLargeException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("length=2 remaining=1"), failed.getCause().getMessage());
            assertEquals(1, request.position());
            assertEquals(0, small.position());
            assertEquals(0, small.get(0));

            // A server's error: the caller's buffer stays as it was.
            final Future<Integer> remote = caller.submit(() -> client.call(request, small, LONG));
            final byte[] third = server.next();
            server.send(frame(KIND_ERROR, id(third), CallFrameCodec.errorText("no")));
            assertInstanceOf(IpcRemoteException.class,
                assertThrows(ExecutionException.class, () -> remote.get(30, TimeUnit.SECONDS)).getCause());
            assertEquals(0, small.position());
            assertEquals(3, client.stats().requests());
            assertEquals(3, client.stats().replies());
            assertEquals(0, client.stats().pending());
            assertTrue(client.isOpen());
        }
        finally
        {
            caller.shutdownNow();
        }
        assertThrows(IllegalArgumentException.class,
            () -> client.call(ByteBuffer.allocate(1), ByteBuffer.allocate(1).asReadOnlyBuffer(), LONG));
    }

    @Test
    void shouldGiveEachOwnedCallItsOwnOutcomeWhenItsObjectIsReusedOrReplaced() throws Exception
    {
        // A sequential caller's owned calls share one object (no allocation per call); a call from another thread
        // replaces it. Neither a timed-out call's late reply nor a previous call's outcome may reach a later call.
        final ChannelCallClient client = client(8);
        final ExecutorService first = Executors.newSingleThreadExecutor();
        final ExecutorService second = Executors.newSingleThreadExecutor();
        try
        {
            final Future<byte[]> lost = first.submit(() -> client.call(new byte[] {1}, Duration.ofMillis(5)));
            final long lostId = id(server.next());
            assertInstanceOf(IpcTimeoutException.class,
                assertThrows(ExecutionException.class, () -> lost.get(30, TimeUnit.SECONDS)).getCause());
            assertEquals(KIND_CANCEL, kind(server.next()));

            final ByteBuffer reply = ByteBuffer.allocate(4);
            final Future<Integer> reused = first.submit(() -> client.call(ByteBuffer.wrap(new byte[] {2}), reply, LONG));
            final long reusedId = id(server.next());
            server.send(frame(KIND_REPLY, lostId, new byte[] {9, 9, 9}));
            server.send(frame(KIND_REPLY, reusedId, new byte[] {2, 2}));
            assertEquals(2, reused.get(30, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {2, 2, 0, 0}, reply.array(), "the late reply went nowhere");
            assertEquals(1, client.stats().lateReplies());

            final Future<byte[]> other = second.submit(() -> client.call(new byte[] {3}, LONG));
            server.send(frame(KIND_REPLY, id(server.next()), new byte[] {3, 3, 3}));
            assertArrayEquals(new byte[] {3, 3, 3}, other.get(30, TimeUnit.SECONDS));

            final Future<byte[]> back = first.submit(() -> client.call(new byte[] {4}, LONG));
            server.send(frame(KIND_ERROR, id(server.next()), CallFrameCodec.errorText("four")));
            assertInstanceOf(IpcRemoteException.class,
                assertThrows(ExecutionException.class, () -> back.get(30, TimeUnit.SECONDS)).getCause());
            final Future<byte[]> after = first.submit(() -> client.call(new byte[] {5}, LONG));
            server.send(frame(KIND_REPLY, id(server.next()), new byte[] {5}));
            assertArrayEquals(new byte[] {5}, after.get(30, TimeUnit.SECONDS), "no failure carried over");
            assertArrayEquals(new byte[] {2, 2, 0, 0}, reply.array(), "an earlier call's buffer is not written again");
            assertEquals(0, client.stats().pending());
            assertTrue(client.isOpen());
        }
        finally
        {
            first.shutdownNow();
            second.shutdownNow();
        }
    }

    @Test
    void shouldTreatAnEvenIdNeverIssuedAsAViolationAndAnOwnedCallsLateReplyAsLate() throws Exception
    {
        final ChannelCallClient client = client(8);
        assertThrows(IpcTimeoutException.class, () -> client.call(new byte[] {1}, Duration.ofMillis(1)));
        final long ownedId = id(server.next());
        assertEquals(KIND_CANCEL, kind(server.next()));
        server.send(frame(KIND_REPLY, ownedId, new byte[] {9}));
        client.poll(Duration.ZERO);
        assertEquals(1, client.stats().lateReplies());
        server.send(frame(KIND_REPLY, ownedId + 2, new byte[0]));
        final IpcProtocolException violation = assertThrows(IpcProtocolException.class,
            () -> client.poll(Duration.ZERO));
        assertTrue(violation.getMessage().contains("lastOwnedId=" + ownedId), violation.getMessage());
        // A closed client fails a new call with the cause it closed with, before sending anything.
        final IpcProtocolException again = assertThrows(IpcProtocolException.class,
            () -> client.call(new byte[] {2}, LONG));
        assertEquals(violation.getMessage(), again.getMessage());
    }

    @Test
    void shouldDropAndCountALateReplyButTreatAnIdNeverIssuedAsAViolation() throws Exception
    {
        final ChannelCallClient client = client(8);
        final CompletableFuture<byte[]> quick = client.request(new byte[] {1}, Duration.ofNanos(1));
        final long quickId = id(server.next());
        client.poll(Duration.ZERO);
        final ExecutionException timedOut = assertThrows(ExecutionException.class, quick::get);
        assertInstanceOf(IpcTimeoutException.class, timedOut.getCause());
        assertEquals(KIND_CANCEL, kind(server.next()), "the server is told");
        final CompletableFuture<byte[]> waiting = client.request(new byte[] {2}, LONG);
        server.next();
        server.send(frame(KIND_REPLY, quickId, new byte[] {9}));
        client.poll(Duration.ZERO);
        assertEquals(1, client.stats().lateReplies());
        assertFalse(waiting.isDone());
        server.send(frame(KIND_REPLY, 99, new byte[0]));
        final IpcProtocolException violation = assertThrows(IpcProtocolException.class,
            () -> client.poll(Duration.ZERO));
        assertTrue(violation.getMessage().contains("id=99 lastId=3"), violation.getMessage());
        assertInstanceOf(IpcProtocolException.class, assertThrows(ExecutionException.class, waiting::get).getCause());
        assertFalse(client.isOpen());
    }

    @Test
    void shouldFailAStreamFrameOnAPlainCallAndOnlyThatCall() throws Exception
    {
        final ChannelCallClient client = client(8);
        final CompletableFuture<byte[]> plain = client.request(new byte[] {1}, LONG);
        final CompletableFuture<byte[]> other = client.request(new byte[] {2}, LONG);
        final long plainId = id(server.next());
        final long otherId = id(server.next());
        server.send(frame(KIND_ITEM, plainId, new byte[] {1}));
        server.send(frame(KIND_REPLY, otherId, new byte[] {2}));
        client.poll(Duration.ZERO);
        final Throwable failure = assertThrows(ExecutionException.class, plain::get).getCause();
        assertInstanceOf(IpcProtocolException.class, failure);
        assertTrue(failure.getMessage().contains("ITEM on a plain call"), failure.getMessage());
        assertArrayEquals(new byte[] {2}, other.getNow(null));
        assertEquals(KIND_CANCEL, kind(server.next()));
        assertTrue(client.isOpen());
    }

    @Test
    void shouldFailEveryPendingCallAndStreamAtOnceWhenThePeerCloses() throws Exception
    {
        final ChannelCallClient client = client(8);
        final List<CompletableFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++)
        {
            calls.add(client.request(new byte[] {(byte)i}, LONG));
        }
        final Recorder recorder = new Recorder(1);
        client.stream(new byte[0], LONG).subscribe(recorder);
        server.close();
        assertThrows(IpcPeerClosedException.class, () -> client.poll(Duration.ZERO));
        for (final CompletableFuture<byte[]> call : calls)
        {
            assertInstanceOf(IpcPeerClosedException.class, assertThrows(ExecutionException.class, call::get)
                .getCause());
        }
        assertInstanceOf(IpcPeerClosedException.class, recorder.error);
        assertEquals(0, client.stats().pending());
    }

    @Test
    void shouldRejectAPollWhenADispatcherDrivesTheClient()
    {
        final ClientDispatcher dispatcher = new ClientDispatcher("test-dispatcher", true);
        try
        {
            final ChannelCallClient client = new ChannelCallClient(pair[0], CallOptions.defaults(), dispatcher);
            assertEquals(1, dispatcher.clientCount());
            assertThrows(IllegalStateException.class, () -> client.poll(Duration.ZERO));
            client.close();
            assertEquals(0, dispatcher.clientCount());
        }
        finally
        {
            dispatcher.close();
        }
    }

    @Test
    void shouldCloseTheChannelOfAClientRefusedByAClosedDispatcher()
    {
        final ClientDispatcher dispatcher = new ClientDispatcher("test-dispatcher", true);
        dispatcher.close();
        assertThrows(IllegalStateException.class,
            () -> new ChannelCallClient(pair[0], CallOptions.defaults(), dispatcher));
        assertFalse(pair[0].isOpen(), "the channel was the client's: it is not left open");
    }

    @Test
    void shouldCloseEveryClientAddedWhileTheDispatcherCloses() throws Exception
    {
        // A client is either refused or closed by the close, never left on a dispatcher whose thread has ended (its
        // calls would wait for ever). The window was a few instructions wide; this checks the contract many times.
        for (int round = 0; round < 200; round++)
        {
            final MemoryChannel[] channels = MemoryChannel.pair();
            final ClientDispatcher dispatcher = new ClientDispatcher("test-dispatcher-" + round, true);
            final AtomicReference<ChannelCallClient> made = new AtomicReference<>();
            final Thread maker = new Thread(() ->
            {
                try
                {
                    made.set(new ChannelCallClient(channels[0], CallOptions.defaults(), dispatcher));
                }
                catch (final IllegalStateException ex)
                {
                    // Refused: the dispatcher closed first.
                }
            });
            maker.start();
            dispatcher.close();
            maker.join();
            final ChannelCallClient client = made.get();
            if (null == client)
            {
                assertFalse(channels[0].isOpen(), "round " + round + ": a refused client's channel is closed");
            }
            else
            {
                assertFalse(client.isOpen(), "round " + round + ": a client the dispatcher took is closed by its close");
            }
            channels[1].close();
        }
    }

    @Test
    @Timeout(30)
    void shouldRefuseAPollOrACallFromACompletionOnTheReadingThread() throws Exception
    {
        final ChannelCallClient client = client(8);
        final AtomicReference<Throwable> nestedPoll = new AtomicReference<>();
        final AtomicReference<Throwable> nestedCall = new AtomicReference<>();
        client.request(new byte[] {1}, LONG).whenComplete((reply, failure) ->
        {
            // Runs inside the poll below, on this thread, which holds the client's reading: before, the nested poll
            // waited for that reading for ever and the nested call stalled the outer poll until its own timeout.
            nestedPoll.set(assertThrows(IllegalStateException.class, () -> client.poll(Duration.ZERO)));
            nestedCall.set(assertThrows(IllegalStateException.class, () -> client.call(new byte[] {2}, LONG)));
        });
        final byte[] request = server.next();
        server.send(frame(KIND_REPLY, id(request), new byte[] {1}));
        assertEquals(1, client.poll(Duration.ofSeconds(5)));
        assertNotNull(nestedPoll.get());
        assertNotNull(nestedCall.get());
        assertTrue(server.nothingPending(), "the refused call sent nothing");
    }

    @Test
    void shouldRefuseABlockingCallOnTheDispatchersThread() throws Exception
    {
        final ClientDispatcher dispatcher = new ClientDispatcher("test-dispatcher", true);
        try
        {
            final ChannelCallClient client = new ChannelCallClient(pair[0], CallOptions.defaults(), dispatcher);
            final CompletableFuture<Throwable> nested = new CompletableFuture<>();
            client.request(new byte[] {1}, LONG).whenComplete((reply, failure) ->
            {
                // Before, this call waited for a reply only this very thread could read: for ever.
                try
                {
                    client.call(new byte[] {2}, Duration.ofMillis(100));
                    nested.complete(null);
                }
                catch (final Throwable ex)
                {
                    nested.complete(ex);
                }
            });
            final byte[] request = server.next();
            server.send(frame(KIND_REPLY, id(request), new byte[] {1}));
            assertInstanceOf(IllegalStateException.class, nested.get(10, TimeUnit.SECONDS));
            client.close();
        }
        finally
        {
            dispatcher.close();
        }
    }
}
