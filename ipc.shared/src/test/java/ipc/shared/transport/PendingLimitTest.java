package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import ipc.api.IpcClosedException;
import ipc.shared.ring.RecordDescriptor;

/**
 * The queue of the never-waiting thread (the dispatcher) holds at most what the client's ring would: each queued
 * message counts its bytes and a record header. Counted by bytes alone, empty messages were free: a handler that
 * answered a client that does not read with empty messages queued them without bound until the back-pressure
 * deadline.
 */
class PendingLimitTest
{
    private static final int RING = 4096;
    private static final int MAX_MESSAGE = 1024;

    @Test
    void shouldCloseAChannelWhoseQueueOfEmptyMessagesOutgrowsItsRing() throws Exception
    {
        final ChannelPair pair = new ChannelPair(RING, MAX_MESSAGE);
        final SharedChannel server = pair.server;
        server.outbound().neverWaitOn(Thread.currentThread());
        final ByteBuffer empty = ByteBuffer.allocate(0);
        final IpcClosedException closed = assertThrows(IpcClosedException.class, () ->
        {
            // Far more than the limit allows; without a bound, all of them queue.
            for (int i = 0; i < 1_000_000; i++)
            {
                server.send(empty);
            }
        });
        assertTrue(closed.getMessage().contains("does not read its replies"), closed.getMessage());
        assertTrue(server.isClosed());
        // The ring took what it could hold, the queue a ring's worth of headers more.
        final long written = server.stats().messagesSent();
        assertTrue(written > 0 && written <= RING / RecordDescriptor.HEADER_LENGTH, "written=" + written);
    }

    @Test
    void shouldStillQueueOneMessageOfTheLargestSize() throws Exception
    {
        // A ring smaller than the largest message: the queue must still take what of one such message does not fit,
        // its record header counted.
        final ChannelPair pair = new ChannelPair(RING, 3 * RING);
        final SharedChannel server = pair.server;
        server.outbound().neverWaitOn(Thread.currentThread());
        server.send(ByteBuffer.allocate(3 * RING));
        assertTrue(server.outbound().hasPending(), "the rest of the large message waits in the queue");
        assertTrue(!server.isClosed(), "one message of the largest size closed the channel");
        assertThrows(IpcClosedException.class, () -> server.send(ByteBuffer.allocate(3 * RING)));
    }
}
