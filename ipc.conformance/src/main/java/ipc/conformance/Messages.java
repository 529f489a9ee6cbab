package ipc.conformance;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * The self-checking messages of the stream tests: {@code [sequence: 8][pattern ...][crc32 of what precedes: 4]},
 * little-endian, with a length that is a function of the sequence number, so the receiver detects loss,
 * duplication, reordering, truncation and corruption from each message alone.
 */
public final class Messages
{
    /** Every this many messages one is larger than a 64 KiB ring, so it travels in fragments. */
    static final int LARGE_EVERY = 4099;
    /** The longest message {@link #length(long)} gives. */
    public static final int MAX_LENGTH = 72 * 1024;
    private static final int MIN_LENGTH = 12;

    private Messages()
    {
    }

    /** The length of message {@code sequence}: mostly small, now and then larger than a ring. */
    public static int length(final long sequence)
    {
        if (sequence % LARGE_EVERY == LARGE_EVERY - 1)
        {
            return 66 * 1024 + (int)(sequence % 5000);
        }
        long mixed = sequence * 0x9E3779B97F4A7C15L;
        mixed ^= mixed >>> 29;
        return MIN_LENGTH + (int)Math.floorMod(mixed, 240L);
    }

    /** Writes message {@code sequence} into {@code buffer} from its position to position + length. */
    public static void write(final ByteBuffer buffer, final long sequence)
    {
        final ByteBuffer message = buffer.slice(buffer.position(), length(sequence)).order(ByteOrder.LITTLE_ENDIAN);
        message.putLong(0, sequence);
        final int end = message.capacity() - 4;
        for (int i = 8; i < end; i++)
        {
            message.put(i, (byte)(sequence * 31 + i));
        }
        final CRC32 crc = new CRC32();
        crc.update(message.slice(0, end));
        message.putInt(end, (int)crc.getValue());
    }

    /**
     * Checks that {@code message} (position to limit) is message {@code expected}; throws naming what is wrong.
     */
    public static void verify(final ByteBuffer message, final long expected)
    {
        final ByteBuffer view = message.slice().order(ByteOrder.LITTLE_ENDIAN);
        final int length = view.remaining();
        if (length < MIN_LENGTH)
        {
            throw new AssertionError("message too short: length=" + length + " expectedSequence=" + expected);
        }
        final long sequence = view.getLong(0);
        if (sequence != expected)
        {
            throw new AssertionError("out of sequence: sequence=" + sequence + " expected=" + expected +
                (sequence < expected ? " (duplicate or reordered)" : " (lost messages)"));
        }
        if (length != length(sequence))
        {
            throw new AssertionError("wrong length: sequence=" + sequence + " length=" + length + " expected=" +
                length(sequence));
        }
        final CRC32 crc = new CRC32();
        crc.update(view.slice(0, length - 4));
        final int stored = view.getInt(length - 4);
        if (stored != (int)crc.getValue())
        {
            throw new AssertionError("corrupt message: sequence=" + sequence + " crc=" +
                Integer.toHexString((int)crc.getValue()) + " stored=" + Integer.toHexString(stored));
        }
    }

    /** A payload of {@code length} bytes that depends on {@code seed}. */
    public static byte[] payload(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 131 + i * 7 + (i >>> 8));
        }
        return bytes;
    }

    /** The server's answer to a request in the request/response tests: the request reversed. */
    public static byte[] answer(final ByteBuffer request)
    {
        final int length = request.remaining();
        final byte[] reply = new byte[length];
        for (int i = 0; i < length; i++)
        {
            reply[i] = request.get(request.position() + length - 1 - i);
        }
        return reply;
    }
}
