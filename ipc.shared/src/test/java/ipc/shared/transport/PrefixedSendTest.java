package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcTimeoutException;
import ipc.shared.ring.RingMessageWriter;

/**
 * {@link SharedChannel#sendPrefixed}: a 16-byte prefix and a payload sent as one message, written straight into one
 * record when they fit one, else put together and sent as any message: on a thread that may wait, on the thread that
 * never waits (its queue), and beyond one record. Two channels over one in-memory segment.
 */
class PrefixedSendTest
{
    private static final int RING = 4096;
    private static final int MAX_MESSAGE = 1 << 16;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A payload that fits one record with the prefix (the ring's records hold up to an eighth of it). */
    private static final int SMALL = 200;

    private final ChannelPair pair = new ChannelPair(RING, MAX_MESSAGE);
    private final SharedChannel server = pair.server;
    private final SharedChannel client = pair.client;

    @Test
    void shouldSendThePrefixBeforeThePayloadAsOneMessageWithoutMovingThePayload() throws IpcException
    {
        final ByteBuffer payload = ByteBuffer.allocateDirect(100);
        for (int i = 0; i < 100; i++)
        {
            payload.put(i, (byte)i);
        }
        payload.position(10).limit(74);

        client.sendPrefixed(0x0807060504030201L, 42, payload, WAIT);

        assertEquals(10, payload.position(), "the payload is not moved");
        final byte[] received = server.receive(WAIT);
        assertEquals(RingMessageWriter.PREFIX_LENGTH + 64, received.length);
        assertEquals(1, received[0], "little-endian");
        final ByteBuffer le = ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x0807060504030201L, le.getLong(0));
        assertEquals(42, le.getLong(8));
        for (int i = 0; i < 64; i++)
        {
            assertEquals(10 + i, received[RingMessageWriter.PREFIX_LENGTH + i]);
        }
        assertEquals(1, client.stats().messagesSent());
        assertEquals(RingMessageWriter.PREFIX_LENGTH + 64, client.stats().bytesSent(), "the prefix counts as sent");
        assertEquals(0, client.outbound().assembledSends(), "written straight into the record, not put together");
    }

    @Test
    void shouldSendAMessageOfSeveralRecordsWhole() throws Exception
    {
        final byte[] payload = pattern(3 * RING, 5);
        final CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
        {
            try
            {
                client.sendPrefixed(7, 8, ByteBuffer.wrap(payload), WAIT);
            }
            catch (final IpcException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        final byte[] received = server.receive(WAIT);
        sending.get(10, TimeUnit.SECONDS);
        assertEquals(7, ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        assertEquals(8, ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN).getLong(8));
        assertArrayEquals(payload, Arrays.copyOfRange(received, RingMessageWriter.PREFIX_LENGTH, received.length));
        assertEquals(1, client.outbound().assembledSends(), "several records are put together first");
    }

    @Test
    void shouldRefuseWhatTheMaximumMessageSizeCannotHoldWithThePrefix() throws IpcException
    {
        final ByteBuffer payload = ByteBuffer.allocate(MAX_MESSAGE - RingMessageWriter.PREFIX_LENGTH + 1);
        assertThrows(IpcMessageTooLargeException.class, () -> client.sendPrefixed(1, 2, payload, WAIT));
        assertEquals(0, client.stats().messagesSent());
        client.sendPrefixed(3, 4, ByteBuffer.allocate(0), WAIT);
        assertEquals(RingMessageWriter.PREFIX_LENGTH, server.receive(WAIT).length, "a prefix alone is a message");
    }

    @Test
    void shouldQueueBehindTheNeverWaitingThreadsQueueAndKeepTheOrder() throws IpcException
    {
        server.outbound().neverWaitOn(Thread.currentThread());
        // Fill the client's ring until a message waits in the queue: every later one must queue behind it.
        int sent = 0;
        while (!server.outbound().hasPending())
        {
            server.sendPrefixed(sent++, 0, ByteBuffer.wrap(pattern(SMALL, sent)));
        }
        assertEquals(1, server.outbound().assembledSends(), "only the message that did not fit now was put together");
        final int queued = sent;
        server.sendPrefixed(sent++, 0, ByteBuffer.wrap(pattern(500, queued)));
        server.sendPrefixed(sent++, 0, ByteBuffer.allocate(0));
        assertTrue(server.outbound().hasPending());
        assertEquals(3, server.outbound().assembledSends(), "and the two behind it (one of several records)");

        for (int i = 0; i < sent; i++)
        {
            if (i > 0 && server.outbound().hasPending())
            {
                server.outbound().flushPending();
            }
            final byte[] received = client.receive(WAIT);
            assertEquals(i, ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN).getLong(0), "message " + i);
        }
        assertFalse(server.outbound().hasPending());
        assertEquals(sent, server.stats().messagesSent());
    }

    @Test
    void shouldWaitForRoomOnAThreadThatMayWait() throws Exception
    {
        // Ten times the ring: the sender must wait for the reader to make room, and every message arrives once.
        final int messages = 10 * RING / SMALL;
        final CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
        {
            try
            {
                for (int i = 0; i < messages; i++)
                {
                    client.sendPrefixed(i, 0, ByteBuffer.wrap(pattern(SMALL, i)), WAIT);
                }
            }
            catch (final IpcException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        // Read only once the sender waits for room, so that it must have waited.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.stats().fullRingWaits() == 0)
        {
            assertTrue(System.nanoTime() < deadline, "the sender never waited for room");
            Thread.onSpinWait();
        }
        for (int i = 0; i < messages; i++)
        {
            final byte[] received = server.receive(WAIT);
            assertEquals(i, ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN).getLong(0), "message " + i);
            assertArrayEquals(pattern(SMALL, i), Arrays.copyOfRange(received, RingMessageWriter.PREFIX_LENGTH,
                received.length));
        }
        sending.get(10, TimeUnit.SECONDS);
        assertEquals(0, client.outbound().assembledSends(), "each waited for room for its record and wrote it there");
    }

    @Test
    void shouldTimeOutWithNothingWrittenAndSendAgainOnceThereIsRoom() throws Exception
    {
        int sent = 0;
        try
        {
            while (true)
            {
                client.sendPrefixed(sent, 0, ByteBuffer.wrap(pattern(SMALL, sent)), Duration.ofMillis(50));
                sent++;
            }
        }
        catch (final IpcTimeoutException expected)
        {
            // The ring is full and nobody reads.
        }
        assertEquals(sent, client.stats().messagesSent(), "the timed-out message was not counted");
        for (int i = 0; i < sent; i++)
        {
            assertEquals(i, ByteBuffer.wrap(server.receive(WAIT)).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        }
        client.sendPrefixed(sent, 0, ByteBuffer.wrap(pattern(SMALL, sent)), WAIT);
        assertEquals(sent, ByteBuffer.wrap(server.receive(WAIT)).order(ByteOrder.LITTLE_ENDIAN).getLong(0),
            "the send lock was given back and nothing of the timed-out message reached the ring");
    }

    @Test
    void shouldFailOnAClosedChannelAndWhenThePeerClosed() throws Exception
    {
        server.close();
        assertThrows(IpcPeerClosedException.class, () -> client.sendPrefixed(1, 2, ByteBuffer.allocate(8), WAIT));
        client.close();
        assertThrows(IpcClosedException.class, () -> client.sendPrefixed(1, 2, ByteBuffer.allocate(8), WAIT));
        assertEquals(0, client.stats().messagesSent());
    }

    @Test
    void shouldWriteAMessageOfSeveralRecordsFromTheNeverWaitingThreadThroughItsQueue() throws Exception
    {
        server.outbound().neverWaitOn(Thread.currentThread());
        final byte[] payload = pattern(3 * RING, 9);
        final CompletableFuture<byte[]> receiving = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return client.receive(WAIT);
            }
            catch (final IpcException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        server.sendPrefixed(5, 6, ByteBuffer.wrap(payload));
        assertTrue(server.outbound().hasPending(), "three rings' worth cannot be written at once");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.outbound().flushPending())
        {
            assertTrue(System.nanoTime() < deadline, "the queue was never written");
            Thread.onSpinWait();
        }
        final byte[] received = receiving.get(10, TimeUnit.SECONDS);
        assertEquals(5, ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        assertEquals(6, ByteBuffer.wrap(received).order(ByteOrder.LITTLE_ENDIAN).getLong(8));
        assertArrayEquals(payload, Arrays.copyOfRange(received, RingMessageWriter.PREFIX_LENGTH, received.length));
        assertEquals(1, server.stats().messagesSent());
    }

    private static byte[] pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return bytes;
    }
}
