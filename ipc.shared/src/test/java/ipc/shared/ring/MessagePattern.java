package ipc.shared.ring;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Deterministic test messages: the length follows from the sequence number, the message carries the sequence
 * number and a CRC32 of everything else, so a reader detects loss, duplication, reordering and corruption.
 *
 * <pre>
 *  [long sequence][int crc32 of bytes 0..7 and 12..end][payload]
 * </pre>
 */
final class MessagePattern
{
    static final int HEADER_LENGTH = 12;

    private final int maxSmall;
    private final int largeEvery;
    private final int largeMin;
    private final int largeMax;
    private final CRC32 crc = new CRC32();

    MessagePattern(final int maxSmall, final int largeEvery, final int largeMin, final int largeMax)
    {
        this.maxSmall = maxSmall;
        this.largeEvery = largeEvery;
        this.largeMin = largeMin;
        this.largeMax = largeMax;
    }

    int lengthFor(final long sequence)
    {
        final long hash = mix(sequence);
        final int pick = (int)((hash >>> 1) % 1_000_000);
        if (largeEvery > 0 && pick % largeEvery == 0)
        {
            return largeMin + (int)((hash >>> 24) % (largeMax - largeMin + 1));
        }
        return HEADER_LENGTH + (int)((hash >>> 24) % (maxSmall - HEADER_LENGTH + 1));
    }

    int largestLength()
    {
        return Math.max(maxSmall, largeMax);
    }

    /** Writes message {@code sequence} at index 0 of {@code target}; returns its length. */
    int encode(final ByteBuffer target, final long sequence)
    {
        final int length = lengthFor(sequence);
        target.putLong(0, sequence);
        final byte salt = (byte)(sequence * 31);
        for (int i = HEADER_LENGTH; i < length; i++)
        {
            target.put(i, (byte)(salt + i));
        }
        target.putInt(Long.BYTES, checksum(target, 0, length));
        return length;
    }

    /** Returns null if the message is the expected one, else what is wrong. */
    String verify(final ByteBuffer buffer, final int index, final int length, final long expectedSequence)
    {
        if (length < HEADER_LENGTH)
        {
            return "message too short: length=" + length + " expectedSequence=" + expectedSequence;
        }
        final long sequence = buffer.getLong(index);
        if (sequence != expectedSequence)
        {
            return "out of sequence: sequence=" + sequence + " expectedSequence=" + expectedSequence;
        }
        if (length != lengthFor(sequence))
        {
            return "wrong length: length=" + length + " expected=" + lengthFor(sequence) + " sequence=" + sequence;
        }
        final int stored = buffer.getInt(index + Long.BYTES);
        final int actual = checksum(buffer, index, length);
        if (stored != actual)
        {
            return "checksum mismatch: stored=" + stored + " actual=" + actual + " sequence=" + sequence;
        }
        return null;
    }

    private int checksum(final ByteBuffer buffer, final int index, final int length)
    {
        crc.reset();
        final ByteBuffer view = buffer.duplicate();
        view.limit(index + Long.BYTES).position(index);
        crc.update(view);
        view.limit(index + length).position(index + HEADER_LENGTH);
        crc.update(view);
        return (int)crc.getValue();
    }

    private static long mix(final long value)
    {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
