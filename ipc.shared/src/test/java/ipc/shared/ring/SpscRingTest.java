package ipc.shared.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ipc.api.IpcProtocolException;

class SpscRingTest
{
    private static final int CAPACITY = 4096;

    private final SegmentLayout layout = SegmentLayout.forCapacity(CAPACITY);
    private final ByteBuffer segment = TestSegments.newSegment(layout, 1 << 20);
    private final ByteBuffer nativeView = segment.duplicate().order(ByteOrder.nativeOrder());
    private final int data = layout.dataOffset(Direction.SERVER_TO_CLIENT);
    private final SpscRing writer = new SpscRing(segment, layout, Direction.SERVER_TO_CLIENT);
    private final SpscRing reader = new SpscRing(segment, layout, Direction.SERVER_TO_CLIENT);
    private final List<byte[]> received = new ArrayList<>();
    private final List<Integer> receivedTypes = new ArrayList<>();
    private final RecordHandler collect = (type, buffer, index, length) ->
    {
        receivedTypes.add(type);
        received.add(TestSegments.copy(buffer, index, length));
    };

    @Test
    void shouldBeEmptyWhenNothingWasCommitted() throws IpcProtocolException
    {
        assertTrue(reader.isEmpty());
        assertEquals(0, reader.poll(collect, 10));
        assertEquals(SpscRing.EMPTY, reader.peek());
    }

    @Test
    void shouldDeliverOfferedRecordWithTypeAndPayload() throws IpcProtocolException
    {
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(13, 1), 0, 13));
        assertFalse(reader.isEmpty());
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(List.of(RecordDescriptor.MESSAGE), receivedTypes);
        assertArrayEquals(TestSegments.copy(TestSegments.bytes(13, 1), 0, 13), received.get(0));
        assertTrue(reader.isEmpty());
        assertEquals(24, reader.headPositionAcquire());
        assertEquals(24, writer.tailPositionAcquire());
    }

    @Test
    void shouldNotDeliverClaimedRecordBeforeCommit() throws IpcProtocolException
    {
        final int index = writer.tryClaim(RecordDescriptor.MESSAGE, 8);
        nativeView.putLong(index, 42L);
        assertEquals(0, reader.poll(collect, 10));
        writer.commit(index);
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(8, received.get(0).length);
    }

    @Test
    void shouldDeliverRecordOfZeroBytes() throws IpcProtocolException
    {
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, ByteBuffer.allocate(0), 0, 0));
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(0, received.get(0).length);
        assertEquals(RecordDescriptor.HEADER_LENGTH, reader.consumerPosition());
    }

    @Test
    void shouldAcceptMaxRecordAndRejectRecordLongerThanMax() throws IpcProtocolException
    {
        final int max = writer.maxRecordLength();
        assertEquals(CAPACITY / 8 - 8, max);
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(max, 3), 0, max));
        assertThrows(IllegalArgumentException.class, () -> writer.tryClaim(RecordDescriptor.MESSAGE, max + 1));
        assertThrows(IllegalArgumentException.class, () -> writer.tryClaim(RecordDescriptor.MESSAGE, -1));
        assertThrows(IllegalArgumentException.class, () -> writer.tryClaim(RecordDescriptor.PADDING, 1));
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(max, received.get(0).length);
    }

    @Test
    void shouldReportFullRingAndAcceptAgainAfterConsumption() throws IpcProtocolException
    {
        int written = 0;
        while (writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(56, written), 0, 56))
        {
            written++;
        }
        // 64-byte records; the next-zero word costs 8 bytes, so one slot short of 4096/64.
        assertEquals(CAPACITY / 64 - 1, written);
        assertEquals(SpscRing.INSUFFICIENT_CAPACITY, writer.tryClaim(RecordDescriptor.MESSAGE, 56));
        assertEquals(1, reader.poll(collect, 1));
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(56, 99), 0, 56));
        assertEquals(written, reader.poll(collect, 1000));
        assertEquals(written + 1, received.size());
    }

    @Test
    void shouldPublishHeadOncePerPollAndRespectLimit() throws IpcProtocolException
    {
        for (int i = 0; i < 5; i++)
        {
            assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(8, i), 0, 8));
        }
        assertEquals(3, reader.poll(collect, 3));
        assertEquals(3 * 16, reader.headPositionAcquire());
        assertEquals(2, reader.poll(collect, 3));
        assertEquals(5 * 16, reader.headPositionAcquire());
    }

    @Test
    void shouldPadTheEndWhenRecordDoesNotFitAndZeroIndexZeroFirst() throws IpcProtocolException
    {
        advanceBothTo(CAPACITY - 64);
        // Stale bytes of a previous lap at index 0 must not be mistaken for a committed record.
        nativeView.putInt(data, 200);
        nativeView.putInt(data + 4, RecordDescriptor.MESSAGE);
        final int index = writer.tryClaim(RecordDescriptor.MESSAGE, 100);
        assertEquals(data + RecordDescriptor.HEADER_LENGTH, index);
        assertEquals(64, nativeView.getInt(data + CAPACITY - 64));
        assertEquals(RecordDescriptor.PADDING, nativeView.getInt(data + CAPACITY - 60));
        assertEquals(0, nativeView.getInt(data), "index 0 zeroed before the padding was released");
        assertEquals(0, reader.poll(collect, 10), "padding is consumed, not delivered");
        assertEquals(CAPACITY, reader.consumerPosition());
        writer.commit(index);
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(100, received.get(0).length);
        assertEquals(CAPACITY + 112, reader.consumerPosition());
    }

    @Test
    void shouldWrapWithoutPaddingWhenRecordEndsExactlyAtTheEnd() throws IpcProtocolException
    {
        advanceBothTo(CAPACITY - 64);
        nativeView.putInt(data, 999);
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(56, 1), 0, 56));
        assertEquals(0, nativeView.getInt(data), "next-zero word wrapped to index 0");
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(CAPACITY, reader.consumerPosition());
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(5, 1), 0, 5));
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(CAPACITY + 16, reader.consumerPosition());
    }

    @Test
    void shouldRefuseWrapWhenPaddingPlusRecordDoNotFit() throws IpcProtocolException
    {
        advanceBothTo(CAPACITY - 64);
        // Fill the beginning: 64 bytes at the end are free, plus the space before the head.
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(48, 1), 0, 48));
        final int head = (int)reader.consumerPosition();
        assertEquals(CAPACITY - 64, head);
        // Free = 4096 - 56 = 4040; the record needs toEnd(8) padding + 456 aligned + 8 next-zero... fits.
        final int big = writer.maxRecordLength();
        int claims = 0;
        int index;
        while ((index = writer.tryClaim(RecordDescriptor.MESSAGE, big)) >= 0)
        {
            writer.commit(index);
            claims++;
        }
        assertEquals(SpscRing.INSUFFICIENT_CAPACITY, index);
        assertTrue(claims > 0);
        final long used = writer.producerPosition() - reader.consumerPosition();
        assertTrue(CAPACITY - used < 512 + 8 + 8, "refused only when really full: free=" + (CAPACITY - used));
        assertEquals(claims + 1, reader.poll(collect, 1000));
    }

    @Test
    void shouldSkipAbortedClaim() throws IpcProtocolException
    {
        final int index = writer.tryClaim(RecordDescriptor.MESSAGE, 30);
        writer.abort(index);
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(3, 1), 0, 3));
        assertEquals(1, reader.poll(collect, 10));
        assertEquals(3, received.get(0).length);
        assertEquals(40 + 16, reader.consumerPosition());
    }

    @Test
    void shouldRejectSecondClaimAndForeignCommit()
    {
        final int index = writer.tryClaim(RecordDescriptor.MESSAGE, 30);
        assertThrows(IllegalStateException.class, () -> writer.tryClaim(RecordDescriptor.MESSAGE, 1));
        assertThrows(IllegalStateException.class, () -> writer.commit(index + 8));
        assertThrows(IllegalStateException.class, writer::tryWriteFragmentAbort);
        writer.commit(index);
        assertThrows(IllegalStateException.class, () -> writer.commit(index));
    }

    @Test
    void shouldLendRecordUntilReleasedAndSkipPaddingOnPeek() throws IpcProtocolException
    {
        final int aborted = writer.tryClaim(RecordDescriptor.MESSAGE, 30);
        writer.abort(aborted);
        assertTrue(writer.offer(RecordDescriptor.FRAGMENT_END, TestSegments.bytes(21, 4), 0, 21));
        final int index = reader.peek();
        assertEquals(data + 40 + 8, index);
        assertEquals(40, reader.headPositionAcquire(), "padding consumed and published");
        assertEquals(index, reader.peek());
        assertEquals(RecordDescriptor.FRAGMENT_END, reader.recordType(index));
        assertEquals(21, reader.recordLength(index));
        assertThrows(IllegalStateException.class, () -> reader.poll(collect, 1));
        assertThrows(IllegalStateException.class, () -> reader.release(index + 8));
        reader.release(index);
        assertEquals(40 + 32, reader.headPositionAcquire());
        assertEquals(SpscRing.EMPTY, reader.peek());
    }

    @Test
    void shouldKeepLengthWordAtTailZeroOverManyLaps() throws IpcProtocolException
    {
        final java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            final int length = random.nextInt(writer.maxRecordLength() + 1);
            if (writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(length, i), 0, length))
            {
                final int tailIndex = data + (int)(writer.producerPosition() & (CAPACITY - 1));
                assertEquals(0, nativeView.getInt(tailIndex), "length at tail must be zero: i=" + i);
            }
            if (random.nextInt(3) == 0)
            {
                reader.poll(collect, random.nextInt(4) + 1);
            }
        }
        assertTrue(writer.producerPosition() > 100L * CAPACITY);
    }

    @Test
    void shouldGuaranteeFragmentAbortAfterFailedFragmentClaim() throws IpcProtocolException
    {
        for (int lap = 0; lap < 50; lap++)
        {
            int index;
            int size = 1 + lap * 7 % writer.maxRecordLength();
            while ((index = writer.tryClaim(RecordDescriptor.FRAGMENT_MIDDLE, size)) >= 0)
            {
                writer.commit(index);
                size = (size * 13 + 5) % (writer.maxRecordLength() + 1);
            }
            assertTrue(writer.tryWriteFragmentAbort(), "lap=" + lap);
            reader.poll(collect, Integer.MAX_VALUE);
            assertEquals(RecordDescriptor.FRAGMENT_ABORT, receivedTypes.get(receivedTypes.size() - 1));
            // Next lap starts from a different offset.
            writer.offer(RecordDescriptor.MESSAGE, ByteBuffer.allocate(64), 0, lap % 64);
            reader.poll(collect, Integer.MAX_VALUE);
        }
    }

    @Test
    void shouldRejectCorruptedLengthsWithoutReadingOutOfBounds()
    {
        final int[] badLengths = { 1, 7, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, CAPACITY + 8, CAPACITY };
        for (final int bad : badLengths)
        {
            assertHostileRecordRejected(0, bad, RecordDescriptor.MESSAGE);
        }
        // A legal-looking length that runs past the end of the data area.
        assertHostileRecordRejected(CAPACITY - 16, 24, RecordDescriptor.PADDING);
        // Longer than one record may be (only padding may be that long).
        assertHostileRecordRejected(0, writer.maxRecordLength() + 9, RecordDescriptor.MESSAGE);
    }

    @Test
    void shouldRejectUnknownRecordTypes()
    {
        for (final int type : new int[] { 0, 7, -1, 1000 })
        {
            assertHostileRecordRejected(0, 16, type);
        }
    }

    @Test
    void shouldReportImpossibleHeadAsCorrupt()
    {
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(56, 1), 0, 56));
        nativeView.putLong(layout.headOffset(Direction.SERVER_TO_CLIENT), 1_000_000L);
        fillUntilRefused(SpscRing.CORRUPT);
    }

    @Test
    void shouldReportHeadMovingBackwardsAsCorrupt() throws IpcProtocolException
    {
        assertTrue(writer.offer(RecordDescriptor.MESSAGE, TestSegments.bytes(56, 1), 0, 56));
        reader.poll(collect, 1);
        fillUntilRefused(SpscRing.INSUFFICIENT_CAPACITY);
        nativeView.putLong(layout.headOffset(Direction.SERVER_TO_CLIENT), -64L);
        assertEquals(SpscRing.CORRUPT, writer.tryClaim(RecordDescriptor.MESSAGE, 56));
    }

    private void fillUntilRefused(final int expected)
    {
        int result;
        while ((result = writer.tryClaim(RecordDescriptor.MESSAGE, 56)) >= 0)
        {
            writer.commit(result);
        }
        assertEquals(expected, result);
    }

    private void assertHostileRecordRejected(final int index, final int length, final int type)
    {
        final ByteBuffer hostileSegment = TestSegments.newSegment(layout, 1 << 20);
        final ByteBuffer view = hostileSegment.duplicate().order(ByteOrder.nativeOrder());
        final SpscRing victim = new SpscRing(hostileSegment, layout, Direction.SERVER_TO_CLIENT);
        if (index != 0)
        {
            // Move the victim's head to the index with legal records first.
            final SpscRing peer = new SpscRing(hostileSegment, layout, Direction.SERVER_TO_CLIENT);
            int offered = 0;
            while (offered < index)
            {
                final int chunk = Math.min(index - offered, writer.maxRecordLength() + 8);
                assertTrue(peer.offer(RecordDescriptor.MESSAGE, ByteBuffer.allocate(chunk), 0, chunk - 8));
                offered += chunk;
            }
            assertThrowsNothing(() -> victim.poll((t, b, i, l) -> { }, Integer.MAX_VALUE));
        }
        view.putInt(data + index + 4, type);
        view.putInt(data + index, length);
        final IpcProtocolException polled = assertThrows(IpcProtocolException.class,
            () -> victim.poll((t, b, i, l) -> { }, 10), "length=" + length + " type=" + type);
        assertTrue(polled.getMessage().contains("position=" + index), polled.getMessage());
        assertThrows(IpcProtocolException.class, victim::peek);
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

    @Test
    void shouldNotLapTheWriterOnPaddingAsLongAsTheRing() throws IpcProtocolException
    {
        // A forged padding record as long as the whole ring, at index 0, published by a tail one capacity ahead:
        // consumed once, after which the stale bytes must not be consumed again (the head would lap forever).
        nativeView.putInt(data + 4, RecordDescriptor.PADDING);
        nativeView.putInt(data, CAPACITY);
        nativeView.putLong(layout.tailOffset(Direction.SERVER_TO_CLIENT), CAPACITY);
        assertFalse(reader.isEmpty());
        assertEquals(0, reader.poll(collect, 10));
        assertEquals(CAPACITY, reader.consumerPosition());
        for (int i = 0; i < 3; i++)
        {
            assertTrue(reader.isEmpty(), "nothing beyond the published tail");
            assertEquals(0, reader.poll(collect, 10));
            assertEquals(SpscRing.EMPTY, reader.peek());
            assertEquals(CAPACITY, reader.consumerPosition());
        }
    }

    @Test
    void shouldNotConsumeStoredLengthsBeyondThePublishedTail() throws IpcProtocolException
    {
        nativeView.putInt(data + 4, RecordDescriptor.MESSAGE);
        nativeView.putInt(data, 16);
        assertTrue(reader.isEmpty());
        assertEquals(0, reader.poll(collect, 10));
        assertEquals(SpscRing.EMPTY, reader.peek());
        nativeView.putLong(layout.tailOffset(Direction.SERVER_TO_CLIENT), 16);
        assertFalse(reader.isEmpty());
        assertEquals(1, reader.poll(collect, 10));
    }

    @Test
    void shouldRejectImpossibleTail()
    {
        for (final long tail : new long[] {CAPACITY + 8, 12, -8, Long.MIN_VALUE})
        {
            final ByteBuffer victim = TestSegments.newSegment(layout, 1 << 20);
            final ByteBuffer view = victim.duplicate().order(ByteOrder.nativeOrder());
            view.putInt(data + 4, RecordDescriptor.MESSAGE);
            view.putInt(data, 16);
            view.putLong(layout.tailOffset(Direction.SERVER_TO_CLIENT), tail);
            final SpscRing victimReader = new SpscRing(victim, layout, Direction.SERVER_TO_CLIENT);
            assertFalse(victimReader.isEmpty(), "a malformed tail reads as something to poll: tail=" + tail);
            assertThrows(IpcProtocolException.class, () -> victimReader.poll(collect, 10), "tail=" + tail);
            assertThrows(IpcProtocolException.class, victimReader::peek, "tail=" + tail);
        }
    }

    @Test
    void shouldConsumeAtMostOneCapacityPerCall() throws IpcProtocolException
    {
        // A writer that rewrites padding records as fast as they are consumed gets at most one ring's worth of
        // work out of one poll.
        final RecordHandler rewriting = (type, buffer, index, length) -> { };
        for (int i = 0; i < CAPACITY / 64; i++)
        {
            nativeView.putInt(data + i * 64 + 4, RecordDescriptor.PADDING);
            nativeView.putInt(data + i * 64, 64);
        }
        nativeView.putLong(layout.tailOffset(Direction.SERVER_TO_CLIENT), CAPACITY);
        assertEquals(0, reader.poll(rewriting, Integer.MAX_VALUE));
        assertEquals(CAPACITY, reader.consumerPosition());
        nativeView.putLong(layout.tailOffset(Direction.SERVER_TO_CLIENT), 2 * CAPACITY);
        assertEquals(0, reader.poll(rewriting, Integer.MAX_VALUE));
        assertEquals(2 * CAPACITY, reader.consumerPosition());
    }

    @Test
    void shouldStartAtZeroWhateverThePeerWroteIntoThePositions() throws IpcProtocolException
    {
        final ByteBuffer victim = TestSegments.newSegment(layout, 1 << 20);
        final ByteBuffer view = victim.duplicate().order(ByteOrder.nativeOrder());
        view.putLong(layout.headOffset(Direction.SERVER_TO_CLIENT), 3);
        view.putLong(layout.tailOffset(Direction.SERVER_TO_CLIENT), 5);
        final SpscRing victimReader = new SpscRing(victim, layout, Direction.SERVER_TO_CLIENT);
        final SpscRing victimWriter = new SpscRing(victim, layout, Direction.SERVER_TO_CLIENT);
        assertEquals(0, victimReader.consumerPosition());
        assertEquals(0, victimWriter.producerPosition());
        assertTrue(victimReader.isEmpty());
        assertEquals(0, victimReader.poll(collect, 10));
    }

    @Test
    void shouldTreatUnalignedHeadAsCorrupt() throws IpcProtocolException
    {
        advanceBothTo(CAPACITY - 64);
        nativeView.putLong(layout.headOffset(Direction.SERVER_TO_CLIENT), CAPACITY - 68);
        assertEquals(SpscRing.CORRUPT, writer.tryClaim(RecordDescriptor.MESSAGE, 100));
    }

    private void advanceBothTo(final int position) throws IpcProtocolException
    {
        while (writer.producerPosition() < position)
        {
            final int remaining = (int)(position - writer.producerPosition());
            final int payload = Math.min(remaining, writer.maxRecordLength() + 8) - 8;
            assertTrue(writer.offer(RecordDescriptor.MESSAGE, ByteBuffer.allocate(payload), 0, payload));
            reader.poll(collect, Integer.MAX_VALUE);
        }
        received.clear();
        receivedTypes.clear();
        assertEquals(position, writer.producerPosition());
        assertEquals(position, reader.consumerPosition());
    }
}
