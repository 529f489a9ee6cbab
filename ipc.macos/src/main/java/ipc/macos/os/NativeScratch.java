package ipc.macos.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import ipc.macos.jna.Poll;

/**
 * A small per-thread native buffer for the arguments of hot-path calls (timespec, pollfd, two pollfds, kevent, a doorbell byte),
 * so that no call allocates. Java writes it through a native-order direct {@link ByteBuffer}; native code reads it
 * through its address. Each slot is used only within one call.
 */
final class NativeScratch
{
    /** Offset of a {@code struct timespec} (16 bytes). */
    static final int TIMESPEC = 0;
    /** Offset of a {@code struct pollfd} (8 bytes). */
    static final int POLLFD = 16;
    /** Offset of a {@code struct kevent} (32 bytes, 8-byte aligned). */
    static final int KEVENT = 24;
    /** Offset of a byte buffer for doorbells ({@value #BYTES_LENGTH} bytes). */
    static final int BYTES = 64;
    /** Length of the byte buffer. */
    static final int BYTES_LENGTH = 64;
    /** Offset of two consecutive {@code struct pollfd}s (16 bytes), for {@code UnixSocket.pollEither}. */
    static final int POLLFD_PAIR = BYTES + BYTES_LENGTH;

    private static final int SIZE = POLLFD_PAIR + 2 * Poll.SIZEOF_POLLFD;

    private static final ThreadLocal<NativeScratch> SCRATCH = ThreadLocal.withInitial(NativeScratch::new);

    /** The buffer, native byte order; absolute accesses only. */
    final ByteBuffer buffer;
    /** The native address of the buffer. */
    final long address;

    private NativeScratch()
    {
        buffer = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
        address = addressOf(buffer);
    }

    static NativeScratch get()
    {
        return SCRATCH.get();
    }

    static long addressOf(final ByteBuffer direct)
    {
        if (!direct.isDirect())
        {
            throw new IllegalArgumentException("buffer must be direct: buffer=" + direct);
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}
