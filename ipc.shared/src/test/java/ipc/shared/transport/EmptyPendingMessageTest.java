package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ipc.api.IpcException;

/**
 * An empty message that the never-waiting thread (the dispatcher) had to queue is a pending message like any other:
 * the queue is not empty while it waits, and nothing sent later overtakes it. It adds no bytes to the queue, so a
 * queue that was judged by its bytes alone looked empty: the owner was not asked to retry, and another thread's send
 * went past it into the ring.
 */
class EmptyPendingMessageTest
{
    private static final int RING = 4096;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ChannelPair pair = new ChannelPair(RING, 1 << 16);

    @Test
    void shouldKeepAQueuedEmptyMessagePendingAndInOrder() throws Exception
    {
        final SharedChannel server = pair.server;
        server.outbound().neverWaitOn(Thread.currentThread());
        // Empty messages until one is queued: the ring then has no room for one more record.
        long written;
        do
        {
            written = server.stats().messagesSent();
            server.send(ByteBuffer.allocate(0));
        }
        while (server.stats().messagesSent() > written);
        assertTrue(server.outbound().hasPending(), "an empty message waits in the queue");
        assertEquals(false, server.outbound().flushPending(), "the ring is still full");

        // The client drains the ring; another thread sends a one-byte message: the empty one goes first.
        for (long i = 0; i < server.stats().messagesSent(); i++)
        {
            assertEquals(0, pair.client.receive(WAIT).length, "message " + i);
        }
        CompletableFuture.runAsync(() ->
        {
            try
            {
                server.send(ByteBuffer.wrap(new byte[] {1}));
            }
            catch (final IpcException ex)
            {
                throw new IllegalStateException(ex);
            }
        }).get(10, TimeUnit.SECONDS);
        assertEquals(0, pair.client.receive(WAIT).length, "the queued empty message first");
        assertEquals(1, pair.client.receive(WAIT).length, "then the later one");
        assertEquals(false, server.outbound().hasPending());
    }
}
