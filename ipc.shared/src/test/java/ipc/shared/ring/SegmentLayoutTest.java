package ipc.shared.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SegmentLayoutTest
{
    @Test
    void shouldPutEveryContendedWordAloneInItsOwnSlot()
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        final List<Integer> words = new ArrayList<>();
        words.add(layout.stateOffset(false));
        words.add(layout.stateOffset(true));
        for (final Direction direction : Direction.values())
        {
            words.add(layout.headOffset(direction));
            words.add(layout.tailOffset(direction));
            words.add(layout.readerWaitOffset(direction));
            words.add(layout.writerWaitOffset(direction));
        }
        final List<Integer> slots = new ArrayList<>();
        for (final int offset : words)
        {
            assertEquals(0, offset % RingDescriptor.SLOT_LENGTH, "word not at slot start: offset=" + offset);
            final int slot = offset / RingDescriptor.SLOT_LENGTH;
            assertTrue(slot > 0, "slot 0 holds the cold configuration fields");
            assertTrue(!slots.contains(slot), "two words share slot " + slot);
            slots.add(slot);
        }
        assertTrue(SegmentDescriptor.MAX_MESSAGE_SIZE_OFFSET + Integer.BYTES <= RingDescriptor.SLOT_LENGTH);
        for (final int slot : slots)
        {
            assertTrue((slot + 1) * RingDescriptor.SLOT_LENGTH <= SegmentDescriptor.DATA_OFFSET);
        }
    }

    @Test
    void shouldPageAlignBothDataAreas()
    {
        for (int capacity = 4096; capacity <= 1 << 20; capacity <<= 1)
        {
            final SegmentLayout layout = SegmentLayout.forCapacity(capacity);
            final int c2s = layout.dataOffset(Direction.CLIENT_TO_SERVER);
            final int s2c = layout.dataOffset(Direction.SERVER_TO_CLIENT);
            assertEquals(0, c2s % SegmentDescriptor.PAGE_SIZE);
            assertEquals(0, s2c % SegmentDescriptor.PAGE_SIZE);
            assertEquals(c2s + capacity, s2c);
            assertEquals(s2c + capacity, layout.segmentLength());
            assertEquals(capacity / 8 - RecordDescriptor.HEADER_LENGTH, layout.maxRecordLength());
        }
    }

    @Test
    void shouldKeepHeaderFieldsNaturallyAligned()
    {
        assertEquals(0, SegmentDescriptor.VERSION_OFFSET % Integer.BYTES);
        assertEquals(0, SegmentDescriptor.RING_CAPACITY_OFFSET % Integer.BYTES);
        assertEquals(0, SegmentDescriptor.SEGMENT_LENGTH_OFFSET % Long.BYTES);
        assertEquals(0, SegmentDescriptor.MAX_MESSAGE_SIZE_OFFSET % Integer.BYTES);
    }

    @Test
    void shouldRejectCapacityThatIsNotAPowerOfTwo()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> SegmentLayout.forCapacity(4096 + 8));
        assertEquals("capacity must be a power of two: capacity=4104", ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SegmentLayout.forCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> SegmentLayout.forCapacity(-4096));
    }

    @Test
    void shouldRejectCapacityOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> SegmentLayout.forCapacity(2048));
        assertThrows(IllegalArgumentException.class, () -> SegmentLayout.forCapacity(1 << 30));
        assertEquals(SegmentDescriptor.MAX_RING_CAPACITY,
            SegmentLayout.forCapacity(SegmentDescriptor.MAX_RING_CAPACITY).ringCapacity());
        assertTrue(SegmentLayout.forCapacity(SegmentDescriptor.MAX_RING_CAPACITY).segmentLength() <= Integer.MAX_VALUE);
    }
}
