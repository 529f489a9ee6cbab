package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;


/**
 * A message larger than the free room, sent by the thread that never waits (the server's dispatcher) while another
 * thread of the server sends too (a reply answered later from a worker): its first fragments go into the ring, the
 * rest into the queue. The rest must be queued before the send lock is given back, or the worker, taking the lock
 * in between, finds no queue and writes its own message between the fragments, which the client then rejects as a
 * protocol violation ("record inside a fragmented message") and closes the channel. The rest was queued after the
 * unlock until this test, and a 4 MiB rest takes about a millisecond to copy: the worker's message landed inside
 * the fragments in each of eight runs (found by random calls with deferred replies racing a 100 KB one).
 */
class PartialQueueTest
{
    private static final int RING = 4096;
    private static final int LARGE = 4 << 20;
    private static final int ROUNDS = 10;
    /** The worker's pace: a message every 20 µs, many of them during the large rest's copy. */
    private static final long PACE_NANOS = 20_000;

    @Test
    @Timeout(60)
    void shouldQueueTheRestOfAPartlyWrittenMessageBeforeAnotherSenderTakesTheLock() throws Exception
    {
        final ChannelPair pair = new ChannelPair(RING, LARGE);
        final SharedChannel server = pair.server;
        final SharedChannel client = pair.client;
        pair.serverDispatchedByThisThread();

        final AtomicBoolean stop = new AtomicBoolean();
        // Threads of their own: the common pool may have a single thread on a 2-CPU machine.
        final ExecutorService threads = Executors.newFixedThreadPool(2);
        final Future<Integer> worker = threads.submit(() ->
        {
            int sent = 0;
            try
            {
                while (!stop.get())
                {
                    server.send(ByteBuffer.wrap(small(sent++)));
                    // Paced, so that the ring has room and the lock is free when the large send starts: it must
                    // begin in the ring for its rest to be queued.
                    final long next = System.nanoTime() + PACE_NANOS;
                    while (System.nanoTime() < next)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            catch (final IpcPeerClosedException ex)
            {
                // The end: the client closed while this send waited for room.
            }
            return sent;
        });
        final Future<Integer> reader = threads.submit(() ->
        {
            int large = 0;
            int small = 0;
            while (large < ROUNDS)
            {
                final byte[] message = client.receive(Duration.ofSeconds(10));
                if (message.length == LARGE)
                {
                    assertArrayEquals(large(large), message, "large message " + large);
                    large++;
                }
                else
                {
                    assertArrayEquals(small(small), message, "the worker's message " + small);
                    small++;
                }
            }
            return large;
        });

        try
        {
            for (int i = 0; i < ROUNDS; i++)
            {
                // Wait until the queue is written and the client has read the ring, so that this send starts in the
                // ring and queues only its rest.
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!server.outbound().flushPending() || server.peerBehind())
                {
                    assertTrue(System.nanoTime() < deadline, "the queue was never written");
                    Thread.onSpinWait();
                }
                server.send(ByteBuffer.wrap(large(i)));
            }
        }
        catch (final IpcException ex)
        {
            // The client closed the channel: its reader's failure says why (a protocol violation, if the bug is back).
            reader.get(10, TimeUnit.SECONDS);
            throw ex;
        }
        assertEquals(ROUNDS, reader.get(30, TimeUnit.SECONDS));
        stop.set(true);
        client.close();
        worker.get(30, TimeUnit.SECONDS);
        threads.shutdown();
    }

    private static byte[] large(final int number)
    {
        final byte[] bytes = new byte[LARGE];
        Arrays.fill(bytes, (byte)(number + 1));
        bytes[LARGE - 1] = (byte)~number;
        return bytes;
    }

    private static byte[] small(final int number)
    {
        final byte[] bytes = new byte[4 + number % 60];
        ByteBuffer.wrap(bytes).putInt(0, number);
        return bytes;
    }
}
