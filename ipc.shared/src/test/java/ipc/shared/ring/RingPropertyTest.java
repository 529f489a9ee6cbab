package ipc.shared.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;

/**
 * Random sizes and interleavings against a model (a queue of byte arrays); every seed is printed on failure.
 */
class RingPropertyTest
{
    private static final int SEEDS = 40;
    private static final int STEPS = 4_000;

    @Test
    void shouldMatchQueueModelForRandomRecordsAndInterleavings()
    {
        final long base = System.nanoTime();
        for (int run = 0; run < SEEDS; run++)
        {
            final long seed = base + run;
            try
            {
                ringScenario(seed);
            }
            catch (final Throwable ex)
            {
                throw new AssertionError("ring scenario failed: seed=" + seed, ex);
            }
        }
    }

    @Test
    void shouldMatchQueueModelForRandomMessagesWithFragmentsAndAborts()
    {
        final long base = System.nanoTime();
        for (int run = 0; run < SEEDS; run++)
        {
            final long seed = base + run;
            try
            {
                messageScenario(seed);
            }
            catch (final Throwable ex)
            {
                throw new AssertionError("message scenario failed: seed=" + seed, ex);
            }
        }
    }

    private static void ringScenario(final long seed) throws IpcProtocolException
    {
        final Random random = new Random(seed);
        final SegmentLayout layout = SegmentLayout.forCapacity(4096 << random.nextInt(3));
        final ByteBuffer segment = TestSegments.newSegment(layout, 1 << 20);
        final SpscRing writer = new SpscRing(segment, layout, Direction.CLIENT_TO_SERVER);
        final SpscRing reader = new SpscRing(segment, layout, Direction.CLIENT_TO_SERVER);
        final Deque<byte[]> model = new ArrayDeque<>();
        final RecordHandler check = (type, buffer, index, length) ->
        {
            assertEquals(RecordDescriptor.MESSAGE, type);
            assertArrayEquals(model.pollFirst(), TestSegments.copy(buffer, index, length));
        };

        for (int step = 0; step < STEPS; step++)
        {
            final int op = random.nextInt(10);
            if (op < 5)
            {
                final int length = randomLength(random, writer.maxRecordLength());
                final byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                if (writer.offer(RecordDescriptor.MESSAGE, ByteBuffer.wrap(bytes), 0, length))
                {
                    model.addLast(bytes);
                }
                else
                {
                    final long used = writer.producerPosition() - reader.consumerPosition();
                    assertTrue(layout.ringCapacity() - used < 2 * (length + 24), "refused with room: used=" + used);
                }
            }
            else if (op < 6)
            {
                final int length = randomLength(random, writer.maxRecordLength());
                final int index = writer.tryClaim(RecordDescriptor.MESSAGE, length);
                if (index >= 0)
                {
                    writer.abort(index);
                }
            }
            else if (op < 9)
            {
                final int before = model.size();
                final int limit = 1 + random.nextInt(5);
                final int delivered = reader.poll(check, limit);
                assertEquals(Math.min(limit, before), delivered);
            }
            else
            {
                final int index = reader.peek();
                if (model.isEmpty())
                {
                    assertEquals(SpscRing.EMPTY, index);
                }
                else
                {
                    assertArrayEquals(model.pollFirst(), TestSegments.copy(segment, index, reader.recordLength(index)));
                    reader.release(index);
                }
            }
        }
        while (!model.isEmpty())
        {
            assertTrue(reader.poll(check, 100) > 0);
        }
        assertEquals(0, reader.poll(check, 100));
        assertEquals(writer.producerPosition(), reader.consumerPosition());
    }

    private static void messageScenario(final long seed) throws IpcException
    {
        final Random random = new Random(seed);
        final SegmentLayout layout = SegmentLayout.forCapacity(4096 << random.nextInt(2));
        final int maxMessage = 1 + random.nextInt(4 * layout.ringCapacity());
        final ByteBuffer segment = TestSegments.newSegment(layout, maxMessage);
        final RingMessageWriter writer = new RingMessageWriter(
            new SpscRing(segment, layout, Direction.SERVER_TO_CLIENT), maxMessage, PublishListener.NONE);
        final RingMessageReader reader = new RingMessageReader(
            new SpscRing(segment, layout, Direction.SERVER_TO_CLIENT), maxMessage, ConsumeListener.NONE);
        final Deque<byte[]> model = new ArrayDeque<>();
        final MessageHandler check = (buffer, index, length) ->
            assertArrayEquals(model.pollFirst(), TestSegments.copy(buffer, index, length));
        final SpaceWaiter waiter = (bytesNeeded, deadline) ->
        {
            if (random.nextInt(8) == 0)
            {
                throw new IpcTimeoutException("random give-up");
            }
            try
            {
                if (random.nextBoolean())
                {
                    reader.poll(check, 1 + random.nextInt(3));
                }
                else
                {
                    peekOne(reader, model);
                }
            }
            catch (final IpcProtocolException ex)
            {
                throw new AssertionError(ex);
            }
        };

        long aborted = 0;
        for (int step = 0; step < STEPS / 4; step++)
        {
            if (random.nextInt(3) > 0)
            {
                final int length = random.nextInt(4) == 0 ? random.nextInt(maxMessage + 1) :
                    random.nextInt(Math.min(maxMessage, writer.maxClaimLength()) + 1);
                final byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                try
                {
                    writer.send(ByteBuffer.wrap(bytes), 0, length, waiter, 0);
                    model.addLast(bytes);
                }
                catch (final IpcTimeoutException ex)
                {
                    aborted = writer.messagesAborted();
                }
            }
            else if (random.nextBoolean())
            {
                reader.poll(check, 1 + random.nextInt(4));
            }
            else
            {
                peekOne(reader, model);
            }
        }
        while (reader.poll(check, 100) > 0)
        {
            assertFalse(reader.isAssembling() && model.isEmpty());
        }
        assertTrue(model.isEmpty(), "undelivered messages: " + model.size());
        assertEquals(aborted, reader.messagesAborted());
        assertFalse(reader.isAssembling());
        assertEquals(writer.messagesSent(), reader.messagesReceived());
        assertEquals(writer.fragmentsSent(), reader.fragmentsReceived());
    }

    private static void peekOne(final RingMessageReader reader, final Deque<byte[]> model) throws IpcProtocolException
    {
        final MessageView view = reader.peek();
        if (null != view)
        {
            assertArrayEquals(model.pollFirst(), TestSegments.copy(view.buffer(), view.index(), view.length()));
            reader.release();
        }
    }

    private static int randomLength(final Random random, final int max)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextInt(16);
            case 1:
                return max - random.nextInt(16);
            default:
                return random.nextInt(max + 1);
        }
    }
}
