package ipc.shared.call;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The reused buffers in which the call layer puts a frame's header and payload together, on channels that cannot
 * write the header beside the payload themselves (not ours): the calling thread's on the client, the connection's on
 * the server.
 */
final class FrameBuffers
{
    /**
     * Frames up to this length are put together in a reused buffer, so a thread that makes calls, or a connection,
     * keeps at most this much (4 MiB for 1000 connections); a larger frame is a new array, whose cost is small next to
     * its copy.
     */
    static final int MAX_REUSED_FRAME = 4096;

    /** The first reused buffer's size, unless the first frame is larger. */
    static final int FIRST_FRAME = 256;

    private FrameBuffers()
    {
    }

    /**
     * A reused buffer that holds a frame of {@code length} bytes: {@code current} if it does, else a new one at least
     * twice its size, for the caller to keep in its place.
     *
     * @param current the buffer kept so far (possibly empty).
     * @param length  the frame's length, at most {@link #MAX_REUSED_FRAME}.
     * @return a little-endian buffer of at least {@code length} bytes.
     */
    static ByteBuffer holding(final ByteBuffer current, final int length)
    {
        if (current.capacity() >= length)
        {
            return current;
        }
        return ByteBuffer.allocate(Math.max(length, Math.max(FIRST_FRAME, current.capacity() << 1)))
            .order(ByteOrder.LITTLE_ENDIAN);
    }
}
