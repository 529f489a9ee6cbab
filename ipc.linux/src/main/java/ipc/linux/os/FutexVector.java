package ipc.linux.os;

import static ipc.linux.jna.Futex.FUTEX2_PRIVATE;
import static ipc.linux.jna.Futex.FUTEX2_SIZE_U32;
import static ipc.linux.jna.Futex.FUTEX_WAITV_FLAGS_OFFSET;
import static ipc.linux.jna.Futex.FUTEX_WAITV_MAX;
import static ipc.linux.jna.Futex.FUTEX_WAITV_RESERVED_OFFSET;
import static ipc.linux.jna.Futex.FUTEX_WAITV_UADDR_OFFSET;
import static ipc.linux.jna.Futex.FUTEX_WAITV_VAL_OFFSET;
import static ipc.linux.jna.Futex.SIZEOF_FUTEX_WAITV;
import static ipc.linux.jna.Futex.SYS_futex_waitv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Native;

import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Time;

/**
 * Sleeps on up to {@value ipc.linux.jna.Futex#FUTEX_WAITV_MAX} 32-bit words at once with {@code futex_waitv} (Linux
 * 5.16): until a waker wakes one of them, or one no longer holds the value it was added with (the kernel compares
 * every word atomically with going to sleep, so a change made before the call returns at once), or the timeout
 * passes. The words may be shared with other processes (a segment's wait words) or private to this one.
 *
 * <p>One thread uses an instance: the waiter array and the timeout live in a native buffer of its own, so a wait
 * allocates nothing. Layout of {@code struct futex_waitv} and the call's contract: {@code include/uapi/linux/futex.h}
 * and {@code kernel/futex/syscalls.c} ({@code flags} must be 0, the timeout is absolute on the given clock).
 */
public final class FutexVector
{
    /** Most words one wait takes. */
    public static final int MAX_WORDS = FUTEX_WAITV_MAX;
    /** {@link #await}: one of the words did not hold its value ({@code EAGAIN}); returned at once. */
    public static final int MISMATCH = -1;
    /** {@link #await}: the timeout passed. */
    public static final int TIMED_OUT = -2;
    /** {@link #await}: a signal interrupted the wait. */
    public static final int INTERRUPTED = -3;
    /** {@link #await}: a word's address is not mapped any more ({@code EFAULT}): the memory it was in went away. */
    public static final int FAULT = -4;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int TIMESPEC = MAX_WORDS * SIZEOF_FUTEX_WAITV;

    private static volatile Boolean supported;

    private final ByteBuffer buffer;
    private final long address;
    private int count;

    /** An empty set of words. */
    public FutexVector()
    {
        buffer = ByteBuffer.allocateDirect(TIMESPEC + Time.SIZEOF_TIMESPEC).order(ByteOrder.nativeOrder());
        address = NativeScratch.addressOf(buffer);
    }

    /**
     * Whether this kernel has {@code futex_waitv}: asked once, by a wait on a private word that does not hold the
     * expected value (which returns at once).
     *
     * @return {@code true} if it can be used.
     */
    public static boolean isSupported()
    {
        Boolean known = supported;
        if (null == known)
        {
            known = probe();
            supported = known;
        }
        return known;
    }

    private static boolean probe()
    {
        if (SYS_futex_waitv < 0)
        {
            return false;
        }
        final FutexVector vector = new FutexVector();
        final ByteBuffer word = ByteBuffer.allocateDirect(Integer.BYTES);
        vector.add(NativeScratch.addressOf(word), 1, true);
        try
        {
            return vector.await(0) == MISMATCH;
        }
        catch (final IpcException ex)
        {
            return false;
        }
    }

    /** Empties the set. */
    public void clear()
    {
        count = 0;
    }

    /**
     * How many words the set holds.
     *
     * @return 0 to {@link #MAX_WORDS}.
     */
    public int size()
    {
        return count;
    }

    /**
     * Adds a word to the set.
     *
     * @param wordAddress    the word's address, 4-byte aligned.
     * @param expected       the value the word must hold for the thread to sleep.
     * @param processPrivate whether the word is in memory private to this process (cheaper for the kernel).
     * @return its index, which {@link #await} returns when a waker wakes it.
     * @throws IllegalStateException if the set is full.
     */
    public int add(final long wordAddress, final int expected, final boolean processPrivate)
    {
        if (count == MAX_WORDS)
        {
            throw new IllegalStateException("futex_waitv takes at most " + MAX_WORDS + " words");
        }
        final int offset = count * SIZEOF_FUTEX_WAITV;
        buffer.putLong(offset + FUTEX_WAITV_VAL_OFFSET, expected & 0xFFFF_FFFFL);
        buffer.putLong(offset + FUTEX_WAITV_UADDR_OFFSET, wordAddress);
        buffer.putInt(offset + FUTEX_WAITV_FLAGS_OFFSET, FUTEX2_SIZE_U32 | (processPrivate ? FUTEX2_PRIVATE : 0));
        buffer.putInt(offset + FUTEX_WAITV_RESERVED_OFFSET, 0);
        return count++;
    }

    /**
     * Sleeps until a word of the set is woken or changed, or the timeout passes.
     *
     * @param timeoutNanos how long at most; negative waits without limit, 0 only compares the words.
     * @return the index of the word a waker woke, or {@link #MISMATCH}, {@link #TIMED_OUT}, {@link #INTERRUPTED},
     *         {@link #FAULT}.
     * @throws IpcException if the kernel refuses the call otherwise (no {@code futex_waitv}, a bad argument).
     */
    public int await(final long timeoutNanos) throws IpcException
    {
        long timeout = 0L;
        if (timeoutNanos >= 0)
        {
            // The timeout is absolute: now on the monotonic clock, plus the wait.
            final long timespec = address + TIMESPEC;
            if (LibC.clock_gettime(Time.CLOCK_MONOTONIC, timespec) != 0)
            {
                throw LinuxErrors.exception("clock_gettime(CLOCK_MONOTONIC)", Native.getLastError(), "");
            }
            final long wait = Math.min(timeoutNanos, Long.MAX_VALUE / 4);
            final long nanos = buffer.getLong(TIMESPEC + Time.TIMESPEC_TV_NSEC_OFFSET) + wait % NANOS_PER_SECOND;
            final long seconds = buffer.getLong(TIMESPEC + Time.TIMESPEC_TV_SEC_OFFSET) + wait / NANOS_PER_SECOND +
                nanos / NANOS_PER_SECOND;
            buffer.putLong(TIMESPEC + Time.TIMESPEC_TV_SEC_OFFSET, seconds);
            buffer.putLong(TIMESPEC + Time.TIMESPEC_TV_NSEC_OFFSET, nanos % NANOS_PER_SECOND);
            timeout = timespec;
        }
        final long result = LibC.syscall(SYS_futex_waitv, address, count, 0L, timeout, Time.CLOCK_MONOTONIC, 0L);
        if (result >= 0)
        {
            return (int)result;
        }
        final int errno = Native.getLastError();
        switch (errno)
        {
            case Errno.EAGAIN:
                return MISMATCH;
            case Errno.ETIMEDOUT:
                return TIMED_OUT;
            case Errno.EINTR:
                return INTERRUPTED;
            case Errno.EFAULT:
                return FAULT;
            default:
                throw LinuxErrors.exception("futex_waitv", errno, "words=" + count);
        }
    }

    /**
     * Wakes the threads of this process sleeping on a private word (the other side of a word added with
     * {@code processPrivate}).
     *
     * @param wordAddress the word's address.
     * @throws IpcException if the kernel refuses the call.
     */
    public static void wakePrivate(final long wordAddress) throws IpcException
    {
        final long result = LibC.syscall(ipc.linux.jna.Futex.SYS_futex, wordAddress,
            ipc.linux.jna.Futex.FUTEX_WAKE | ipc.linux.jna.Futex.FUTEX_PRIVATE_FLAG, Integer.MAX_VALUE, 0L, 0L, 0L);
        if (result < 0)
        {
            throw LinuxErrors.exception("futex(FUTEX_WAKE_PRIVATE)", Native.getLastError(),
                "address=0x" + Long.toHexString(wordAddress));
        }
    }
}
