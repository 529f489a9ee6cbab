package ipc.shared.call;

import static ipc.shared.call.Frames.buffer;
import static ipc.shared.call.Frames.frame;
import static ipc.shared.call.Frames.id;
import static ipc.shared.call.Frames.kind;
import static ipc.shared.codec.CallFrameDescriptor.FLAG_STREAM;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CANCEL;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CREDIT;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ERROR;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ITEM;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REPLY;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REQUEST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.api.call.Reply;
import ipc.api.call.RequestHandler;
import ipc.api.call.RequestViewHandler;
import ipc.shared.codec.CallFrameCodec;

/**
 * The server side of one connection, fed frames by hand on the test thread (its reading thread): limits, violations,
 * credits, and what cancellation and a closing connection do to a reply handle.
 */
class ServerCallsTest
{
    private final MemoryChannel[] pair = MemoryChannel.pair();
    private final MemoryChannel client = pair[0];
    private final List<Reply> held = new ArrayList<>();
    private final RequestHandler hold = (request, reply) -> held.add(reply);

    private static byte[] streamRequest(final long id, final int credits)
    {
        return CallFrameCodec.frame(KIND_REQUEST, FLAG_STREAM, credits, id, new byte[0]);
    }

    @Test
    void shouldAnswerARequestBeyondTheLimitWithAnErrorAndKeepNothingForIt() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 1);
        calls.onFrame(buffer(frame(KIND_REQUEST, 1, new byte[] {1})));
        calls.onFrame(buffer(frame(KIND_REQUEST, 2, new byte[] {2})));
        final byte[] error = client.next();
        assertEquals(KIND_ERROR, kind(error));
        assertEquals(2, id(error));
        assertTrue(new String(Frames.payload(error), StandardCharsets.UTF_8).contains("maxActiveCalls=1"));
        assertEquals(1, calls.activeCalls());
        assertTrue(held.get(0).send(new byte[] {7}));
        assertEquals(0, calls.activeCalls());
        assertArrayEquals(new byte[] {7}, Frames.payload(client.next()));
    }

    @Test
    void shouldKeepNoEntryForCallsAnsweredInsideOrRightAfterTheirHandler() throws Exception
    {
        final ExecutorService answerer = Executors.newSingleThreadExecutor();
        try
        {
            // Odd ids are answered by the handler itself, even ones by another thread racing the handler's return.
            final ServerCalls calls = new ServerCalls(pair[1], (request, reply) ->
            {
                if ((request[0] & 1) == 1)
                {
                    reply.send(request);
                }
                else
                {
                    answerer.execute(() ->
                    {
                        try
                        {
                            reply.send(request);
                        }
                        catch (final IpcException ex)
                        {
                            throw new IllegalStateException(ex);
                        }
                    });
                }
            }, 1 << 20);
            final int requests = 20_000;
            for (int id = 1; id <= requests; id++)
            {
                calls.onFrame(buffer(frame(KIND_REQUEST, id, new byte[] {(byte)id})));
            }
            for (int i = 0; i < requests; i++)
            {
                assertEquals(KIND_REPLY, kind(client.next()));
            }
            answerer.shutdown();
            assertTrue(answerer.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(0, calls.activeCalls(), "calls answered are forgotten, however the race went");
        }
        finally
        {
            answerer.shutdownNow();
        }
    }

    @Test
    void shouldTreatAReusedActiveIdAndClientBoundKindsAsViolations() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 10);
        calls.onFrame(buffer(frame(KIND_REQUEST, 1, new byte[0])));
        final IpcProtocolException reused = assertThrows(IpcProtocolException.class,
            () -> calls.onFrame(buffer(frame(KIND_REQUEST, 1, new byte[0]))));
        assertTrue(reused.getMessage().contains("id=1"), reused.getMessage());
        for (final byte kind : new byte[] {KIND_REPLY, KIND_ITEM, 4, KIND_ERROR})
        {
            assertThrows(IpcProtocolException.class, () -> calls.onFrame(buffer(frame(kind, 1, null))));
        }
        // A completed id may come again (the client never reuses one; a hostile one gains nothing).
        held.get(0).send(new byte[0]);
        calls.onFrame(buffer(frame(KIND_REQUEST, 1, new byte[0])));
        assertEquals(2, held.size());
    }

    @Test
    void shouldIgnoreCancelAndCreditForUnknownIds() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 10);
        calls.onFrame(buffer(frame(KIND_CANCEL, 5, null)));
        calls.onFrame(buffer(CallFrameCodec.frame(KIND_CREDIT, (byte)0, 1 << 20, 5, null)));
        assertEquals(0, calls.activeCalls());
        assertTrue(client.nothingPending());
    }

    /**
     * A CANCEL that overtook its REQUEST (the caller gave the call up while another thread was still writing the
     * REQUEST): the request that follows is not handed to the handler, which would answer nobody or, holding the
     * reply, keep an active-call slot for nobody until it answered. Until this test the CANCEL was ignored as
     * unknown and the request served. Ids of the two sequences (even: caller-driven, odd: the others) grow apart.
     */
    @Test
    void shouldNotServeARequestWhoseCancelCameFirst() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 10);
        calls.onFrame(buffer(frame(KIND_REQUEST, 8, new byte[] {8})));
        calls.onFrame(buffer(frame(KIND_CANCEL, 3, null)));
        calls.onFrame(buffer(frame(KIND_REQUEST, 3, new byte[] {3})));
        calls.onFrame(buffer(frame(KIND_REQUEST, 5, new byte[] {5})));
        assertEquals(2, held.size(), "8 and 5 are served, 3 was given up");
        assertFalse(held.get(0).isCancelled());
        assertEquals(2, calls.activeCalls());
        // A CANCEL for a call already served (answered inside its handler, never entered) is no early one.
        calls.onFrame(buffer(frame(KIND_CANCEL, 1, null)));
        calls.onFrame(buffer(frame(KIND_REQUEST, 7, new byte[] {7})));
        assertEquals(3, held.size());
    }

    @Test
    void shouldSendItemsOnlyAgainstCreditsAndAddUpGrants() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 10);
        calls.onFrame(buffer(streamRequest(3, 2)));
        final Reply stream = held.get(0);
        assertTrue(stream.isStreamed());
        assertThrows(IllegalStateException.class, () -> stream.send(new byte[0]), "a stream has no single reply");
        assertTrue(stream.trySendItem(new byte[] {1}));
        assertTrue(stream.trySendItem(new byte[] {2}));
        assertFalse(stream.trySendItem(new byte[] {3}), "no credit left");
        final int[] heard = new int[1];
        stream.onCredit(() -> heard[0]++);
        calls.onFrame(buffer(CallFrameCodec.frame(KIND_CREDIT, (byte)0, 1 << 20, 3, null)));
        calls.onFrame(buffer(CallFrameCodec.frame(KIND_CREDIT, (byte)0, 1 << 20, 3, null)));
        assertEquals(2L << 20, stream.credits());
        assertEquals(2, heard[0]);
        assertTrue(stream.end());
        assertEquals(0, stream.credits());
        assertEquals(KIND_ITEM, kind(client.next()));
        assertEquals(KIND_ITEM, kind(client.next()));
        assertEquals(4, kind(client.next()));
        assertTrue(client.nothingPending(), "nothing beyond the credits was sent");
    }

    @Test
    void shouldSendBufferItemsAgainstCreditsAndMoveTheirPositionOnlyWhenSent() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 10);
        calls.onFrame(buffer(streamRequest(7, 1)));
        final Reply stream = held.get(0);
        final ByteBuffer first = ByteBuffer.allocateDirect(8).put(new byte[] {0, 5, 6}).flip().position(1);
        assertTrue(stream.trySendItem(first));
        assertEquals(3, first.position());
        final ByteBuffer refused = ByteBuffer.wrap(new byte[] {9});
        assertFalse(stream.trySendItem(refused), "no credit left");
        assertEquals(0, refused.position());
        final ExecutorService producer = Executors.newSingleThreadExecutor();
        try
        {
            final Future<Boolean> waiting = producer.submit(() -> stream.sendItem(refused, Duration.ofSeconds(30)));
            calls.onFrame(buffer(CallFrameCodec.frame(KIND_CREDIT, (byte)0, 1, 7, null)));
            assertTrue(waiting.get(30, TimeUnit.SECONDS));
        }
        finally
        {
            producer.shutdownNow();
        }
        assertEquals(1, refused.position());
        assertThrows(IllegalStateException.class, () -> stream.send(ByteBuffer.allocate(1)));
        assertArrayEquals(new byte[] {5, 6}, Frames.payload(client.next()));
        assertArrayEquals(new byte[] {9}, Frames.payload(client.next()));
        assertTrue(client.nothingPending());
    }

    @Test
    void shouldRefuseToWaitForCreditsOnTheReadingThread() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], (request, reply) -> reply.sendItem(request,
            Duration.ofSeconds(1)), 10);
        calls.onFrame(buffer(streamRequest(4, 0)));
        final byte[] error = client.next();
        assertEquals(KIND_ERROR, kind(error));
        assertTrue(new String(Frames.payload(error), StandardCharsets.UTF_8).startsWith("sendItem waits for credits"));
    }

    @Test
    void shouldWakeAProducerWaitingForCreditsWhenTheConnectionCloses() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 10);
        calls.readBy(Thread.currentThread());
        calls.onFrame(buffer(streamRequest(6, 0)));
        final Reply stream = held.get(0);
        final CompletableFuture<Boolean> producer = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return stream.sendItem(new byte[] {1}, Duration.ofMinutes(5));
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        calls.closed();
        assertFalse(producer.get(30, TimeUnit.SECONDS), "woken, and nothing sent");
        assertTrue(stream.isCancelled());
        assertFalse(stream.fail("late"));
        assertTrue(client.nothingPending());
    }

    @Test
    void shouldSendTheHandlersMessageBoundedWithoutItsStackTrace() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], (request, reply) ->
        {
            throw new IllegalStateException("y".repeat(5_000));
        }, 10);
        calls.onFrame(buffer(frame(KIND_REQUEST, 8, new byte[0])));
        final byte[] error = client.next();
        assertEquals(KIND_ERROR, kind(error));
        assertEquals("y".repeat(1024), new String(Frames.payload(error), StandardCharsets.UTF_8));
        assertEquals(0, calls.activeCalls());
    }

    @Test
    void shouldLetExactlyOneOfRacingAnswersAndACancelThrough() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 10);
        final ExecutorService answerers = Executors.newFixedThreadPool(2);
        try
        {
            int sent = 0;
            int cancelled = 0;
            for (long id = 1; id <= 2_000; id++)
            {
                calls.onFrame(buffer(frame(KIND_REQUEST, id, new byte[0])));
                final Reply reply = held.get(held.size() - 1);
                final CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> answer(reply, true),
                    answerers);
                final CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> answer(reply, false),
                    answerers);
                // The reading thread's cancel races the two answers.
                calls.onFrame(buffer(frame(KIND_CANCEL, id, null)));
                final int winners =
                    (first.get(10, TimeUnit.SECONDS) ? 1 : 0) + (second.get(10, TimeUnit.SECONDS) ? 1 : 0);
                assertTrue(winners <= 1, "two answers went through for id=" + id);
                if (1 == winners)
                {
                    sent++;
                    final byte[] frame = client.next();
                    assertEquals(id, id(frame));
                    assertFalse(reply.isCancelled(), "answered, so not cancelled: id=" + id);
                }
                else
                {
                    cancelled++;
                    assertTrue(reply.isCancelled(), "nobody answered, so the cancel won: id=" + id);
                }
                assertTrue(client.nothingPending(), "one frame at most per call: id=" + id);
            }
            assertEquals(2_000, sent + cancelled);
            assertEquals(0, calls.activeCalls(), "every call is forgotten, however the race went");
        }
        finally
        {
            answerers.shutdownNow();
        }
    }

    @Test
    void shouldFrameRepliesOfEverySizeWhateverTheOneBefore() throws Exception
    {
        // The connection's frame buffer grows, is left for larger frames, and is reused for smaller ones.
        final ServerCalls calls = new ServerCalls(pair[1], (request, reply) -> reply.send(request), 10);
        long id = 1;
        for (final int size : new int[] {0, 3, 300, 4000, 4081, 70_000, 5, 2000, 0})
        {
            final byte[] request = new byte[size];
            Arrays.fill(request, (byte)size);
            calls.onFrame(buffer(frame(KIND_REQUEST, id, request)));
            final byte[] reply = client.next();
            assertEquals(KIND_REPLY, kind(reply));
            assertEquals(id, id(reply));
            assertArrayEquals(request, Frames.payload(reply), "size=" + size);
            id++;
        }
        assertTrue(client.nothingPending());
    }

    @Test
    void shouldHandAViewHandlerTheRequestInPlaceReadOnlyAndSendABufferReplyOnce() throws Exception
    {
        // The frame sits at an offset of a larger buffer, as a message does in the ring: the view is its payload alone.
        final byte[] frame = frame(KIND_REQUEST, 5, new byte[] {1, 2, 3});
        final ByteBuffer ring = ByteBuffer.allocate(100);
        ring.put(40, frame);
        final ByteBuffer message = ring.asReadOnlyBuffer().position(40).limit(40 + frame.length);
        final List<ByteBuffer> seen = new ArrayList<>();
        final List<Integer> remaining = new ArrayList<>();
        final List<Boolean> sent = new ArrayList<>();
        final ServerCalls calls = new ServerCalls(pair[1], (RequestViewHandler)(request, reply) ->
        {
            seen.add(request);
            remaining.add(request.remaining());
            assertEquals(1, request.get(request.position()), "the view starts at the payload, past the header");
            sent.add(reply.send(request));
            final ByteBuffer again = ByteBuffer.wrap(new byte[] {9});
            sent.add(reply.send(again));
            assertEquals(0, again.position(), "a refused reply leaves its buffer alone");
        }, 10);
        calls.onFrame(message);
        final ByteBuffer request = seen.get(0);
        assertTrue(request.isReadOnly(), "the handler must not be able to write the ring");
        assertEquals(List.of(3), remaining, "the request's payload only, no header");
        assertEquals(request.limit(), request.position(), "a buffer sent as a reply is consumed");
        assertEquals(List.of(true, false), sent, "single-use: the second answer is refused");
        final byte[] reply = client.next();
        assertEquals(KIND_REPLY, kind(reply));
        assertEquals(5, id(reply));
        assertArrayEquals(new byte[] {1, 2, 3}, Frames.payload(reply));
        assertTrue(client.nothingPending());
        assertEquals(0, calls.activeCalls());
    }

    @Test
    void shouldSendTheRemainingBytesOfABufferReplyLaterFromAnyThreadAndRefuseItOnAStream() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 10);
        calls.onFrame(buffer(frame(KIND_REQUEST, 1, new byte[0])));
        calls.onFrame(buffer(streamRequest(2, 1)));
        final ByteBuffer answer = ByteBuffer.allocateDirect(16).put(new byte[] {0, 0, 7, 8, 9, 0}).flip().position(2);
        answer.limit(5);
        final ExecutorService answerer = Executors.newSingleThreadExecutor();
        try
        {
            assertTrue(answerer.submit(() -> held.get(0).send(answer)).get(30, TimeUnit.SECONDS));
        }
        finally
        {
            answerer.shutdownNow();
        }
        assertEquals(5, answer.position());
        final byte[] reply = client.next();
        assertEquals(1, id(reply));
        assertArrayEquals(new byte[] {7, 8, 9}, Frames.payload(reply));
        assertThrows(IllegalStateException.class, () -> held.get(1).send(ByteBuffer.allocate(1)));
        assertEquals(1, calls.activeCalls(), "the stream is still active");
    }

    @Test
    void shouldKeepTheFrameBufferToTheThreadInsideOnFrameWhenReadersTakeTurns() throws Exception
    {
        // Two threads take turns reading (as accept-mode pollers may). Each reads a request answered inline and one
        // it keeps, hands the turn over, and answers the kept one while the other reads: the reader's inline answer
        // and the deferred one must not share a frame buffer, or a frame goes out with the other's bytes.
        final List<Reply> kept = new ArrayList<>();
        final ServerCalls calls = new ServerCalls(pair[1], (request, reply) ->
        {
            if (request[0] == 0)
            {
                reply.send(request);
            }
            else
            {
                kept.add(reply);
            }
        }, 1 << 20);
        final int turns = 20_000;
        final Semaphore[] turn = {new Semaphore(1),
            new Semaphore(0)};
        final long[] nextId = {1};
        final ExecutorService readers = Executors.newFixedThreadPool(2);
        try
        {
            final List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int r = 0; r < 2; r++)
            {
                final int me = r;
                done.add(CompletableFuture.runAsync(() ->
                {
                    try
                    {
                        for (int t = me; t < turns; t += 2)
                        {
                            turn[me].acquire();
                            final long inline = nextId[0]++;
                            final long deferred = nextId[0]++;
                            calls.onFrame(buffer(frame(KIND_REQUEST, inline, payloadOf(0, inline))));
                            calls.onFrame(buffer(frame(KIND_REQUEST, deferred, payloadOf(1, deferred))));
                            final Reply reply = kept.remove(kept.size() - 1);
                            turn[1 - me].release();
                            reply.send(payloadOf(1, deferred));
                        }
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }, readers));
            }
            for (final CompletableFuture<Void> reader : done)
            {
                reader.get(60, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 2 * turns; i++)
            {
                final byte[] frame = client.next();
                final long id = id(frame);
                final byte[] payload = Frames.payload(frame);
                assertEquals(id, ByteBuffer.wrap(payload, 1, Long.BYTES).getLong(),
                    "a frame carries another call's bytes: id=" + id);
            }
            assertTrue(client.nothingPending());
        }
        finally
        {
            readers.shutdownNow();
        }
    }

    /** Waits until a thread is parked in a timed wait (a sender waiting for a credit): a look at its state, no sleep. */
    private static void awaitTimedWaiting(final Thread thread)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING)
        {
            assertTrue(System.nanoTime() < deadline, "the sender never waited");
            Thread.onSpinWait();
        }
    }

    /** Starts a thread that sends one item, waiting up to a minute for a credit, and records what that returned. */
    private static Thread itemSender(final Reply reply, final AtomicReference<Object> sent)
    {
        final Thread sender = new Thread(() ->
        {
            try
            {
                sent.set(reply.sendItem(new byte[] {1}, Duration.ofSeconds(60)));
            }
            catch (final IpcException ex)
            {
                sent.set(ex);
            }
        });
        sender.start();
        return sender;
    }

    @Test
    @Timeout(30)
    void shouldNeverRunACreditListenerTwiceAtOnce() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 16);
        calls.onFrame(buffer(streamRequest(1, 1)));
        final Reply reply = held.get(0);
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();
        final AtomicInteger runs = new AtomicInteger();
        final AtomicBoolean first = new AtomicBoolean(true);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch leave = new CountDownLatch(1);
        final Runnable listener = () ->
        {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            runs.incrementAndGet();
            if (first.getAndSet(false))
            {
                entered.countDown();
                try
                {
                    leave.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            inside.decrementAndGet();
        };
        // A worker sets the listener while the call has a credit: it runs there and then.
        final Thread worker = new Thread(() -> reply.onCredit(listener));
        worker.start();
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        // A CREDIT meanwhile, on the reading thread: before, the listener ran here too, beside the worker's run.
        calls.onFrame(buffer(CallFrameCodec.frame(KIND_CREDIT, (byte)0, 1, 1, null)));
        leave.countDown();
        worker.join();
        assertEquals(1, mostInside.get(), "the listener ran twice at once");
        assertEquals(2, runs.get(), "the run asked for meanwhile is made once the first is done");
    }

    @Test
    @Timeout(30)
    void shouldEndOrFailAStreamFromAnotherThreadWhileASenderWaitsForCredit() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 16);
        calls.onFrame(buffer(streamRequest(1, 0)));
        final Reply reply = held.get(0);
        final AtomicReference<Object> sent = new AtomicReference<>();
        final Thread sender = itemSender(reply, sent);
        awaitTimedWaiting(sender);
        // Before, the waiting sender held the call's send lock: fail() waited for its 60 s.
        final CompletableFuture<Boolean> failed = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return reply.fail("given up");
            }
            catch (final IpcException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        assertTrue(failed.get(10, TimeUnit.SECONDS));
        sender.join(10_000);
        assertEquals(Boolean.FALSE, sent.get(), "the waiting sender learns that the call is over");
        assertEquals(KIND_ERROR, kind(client.next()));
        assertEquals(0, calls.activeCalls());
    }

    @Test
    @Timeout(30)
    void shouldFailAndKeepTrackOfACallWhoseHandlerHandedItToAWorkerAndThenThrew() throws Exception
    {
        final AtomicReference<Object> sent = new AtomicReference<>();
        final Thread[] worker = new Thread[1];
        final ServerCalls calls = new ServerCalls(pair[1], (request, reply) ->
        {
            worker[0] = itemSender(reply, sent);
            awaitTimedWaiting(worker[0]);
            throw new IllegalArgumentException("bad input");
        }, 16);
        // Before, the handler's failure could not be sent (the worker held the send lock): an IllegalStateException
        // left onFrame (closing the connection) and the call was never entered, so no close woke the worker.
        calls.onFrame(buffer(streamRequest(1, 0)));
        final byte[] error = client.next();
        assertEquals(KIND_ERROR, kind(error));
        assertEquals("bad input", new String(Frames.payload(error), StandardCharsets.UTF_8));
        worker[0].join(10_000);
        assertEquals(Boolean.FALSE, sent.get());
        assertEquals(0, calls.activeCalls());
    }

    @Test
    void shouldCancelEveryCallAtCloseWhenACreditListenerThrows() throws Exception
    {
        final ServerCalls calls = new ServerCalls(pair[1], hold, 16);
        for (int id = 1; id <= 4; id++)
        {
            calls.onFrame(buffer(streamRequest(id, 0)));
        }
        for (final Reply reply : held)
        {
            reply.onCredit(() ->
            {
                throw new IllegalStateException("a listener's bug");
            });
        }
        // Before, the first listener's throw ended the loop: three calls stayed active, their senders waiting.
        calls.closed();
        assertTrue(held.stream().allMatch(Reply::isCancelled));
        assertEquals(0, calls.activeCalls());
    }

    @Test
    void shouldNotServeARequestWhoseCancelOvertookItBelowTheHighestId() throws Exception
    {
        // Two threads of one client write REQUESTs 3 and 5 in the order 5, 3; the caller of 3 gives up in between.
        final ServerCalls calls = new ServerCalls(pair[1], hold, 16);
        calls.onFrame(buffer(frame(KIND_REQUEST, 5, new byte[] {5})));
        assertTrue(held.get(0).send(new byte[] {5}));
        calls.onFrame(buffer(frame(KIND_CANCEL, 3, null)));
        calls.onFrame(buffer(frame(KIND_REQUEST, 3, new byte[] {3})));
        assertEquals(1, held.size(), "served for nobody");
        assertEquals(0, calls.activeCalls());
    }

    private static byte[] payloadOf(final int kind, final long id)
    {
        final byte[] payload = new byte[1 + Long.BYTES + 48];
        payload[0] = (byte)kind;
        ByteBuffer.wrap(payload, 1, Long.BYTES).putLong(id);
        return payload;
    }

    private static boolean answer(final Reply reply, final boolean send)
    {
        try
        {
            return send ? reply.send(new byte[] {1}) : reply.fail("second");
        }
        catch (final IpcException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
