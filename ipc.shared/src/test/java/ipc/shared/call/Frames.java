package ipc.shared.call;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ipc.shared.codec.CallFrameCodec;

/** Reading and writing call frames by hand in the tests, as a peer would. */
final class Frames
{
    private Frames()
    {
    }

    static byte kind(final byte[] frame)
    {
        return frame[2];
    }

    static byte flags(final byte[] frame)
    {
        return frame[3];
    }

    static int credits(final byte[] frame)
    {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    }

    static long id(final byte[] frame)
    {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
    }

    static byte[] payload(final byte[] frame)
    {
        final byte[] payload = new byte[frame.length - 16];
        System.arraycopy(frame, 16, payload, 0, payload.length);
        return payload;
    }

    static byte[] frame(final byte kind, final long id, final byte[] payload)
    {
        return CallFrameCodec.frame(kind, (byte)0, 0, id, payload);
    }

    static ByteBuffer buffer(final byte[] frame)
    {
        return ByteBuffer.wrap(frame).asReadOnlyBuffer();
    }
}
