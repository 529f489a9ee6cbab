package ipc.shared.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;

class RingMessageTest
{
    private static final int CAPACITY = 4096;
    private static final int MAX_MESSAGE = 3000;

    private final SegmentLayout layout = SegmentLayout.forCapacity(CAPACITY);
    private final ByteBuffer segment = TestSegments.newSegment(layout, MAX_MESSAGE);
    private final SpscRing writerRing = new SpscRing(segment, layout, Direction.CLIENT_TO_SERVER);
    private final SpscRing readerRing = new SpscRing(segment, layout, Direction.CLIENT_TO_SERVER);
    private int publishes;
    private int consumes;
    private final RingMessageWriter writer = new RingMessageWriter(writerRing, MAX_MESSAGE, () -> publishes++);
    private final RingMessageReader reader = new RingMessageReader(readerRing, MAX_MESSAGE, () -> consumes++);
    private final List<byte[]> received = new ArrayList<>();
    private final MessageHandler collect = (buffer, index, length) ->
    {
        assertTrue(buffer.isReadOnly());
        received.add(TestSegments.copy(buffer, index, length));
    };
    private final SpaceWaiter drainingWaiter = (bytesNeeded, deadline) ->
    {
        try
        {
            reader.poll(collect, Integer.MAX_VALUE);
        }
        catch (final IpcProtocolException ex)
        {
            throw new AssertionError(ex);
        }
    };
    private final SpaceWaiter timingOut = (bytesNeeded, deadline) ->
    {
        throw new IpcTimeoutException("no space: bytesNeeded=" + bytesNeeded);
    };

    @Test
    void shouldSendSmallMessageAsOneRecord() throws IpcException
    {
        assertEquals(1, send(100, 1, timingOut));
        assertEquals(1, publishes);
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(1, consumes);
        assertMessage(0, 100, 1);
    }

    @Test
    void shouldSendMaxRecordLengthAsOneRecordAndOneMoreAsFragments() throws IpcException
    {
        final int max = writerRing.maxRecordLength();
        assertEquals(1, send(max, 1, timingOut));
        assertEquals(2, send(max + 1, 2, timingOut));
        assertEquals(2, reader.poll(collect, 10));
        assertMessage(0, max, 1);
        assertMessage(1, max + 1, 2);
        assertEquals(2, reader.fragmentsReceived());
        assertEquals(2, writer.fragmentsSent());
    }

    @Test
    void shouldSendExactlyMaxMessageSizeLargerThanTheRing() throws IpcException
    {
        final int records = send(MAX_MESSAGE, 5, drainingWaiter);
        assertEquals(6, records, "3000 bytes in 504-byte records, 4 bytes for the total");
        reader.poll(collect, 10);
        assertEquals(1, received.size());
        assertMessage(0, MAX_MESSAGE, 5);
    }

    @Test
    void shouldRefuseMessageLargerThanMaxBeforeWritingAnything()
    {
        final IpcMessageTooLargeException ex =
            assertThrows(IpcMessageTooLargeException.class, () -> send(MAX_MESSAGE + 1, 1, timingOut));
        assertEquals("message too large: length=3001 maxMessageSize=3000", ex.getMessage());
        assertEquals(0, writerRing.producerPosition());
        assertEquals(0, publishes);
        assertTrue(readerRing.isEmpty());
    }

    @Test
    void shouldAbortFragmentedMessageWhenWaiterGivesUpAndDeliverTheNextOne() throws IpcException
    {
        // Leave room for two fragments only.
        while (writerRing.producerPosition() < CAPACITY - 1200)
        {
            send(100, 0, timingOut);
        }
        final IpcClosedException closed = new IpcClosedException("peer closed");
        final IpcClosedException thrown = assertThrows(IpcClosedException.class,
            () -> send(MAX_MESSAGE, 9, (bytesNeeded, deadline) ->
            {
                throw closed;
            }));
        assertSame(closed, thrown);
        assertEquals(1, writer.messagesAborted());

        final int before = received.size();
        reader.poll(collect, Integer.MAX_VALUE);
        assertEquals(1, reader.messagesAborted());
        assertFalse(reader.isAssembling());
        final int smallOnes = received.size() - before;
        assertEquals(send(700, 3, drainingWaiter), 2);
        reader.poll(collect, Integer.MAX_VALUE);
        assertEquals(smallOnes + 1, received.size());
        assertMessage(received.size() - 1, 700, 3);
    }

    @Test
    void shouldNotWriteAbortWhenNothingWasCommitted()
    {
        while (writerRing.producerPosition() < CAPACITY - 256)
        {
            assertThrowsNothing(() -> send(100, 0, timingOut));
        }
        final long position = writerRing.producerPosition();
        assertThrows(IpcTimeoutException.class, () -> send(MAX_MESSAGE, 9, timingOut));
        assertEquals(position, writerRing.producerPosition());
        assertEquals(0, writer.messagesAborted());
    }

    @Test
    void shouldLendSingleRecordMessageFromTheRingUntilReleased() throws IpcException
    {
        send(10, 4, timingOut);
        final MessageView view = reader.peek();
        assertEquals(1, view.recordCount());
        assertFalse(view.isReassembled());
        assertTrue(view.buffer().isReadOnly());
        assertArrayEquals(expected(10, 4), TestSegments.copy(view.buffer(), view.index(), view.length()));
        assertSame(view, reader.peek());
        assertEquals(0, readerRing.headPositionAcquire(), "still in the ring");
        assertThrows(IllegalStateException.class, () -> reader.poll(collect, 1));
        reader.release();
        assertEquals(24, readerRing.headPositionAcquire());
        assertNull(reader.peek());
        assertThrows(IllegalStateException.class, reader::release);
        assertEquals(1, reader.messagesReceived());
    }

    @Test
    void shouldLendReassembledMessageAndCountItsFragments() throws IpcException
    {
        send(1500, 6, timingOut);
        final MessageView view = reader.peek();
        assertEquals(3, view.recordCount());
        assertTrue(view.isReassembled());
        assertArrayEquals(expected(1500, 6), TestSegments.copy(view.buffer(), view.index(), view.length()));
        reader.release();
        assertNull(reader.peek());
        assertEquals(3, reader.fragmentsReceived());
    }

    @Test
    void shouldKeepPartialMessageAssembledAcrossPeeks() throws IpcException
    {
        final ByteBuffer message = TestSegments.bytes(1500, 8);
        final int begin = writerRing.tryClaim(RecordDescriptor.FRAGMENT_BEGIN, 504);
        segment.duplicate().order(java.nio.ByteOrder.nativeOrder()).putInt(begin, 1500);
        segment.put(begin + 4, message, 0, 500);
        writerRing.commit(begin);
        assertNull(reader.peek());
        assertTrue(reader.isAssembling());
        assertTrue(writerRing.offer(RecordDescriptor.FRAGMENT_MIDDLE, message, 500, 504));
        assertNull(reader.peek());
        assertTrue(writerRing.offer(RecordDescriptor.FRAGMENT_END, message, 1004, 496));
        final MessageView view = reader.peek();
        assertEquals(1500, view.length());
        assertArrayEquals(expected(1500, 8), TestSegments.copy(view.buffer(), view.index(), view.length()));
    }

    @Test
    void shouldClaimAndCommitZeroCopy() throws IpcException
    {
        final int index = writer.claim(32);
        writer.buffer().putLong(index, 77L);
        writer.commit(index);
        final int aborted = writer.claim(5);
        writer.abort(aborted);
        assertEquals(2, publishes);
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(32, received.get(0).length);
        assertThrows(IpcMessageTooLargeException.class, () -> writer.claim(writer.maxClaimLength() + 1));
    }

    @Test
    void shouldWriteAPrefixAndItsBytesAsOneRecord() throws IpcException
    {
        final ByteBuffer src = TestSegments.bytes(100, 3);
        final long first = 0x0807060504030201L;
        writer.sendPrefixed(first, -2, src, 10, 50, timingOut, 0);
        assertEquals(1, publishes);
        assertEquals(0, src.position(), "the source is not moved");
        assertEquals(1, reader.poll(collect, 10));
        final byte[] message = received.get(0);
        assertEquals(RingMessageWriter.PREFIX_LENGTH + 50, message.length);
        final ByteBuffer le = ByteBuffer.wrap(message).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, message[0], "the prefix is little-endian whatever the ring's order");
        assertEquals(first, le.getLong(0));
        assertEquals(-2, le.getLong(8));
        assertArrayEquals(java.util.Arrays.copyOfRange(expected(100, 3), 10, 60),
            java.util.Arrays.copyOfRange(message, RingMessageWriter.PREFIX_LENGTH, message.length));
    }

    @Test
    void shouldOfferAPrefixedRecordOnlyWhereItFitsNow() throws IpcException
    {
        final int max = writerRing.maxRecordLength();
        final int length = max - RingMessageWriter.PREFIX_LENGTH;
        assertTrue(writer.fitsPrefixed(length));
        assertFalse(writer.fitsPrefixed(length + 1), "one byte more takes two records");
        assertFalse(writer.fitsPrefixed(-1));
        final ByteBuffer src = TestSegments.bytes(length + 1, 4);
        assertThrows(IllegalArgumentException.class, () -> writer.offerPrefixed(1, 2, src, 0, length + 1));
        assertThrows(IllegalArgumentException.class, () -> writer.sendPrefixed(1, 2, src, 0, length + 1, timingOut,
            0));
        assertThrows(IndexOutOfBoundsException.class, () -> writer.offerPrefixed(1, 2, src, length, 2),
            "a range beyond the source is refused before anything is claimed");
        assertEquals(0, publishes, "nothing written for a refused record");

        int offered = 0;
        while (writer.offerPrefixed(offered, 0, src, 0, length))
        {
            offered++;
        }
        assertTrue(offered > 0);
        assertThrows(IpcTimeoutException.class, () -> writer.sendPrefixed(9, 9, src, 0, length, timingOut, 0),
            "a full ring makes the send wait");
        assertEquals(offered, publishes);
        writer.sendPrefixed(offered, 0, src, 0, length, drainingWaiter, 0);
        reader.poll(collect, Integer.MAX_VALUE);
        assertEquals(offered + 1, received.size(), "every record once, the one that waited last");
        for (int i = 0; i < received.size(); i++)
        {
            assertEquals(i, ByteBuffer.wrap(received.get(i)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0));
        }
    }

    @Test
    void shouldKeepPrefixedMessagesWithinTheMaximumMessageSize()
    {
        final SegmentLayout small = SegmentLayout.forCapacity(CAPACITY);
        final SpscRing ring = new SpscRing(TestSegments.newSegment(small, 100), small, Direction.CLIENT_TO_SERVER);
        final RingMessageWriter limited = new RingMessageWriter(ring, 100, () -> publishes++);
        assertTrue(limited.fitsPrefixed(100 - RingMessageWriter.PREFIX_LENGTH));
        assertFalse(limited.fitsPrefixed(100 - RingMessageWriter.PREFIX_LENGTH + 1),
            "the prefix counts towards the maximum message size");
    }

    @Test
    void shouldRejectMiddleOrEndWithoutBegin()
    {
        assertRejected(RecordDescriptor.FRAGMENT_MIDDLE);
        assertRejected(RecordDescriptor.FRAGMENT_END);
        assertRejected(RecordDescriptor.FRAGMENT_ABORT);
    }

    @Test
    void shouldRejectBeginOrMessageInsideFragmentedMessage()
    {
        assertRejectedAfterBegin(1000, 100, RecordDescriptor.FRAGMENT_BEGIN);
        assertRejectedAfterBegin(1000, 100, RecordDescriptor.MESSAGE);
    }

    @Test
    void shouldRejectAnnouncedTotalAboveMaxBeforeAllocating()
    {
        assertRejectedAfterBegin(MAX_MESSAGE + 1, 100);
        assertRejectedAfterBegin(-1, 100);
        assertRejectedAfterBegin(Integer.MAX_VALUE, 100);
    }

    @Test
    void shouldRejectFragmentsThatDoNotAddUp()
    {
        assertRejectedAfterBegin(600, 500, RecordDescriptor.FRAGMENT_MIDDLE);
        assertRejectedAfterBegin(600, 500, RecordDescriptor.FRAGMENT_END);
        assertRejectedAfterBegin(600, 300, RecordDescriptor.FRAGMENT_END);
    }

    @Test
    void shouldRejectFragmentedMessageThatFitsOneRecord()
    {
        // The writer fragments only what one record cannot hold: a begin announcing less is forged, and with a
        // total of zero, begin+abort pairs would be the cheapest way to keep a reader busy.
        assertRejectedAfterBegin(0, 0, RecordDescriptor.FRAGMENT_ABORT);
        assertRejectedAfterBegin(writerRing.maxRecordLength(), 100, RecordDescriptor.FRAGMENT_ABORT);
    }

    @Test
    void shouldGrowReassemblyWithArrivingBytesAndDropItAfterAbort() throws IpcException
    {
        final int max = 16 << 20;
        final ByteBuffer victim = TestSegments.newSegment(layout, max);
        final SpscRing ring = new SpscRing(victim, layout, Direction.CLIENT_TO_SERVER);
        final RingMessageReader victimReader = new RingMessageReader(
            new SpscRing(victim, layout, Direction.CLIENT_TO_SERVER), max, ConsumeListener.NONE);
        final int index = ring.tryClaim(RecordDescriptor.FRAGMENT_BEGIN, 4 + 100);
        victim.duplicate().order(java.nio.ByteOrder.nativeOrder()).putInt(index, max);
        ring.commit(index);

        assertNull(victimReader.peek());
        assertTrue(victimReader.isAssembling());
        assertTrue(victimReader.assemblyCapacity() <= 2 * ring.maxRecordLength(),
            "memory follows the bytes that arrived, not the announced total: capacity=" +
            victimReader.assemblyCapacity());

        assertTrue(ring.tryWriteFragmentAbort());
        assertNull(victimReader.peek());
        assertFalse(victimReader.isAssembling());
        assertEquals(1, victimReader.messagesAborted());
    }

    @Test
    void shouldDropLargeReassemblyBufferOnceItsMessageWasDelivered() throws IpcException
    {
        final int max = 1 << 20;
        final ByteBuffer big = TestSegments.newSegment(layout, max);
        final RingMessageWriter bigWriter = new RingMessageWriter(
            new SpscRing(big, layout, Direction.CLIENT_TO_SERVER), max, PublishListener.NONE);
        final RingMessageReader bigReader = new RingMessageReader(
            new SpscRing(big, layout, Direction.CLIENT_TO_SERVER), max, ConsumeListener.NONE);
        final int length = RingMessageReader.RETAINED_ASSEMBLY_CAPACITY * 2;
        final SpaceWaiter drain = (bytesNeeded, deadline) ->
        {
            final MessageView view = bigReader.peek();
            if (null != view)
            {
                received.add(TestSegments.copy(view.buffer(), view.index(), view.length()));
                bigReader.release();
            }
        };
        bigWriter.send(TestSegments.bytes(length, 5), 0, length, drain, 0);
        final MessageView last = bigReader.peek();
        received.add(TestSegments.copy(last.buffer(), last.index(), last.length()));
        bigReader.release();
        assertArrayEquals(expected(length, 5), received.get(0));
        assertEquals(0, bigReader.assemblyCapacity());
    }

    @Test
    void shouldRejectBeginTooShortForItsTotal()
    {
        final ByteBuffer victim = TestSegments.newSegment(layout, MAX_MESSAGE);
        final SpscRing ring = new SpscRing(victim, layout, Direction.CLIENT_TO_SERVER);
        assertTrue(ring.offer(RecordDescriptor.FRAGMENT_BEGIN, ByteBuffer.allocate(3), 0, 3));
        final RingMessageReader victimReader = new RingMessageReader(
            new SpscRing(victim, layout, Direction.CLIENT_TO_SERVER), MAX_MESSAGE, ConsumeListener.NONE);
        assertThrows(IpcProtocolException.class, () -> victimReader.poll(collect, 10));
    }

    private void assertRejected(final int... types)
    {
        assertRejectedAfterBegin(-2, 0, types);
    }

    private void assertRejectedAfterBegin(final int total, final int chunk, final int... types)
    {
        for (int mode = 0; mode < 2; mode++)
        {
            final ByteBuffer victim = TestSegments.newSegment(layout, MAX_MESSAGE);
            final SpscRing ring = new SpscRing(victim, layout, Direction.CLIENT_TO_SERVER);
            if (-2 != total)
            {
                final int index = ring.tryClaim(RecordDescriptor.FRAGMENT_BEGIN, 4 + chunk);
                victim.duplicate().order(java.nio.ByteOrder.nativeOrder()).putInt(index, total);
                ring.commit(index);
            }
            for (final int type : types)
            {
                assertTrue(RecordDescriptor.FRAGMENT_ABORT == type ?
                    ring.tryWriteFragmentAbort() : ring.offer(type, ByteBuffer.allocate(200), 0, 200));
            }
            final RingMessageReader victimReader = new RingMessageReader(
                new SpscRing(victim, layout, Direction.CLIENT_TO_SERVER), MAX_MESSAGE, ConsumeListener.NONE);
            if (0 == mode)
            {
                assertThrows(IpcProtocolException.class, () -> victimReader.poll(collect, 10));
            }
            else
            {
                assertThrows(IpcProtocolException.class, victimReader::peek);
            }
        }
        assertTrue(received.isEmpty());
    }

    private int send(final int length, final int seed, final SpaceWaiter waiter) throws IpcException
    {
        return writer.send(TestSegments.bytes(length, seed), 0, length, waiter, System.nanoTime());
    }

    private static byte[] expected(final int length, final int seed)
    {
        return TestSegments.copy(TestSegments.bytes(length, seed), 0, length);
    }

    private void assertMessage(final int i, final int length, final int seed)
    {
        assertArrayEquals(expected(length, seed), received.get(i));
    }

    private static void assertThrowsNothing(final ThrowingRunnable runnable)
    {
        try
        {
            runnable.run();
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable
    {
        void run() throws Exception;
    }
}
