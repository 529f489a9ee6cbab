package ipc.shared.ring;

import java.nio.ByteBuffer;

/** Builds initialised in-memory segments for tests. */
final class TestSegments
{
    private TestSegments()
    {
    }

    static ByteBuffer newSegment(final SegmentLayout layout, final int maxMessageSize)
    {
        final ByteBuffer segment = ByteBuffer.allocateDirect((int)layout.segmentLength());
        SegmentHeader.initialize(segment, layout, maxMessageSize);
        return segment;
    }

    static ByteBuffer bytes(final int length, final int seed)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++)
        {
            buffer.put(i, (byte)(seed * 31 + i * 7));
        }
        return buffer;
    }

    static byte[] copy(final ByteBuffer buffer, final int index, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.get(index, bytes);
        return bytes;
    }
}
