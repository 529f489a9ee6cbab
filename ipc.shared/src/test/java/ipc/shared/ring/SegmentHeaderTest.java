package ipc.shared.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import ipc.api.IpcProtocolException;

class SegmentHeaderTest
{
    private final SegmentLayout layout = SegmentLayout.forCapacity(8192);
    private final ByteBuffer segment = TestSegments.newSegment(layout, 100_000);
    private final ByteBuffer nativeView = segment.duplicate().order(ByteOrder.nativeOrder());

    @Test
    void shouldAttachToAnInitialisedSegment() throws IpcProtocolException
    {
        final AttachedSegment attached = SegmentHeader.attach(segment, layout.segmentLength());
        assertEquals(layout, attached.layout());
        assertEquals(100_000, attached.maxMessageSize());
        assertEquals(SegmentDescriptor.LAYOUT_VERSION, attached.version());
    }

    @Test
    void shouldZeroEverythingBeyondTheHeaderFields()
    {
        final ByteBuffer dirty = ByteBuffer.allocateDirect((int)layout.segmentLength());
        for (int i = 0; i < dirty.capacity(); i++)
        {
            dirty.put(i, (byte)0x5A);
        }
        SegmentHeader.initialize(dirty, layout, 1000);
        for (int i = SegmentDescriptor.MAX_MESSAGE_SIZE_OFFSET + Integer.BYTES; i < dirty.capacity(); i++)
        {
            assertEquals(0, dirty.get(i), "byte not zeroed: index=" + i);
        }
    }

    @Test
    void shouldWriteReadableMagic()
    {
        final byte[] magic = new byte[8];
        segment.get(0, magic);
        assertEquals("IPCSEG", new String(magic, 0, 6, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void shouldRejectSegmentThatIsNotReady()
    {
        nativeView.putInt(SegmentDescriptor.VERSION_OFFSET, 0);
        assertRejected("segment not ready: version=0");
    }

    @Test
    void shouldRejectBadMagic()
    {
        segment.put(SegmentDescriptor.MAGIC_OFFSET + 2, (byte)'X');
        assertRejected("segment magic mismatch: magic=4950585345470001");
    }

    @Test
    void shouldRejectOtherMajorVersionNamingBoth()
    {
        nativeView.putInt(SegmentDescriptor.VERSION_OFFSET, 2 << 16);
        assertRejected("segment layout version mismatch: app=" +
            SegmentDescriptor.versionString(SegmentDescriptor.LAYOUT_VERSION) + " segment=2.0");
    }

    @Test
    void shouldAcceptOtherMinorVersion() throws IpcProtocolException
    {
        nativeView.putInt(SegmentDescriptor.VERSION_OFFSET, 1 << 16 | 7);
        assertEquals(1 << 16 | 7, SegmentHeader.attach(segment, layout.segmentLength()).version());
    }

    @Test
    void shouldRejectCapacityThatIsNotAPowerOfTwo()
    {
        nativeView.putInt(SegmentDescriptor.RING_CAPACITY_OFFSET, 8192 + 8);
        assertRejected("invalid segment ring capacity must be a power of two: capacity=8200");
    }

    @Test
    void shouldRejectCapacityTooLarge()
    {
        nativeView.putInt(SegmentDescriptor.RING_CAPACITY_OFFSET, 1 << 30);
        assertThrows(IpcProtocolException.class, () -> SegmentHeader.attach(segment, layout.segmentLength()));
    }

    @Test
    void shouldRejectLengthsLargerThanTheMapping()
    {
        final IpcProtocolException ex = assertThrows(IpcProtocolException.class,
            () -> SegmentHeader.attach(segment, layout.segmentLength() - 4096));
        assertTrue(ex.getMessage().startsWith("segment length exceeds the mapping: segmentLength="), ex.getMessage());

        nativeView.putInt(SegmentDescriptor.RING_CAPACITY_OFFSET, 16384);
        nativeView.putLong(SegmentDescriptor.SEGMENT_LENGTH_OFFSET, SegmentLayout.forCapacity(16384).segmentLength());
        assertRejected("segment length exceeds the mapping: segmentLength=36864 mappedLength=20480 bufferCapacity=20480");
    }

    @Test
    void shouldRejectSegmentLengthInconsistentWithCapacity()
    {
        nativeView.putLong(SegmentDescriptor.SEGMENT_LENGTH_OFFSET, 12);
        assertRejected("segment length inconsistent with ring capacity: segmentLength=12 expected=20480 capacity=8192");
    }

    @Test
    void shouldRejectMappingShorterThanTheHeader()
    {
        assertThrows(IpcProtocolException.class, () -> SegmentHeader.attach(segment, 100));
        assertThrows(IpcProtocolException.class, () -> SegmentHeader.attach(ByteBuffer.allocateDirect(64), 1 << 20));
    }

    @Test
    void shouldRejectInsaneMaxMessageSize()
    {
        nativeView.putInt(SegmentDescriptor.MAX_MESSAGE_SIZE_OFFSET, 0);
        assertRejected("invalid segment maxMessageSize: maxMessageSize=0 max=1073741824");
        nativeView.putInt(SegmentDescriptor.MAX_MESSAGE_SIZE_OFFSET, -5);
        assertRejected("invalid segment maxMessageSize: maxMessageSize=-5 max=1073741824");
        nativeView.putInt(SegmentDescriptor.MAX_MESSAGE_SIZE_OFFSET, Integer.MAX_VALUE);
        assertThrows(IpcProtocolException.class, () -> SegmentHeader.attach(segment, layout.segmentLength()));
    }

    @Test
    void shouldRejectHeapBuffer()
    {
        assertThrows(IpcProtocolException.class, () -> SegmentHeader.attach(ByteBuffer.allocate(1 << 16), 1 << 16));
        assertThrows(IllegalArgumentException.class,
            () -> SegmentHeader.initialize(ByteBuffer.allocate((int)layout.segmentLength()), layout, 10));
    }

    @Test
    void shouldRejectInitialisationOfTooShortBufferOrBadMaxMessageSize()
    {
        assertThrows(IllegalArgumentException.class,
            () -> SegmentHeader.initialize(ByteBuffer.allocateDirect(4096), layout, 10));
        assertThrows(IllegalArgumentException.class, () -> SegmentHeader.initialize(segment, layout, 0));
    }

    @Test
    void shouldPublishStateWordsPerSide()
    {
        assertEquals(SegmentDescriptor.STATE_NOT_ATTACHED, SegmentHeader.getStateAcquire(segment, true));
        SegmentHeader.putStateRelease(segment, false, SegmentDescriptor.STATE_OPEN);
        SegmentHeader.putStateRelease(segment, true, SegmentDescriptor.STATE_CLOSED);
        assertEquals(SegmentDescriptor.STATE_OPEN, SegmentHeader.getStateAcquire(segment, false));
        assertEquals(SegmentDescriptor.STATE_CLOSED, SegmentHeader.getStateAcquire(segment, true));
        assertEquals(SegmentDescriptor.STATE_OPEN, nativeView.getInt(layout.stateOffset(false)));
    }

    private void assertRejected(final String message)
    {
        final IpcProtocolException ex =
            assertThrows(IpcProtocolException.class, () -> SegmentHeader.attach(segment, segment.capacity()));
        assertEquals(message, ex.getMessage());
    }
}
