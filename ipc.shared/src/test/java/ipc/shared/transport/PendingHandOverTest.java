package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ipc.api.IpcException;
import ipc.shared.ring.Direction;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.wait.WaitProtocol;

/**
 * The dispatcher's queue of replies that did not fit, written by another sending thread: a worker that takes the send
 * lock writes the queue before its own message, possibly after waiting for room. The dispatcher, finding the lock
 * taken, neither writes the queue nor arms for room; so the worker must tell the channel's owner once it wrote the
 * queue, or the connection stays back-pressured (its requests undelivered) until the back-pressure deadline closes it.
 * Two channels over one in-memory segment, the test thread playing the dispatcher.
 */
class PendingHandOverTest
{
    private static final int RING = 4096;
    private static final int MESSAGE = 1000;

    @Test
    void shouldTellTheOwnerWhenAnotherSenderWroteTheDispatchersQueue() throws Exception
    {
        final ChannelPair pair = new ChannelPair(RING, 1 << 16);
        final CountingResources resources = pair.resources;
        final SharedChannel server = pair.server;
        final SharedChannel client = pair.client;
        final AtomicInteger told = new AtomicInteger();
        server.owner(new ChannelOwner()
        {
            @Override
            public void detach(final SharedChannel channel)
            {
            }

            @Override
            public void backpressured(final SharedChannel channel)
            {
                told.incrementAndGet();
            }
        });
        server.outbound().neverWaitOn(Thread.currentThread());

        // The dispatcher answers until the client's ring is full and a reply waits in the queue.
        int sent = 0;
        while (!server.outbound().hasPending())
        {
            server.send(ByteBuffer.wrap(message(sent++)));
        }
        server.send(ByteBuffer.wrap(message(sent++)));
        final int toldByTheDispatcher = told.get();
        assertTrue(toldByTheDispatcher > 0, "the queue was reported");

        // A worker sends too: it takes the lock, and waits for room to write the queue before its own message.
        final CompletableFuture<Void> worker = sendOnAWorker(server, message(sent++));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!resources.writerAsleep(Direction.SERVER_TO_CLIENT))
        {
            assertTrue(System.nanoTime() < deadline, "the worker never waited for room");
            Thread.onSpinWait();
        }
        // The dispatcher's relieve, now: the lock is taken, so it writes nothing and arms nothing.
        assertFalse(server.outbound().flushPending(), "the worker holds the send lock");
        assertTrue(server.outbound().isBusy());

        // The client reads: the worker writes the queue, then its own message, in order.
        for (int i = 0; i < sent; i++)
        {
            assertArrayEquals(message(i), client.receive(Duration.ofSeconds(10)), "message " + i);
        }
        worker.get(10, TimeUnit.SECONDS);
        assertFalse(server.outbound().hasPending());
        assertEquals(toldByTheDispatcher + 1, told.get(), "the worker wrote the dispatcher's queue and must tell the " +
            "owner, which otherwise stays back-pressured: nobody else will look at the connection again");
    }

    /**
     * The dispatcher, relieved (its queue written by a worker), withdraws the room announcement it made on the writer
     * word; but the worker that wrote the queue now waits for room for its own message on the same word, announced
     * there. The withdrawal took the worker's wake-up away: it slept through the client's reads until its periodic
     * re-check (a second by default), and a stream whose items it sent stalled until the client's idle timeout (found
     * by random streams produced on the dispatcher and on workers at once). Until this test the word read IDLE here.
     */
    @Test
    void shouldNotWithdrawTheWordAWorkerWaitsOnWhenTheDispatcherDisarms() throws Exception
    {
        final ChannelPair pair = new ChannelPair(RING, 1 << 16);
        final SharedChannel server = pair.server;
        final SharedChannel client = pair.client;
        pair.serverDispatchedByThisThread();
        int sent = 0;
        while (!server.outbound().hasPending())
        {
            server.send(ByteBuffer.wrap(message(sent++)));
        }
        // The dispatcher's relieve cannot write its queue: it arms for room.
        assertFalse(server.outbound().flushPending(), "no room for the queue");
        assertFalse(server.outbound().armForRoom(), "no room: armed");

        // The client takes one message: room for the queued one, not for a worker's after it.
        assertArrayEquals(message(0), client.receive(Duration.ofSeconds(10)));
        final CompletableFuture<Void> worker = sendOnAWorker(server, message(sent++));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.outbound().hasPending() || !pair.resources.writerAsleep(Direction.SERVER_TO_CLIENT))
        {
            assertTrue(System.nanoTime() < deadline, "the worker never wrote the queue and slept for room");
            Thread.onSpinWait();
        }

        // The dispatcher's relieve: the queue is written, so it disarms.
        assertTrue(server.outbound().flushPending());
        server.outbound().disarmForRoom();
        final int word = pair.resources.segment().duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(
            SegmentLayout.forCapacity(RING).writerWaitOffset(Direction.SERVER_TO_CLIENT));
        assertEquals(WaitProtocol.WAITING, word, "the worker's announcement is still there for the client to see");

        for (int i = 1; i < sent; i++)
        {
            assertArrayEquals(message(i), client.receive(Duration.ofSeconds(10)), "message " + i);
        }
        worker.get(10, TimeUnit.SECONDS);
    }

    /** A worker thread's send. */
    private static CompletableFuture<Void> sendOnAWorker(final SharedChannel server, final byte[] message)
    {
        return CompletableFuture.runAsync(() ->
        {
            try
            {
                server.send(ByteBuffer.wrap(message));
            }
            catch (final IpcException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
    }

    private static byte[] message(final int number)
    {
        final byte[] bytes = new byte[MESSAGE];
        java.util.Arrays.fill(bytes, (byte)number);
        return bytes;
    }
}
