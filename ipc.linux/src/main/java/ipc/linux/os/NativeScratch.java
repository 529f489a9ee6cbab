package ipc.linux.os;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ipc.linux.jna.Socket;
import ipc.linux.jna.Stat;
import ipc.linux.jna.Un;

/**
 * A small per-thread native buffer for the arguments of hot-path calls (timespec, eventfd counter, pollfd,
 * epoll_event, doorbell bytes) and of the connection set-up's {@code statx}, socket address, credentials and
 * messages, so that no call allocates (a JNA
 * {@code Structure} argument costs tens of microseconds a call: it is written and read back field by field). Java code writes it through a native-order direct
 * {@link ByteBuffer}; native code reads it through its address. Each slot is used only within one call, so slots
 * never conflict.
 */
final class NativeScratch
{
    /** Offset of a {@code struct timespec} (16 bytes). */
    static final int TIMESPEC = 0;
    /** Offset of an 8-byte {@code uint64_t} (eventfd counter). */
    static final int COUNTER = 16;
    /** Offset of a {@code struct pollfd} (8 bytes). */
    static final int POLLFD = 24;
    /** Offset of a {@code struct epoll_event} (at most 16 bytes, 8-byte aligned). */
    static final int EPOLL_EVENT = 32;
    /** Offset of an array of two {@code struct pollfd} (16 bytes). */
    static final int POLLFD_PAIR = 48;
    /** Offset of the bytes a doorbell rings with or is drained into ({@link Doorbell#DRAIN_CHUNK} bytes). */
    static final int DOORBELL = 64;

    /** Offset of a {@code struct statx} ({@link Stat#SIZEOF_STATX} bytes, 8-byte aligned). */
    static final int STATX = (DOORBELL + Doorbell.DRAIN_CHUNK + 7) & ~7;

    /** Offset of a {@code struct msghdr} ({@link Socket#SIZEOF_MSGHDR} bytes, 8-byte aligned). */
    static final int MSGHDR = STATX + Stat.SIZEOF_STATX;
    /** Offset of the one {@code struct iovec} of a message ({@link Socket#SIZEOF_IOVEC} bytes). */
    static final int IOVEC = MSGHDR + Socket.SIZEOF_MSGHDR;
    /** Offset of a message's control buffer ({@link ScmRights#CONTROL_CAPACITY} bytes, 8-byte aligned). */
    static final int CONTROL = IOVEC + Socket.SIZEOF_IOVEC;

    /** Offset of a {@code struct sockaddr_un} ({@link Un#SIZEOF_SOCKADDR_UN} bytes). */
    static final int SOCKADDR = CONTROL + ScmRights.CONTROL_CAPACITY;
    /** Offset of a {@code struct ucred} ({@link Socket#SIZEOF_UCRED} bytes, 4-byte aligned). */
    static final int UCRED = (SOCKADDR + Un.SIZEOF_SOCKADDR_UN + 7) & ~7;
    /** Offset of a {@code socklen_t} (4 bytes). */
    static final int SOCKLEN = UCRED + Socket.SIZEOF_UCRED;

    private static final int SIZE = SOCKLEN + Integer.BYTES;

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

    /**
     * Returns the calling thread's scratch buffer.
     *
     * @return the buffer, created at the thread's first call.
     */
    static NativeScratch get()
    {
        return SCRATCH.get();
    }

    /**
     * Returns the native address of a direct buffer's first byte (ignoring its position).
     *
     * @param direct a direct buffer.
     * @return its address.
     */
    static long addressOf(final ByteBuffer direct)
    {
        if (!direct.isDirect())
        {
            throw new IllegalArgumentException("buffer must be direct: buffer=" + direct);
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}
