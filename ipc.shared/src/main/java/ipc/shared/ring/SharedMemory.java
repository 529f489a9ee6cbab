package ipc.shared.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The only place that touches shared words: int and long views of a direct buffer through {@link VarHandle}s,
 * in the native byte order (both processes run on the same machine). The ordering is in the name, and pairs
 * are: a {@code ...Release} store is seen by a {@code ...Acquire} load of the same word, together with every
 * store made before it; {@code ...Opaque} gives atomicity without ordering.
 *
 * <p>Callers pass indices they have already bounds-checked; a word accessed with a non-plain mode must be
 * naturally aligned, which holds because every shared word sits at an offset that is a multiple of its size
 * from a page-aligned base.
 */
final class SharedMemory
{
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private SharedMemory()
    {
    }

    static int getInt(final ByteBuffer buffer, final int index)
    {
        return (int)INT.get(buffer, index);
    }

    static void putInt(final ByteBuffer buffer, final int index, final int value)
    {
        INT.set(buffer, index, value);
    }

    static int getIntAcquire(final ByteBuffer buffer, final int index)
    {
        return (int)INT.getAcquire(buffer, index);
    }

    static void putIntRelease(final ByteBuffer buffer, final int index, final int value)
    {
        INT.setRelease(buffer, index, value);
    }

    /** Atomically adds to an int and returns its previous value (volatile semantics). */
    static int getAndAddInt(final ByteBuffer buffer, final int index, final int delta)
    {
        return (int)INT.getAndAdd(buffer, index, delta);
    }

    static long getLong(final ByteBuffer buffer, final int index)
    {
        return (long)LONG.get(buffer, index);
    }

    static void putLong(final ByteBuffer buffer, final int index, final long value)
    {
        LONG.set(buffer, index, value);
    }

    static long getLongAcquire(final ByteBuffer buffer, final int index)
    {
        return (long)LONG.getAcquire(buffer, index);
    }

    static void putLongRelease(final ByteBuffer buffer, final int index, final long value)
    {
        LONG.setRelease(buffer, index, value);
    }

    /**
     * Checks that a buffer can carry the atomic accesses above: direct (heap buffers do not guarantee
     * alignment) and with a page-aligned base address, which makes every aligned offset aligned in memory.
     *
     * @param buffer the segment buffer.
     */
    static void checkSegmentBuffer(final ByteBuffer buffer)
    {
        if (!buffer.isDirect())
        {
            throw new IllegalArgumentException("segment buffer must be direct: isDirect=false");
        }
        if (buffer.alignmentOffset(0, Long.BYTES) != 0)
        {
            throw new IllegalArgumentException(
                "segment buffer must be 8-byte aligned: alignmentOffset=" + buffer.alignmentOffset(0, Long.BYTES));
        }
    }
}
