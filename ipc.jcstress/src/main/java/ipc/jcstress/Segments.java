package ipc.jcstress;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;

/**
 * Small initialized segments for the tests, on direct memory like a real mapping.
 */
final class Segments
{
    static final SegmentLayout LAYOUT = SegmentLayout.forCapacity(4096);

    private Segments()
    {
    }

    static ByteBuffer newSegment()
    {
        final ByteBuffer segment = ByteBuffer.allocateDirect((int)LAYOUT.segmentLength()).order(ByteOrder.nativeOrder());
        SegmentHeader.initialize(segment, LAYOUT, 1024);
        return segment;
    }
}
