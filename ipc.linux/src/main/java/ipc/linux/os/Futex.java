package ipc.linux.os;

import static ipc.linux.jna.Futex.FUTEX_WAIT;
import static ipc.linux.jna.Futex.FUTEX_WAKE;
import static ipc.linux.jna.Futex.SYS_futex;

import com.sun.jna.Native;
import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Time;

/**
 * Waits on and wakes a 32-bit word in shared memory with the Linux {@code futex} system call. The operations are
 * the shared ones ({@code FUTEX_WAIT}/{@code FUTEX_WAKE}, not the {@code _PRIVATE} variants): the word lives in a
 * segment mapped by two processes. Neither call allocates: the timeout goes through a per-thread native
 * {@code timespec}.
 */
public final class Futex
{
    /** {@link #futexWait}: woken by {@link #futexWake} (or spuriously: always re-check the word). */
    public static final int WOKEN = 0;
    /** {@link #futexWait}: the timeout expired. */
    public static final int TIMED_OUT = 1;
    /** {@link #futexWait}: the word did not hold the expected value ({@code EAGAIN}); returned at once. */
    public static final int VALUE_MISMATCH = 2;
    /** {@link #futexWait}: interrupted by a signal ({@code EINTR}). */
    public static final int INTERRUPTED = 3;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Futex()
    {
    }

    /**
     * Sleeps while the word at {@code address} holds {@code expected}, until woken, the timeout expires, or a
     * signal arrives. The kernel compares the word and sleeps atomically with respect to {@link #futexWake}, so
     * a wake-up that follows a change of the word is never lost.
     *
     * @param address      the address of the word, 4-byte aligned, in a shared mapping.
     * @param expected     the value the word must hold for the thread to sleep.
     * @param timeoutNanos the relative timeout in nanoseconds; negative means no timeout.
     * @return {@link #WOKEN}, {@link #TIMED_OUT}, {@link #VALUE_MISMATCH} or {@link #INTERRUPTED}.
     * @throws IpcException when the kernel refuses the call (bad address, misaligned word, no futex support).
     */
    public static int futexWait(final long address, final int expected, final long timeoutNanos) throws IpcException
    {
        long timeout = 0L;
        if (timeoutNanos >= 0)
        {
            final NativeScratch scratch = NativeScratch.get();
            scratch.buffer.putLong(NativeScratch.TIMESPEC + Time.TIMESPEC_TV_SEC_OFFSET, timeoutNanos / NANOS_PER_SECOND);
            scratch.buffer.putLong(NativeScratch.TIMESPEC + Time.TIMESPEC_TV_NSEC_OFFSET, timeoutNanos % NANOS_PER_SECOND);
            timeout = scratch.address + NativeScratch.TIMESPEC;
        }
        final long result = LibC.syscall(SYS_futex, address, FUTEX_WAIT, expected & 0xFFFF_FFFFL, timeout, 0L, 0L);
        if (result == 0)
        {
            return WOKEN;
        }
        final int errno = Native.getLastError();
        switch (errno)
        {
            case Errno.ETIMEDOUT:
                return TIMED_OUT;
            case Errno.EAGAIN:
                return VALUE_MISMATCH;
            case Errno.EINTR:
                return INTERRUPTED;
            default:
                throw LinuxErrors.exception("futex(FUTEX_WAIT)", errno,
                    "address=0x" + Long.toHexString(address) + " expected=" + expected);
        }
    }

    /**
     * Wakes up to {@code count} threads, of any process, sleeping on the word at {@code address}.
     *
     * @param address the address of the word, 4-byte aligned, in a shared mapping.
     * @param count   the maximum number of threads to wake, e.g. 1, or {@link Integer#MAX_VALUE} for all.
     * @return the number of threads woken.
     * @throws IpcException when the kernel refuses the call.
     */
    public static int futexWake(final long address, final int count) throws IpcException
    {
        final long result = LibC.syscall(SYS_futex, address, FUTEX_WAKE, count, 0L, 0L, 0L);
        if (result < 0)
        {
            final int errno = Native.getLastError();
            throw LinuxErrors.exception("futex(FUTEX_WAKE)", errno,
                "address=0x" + Long.toHexString(address) + " count=" + count);
        }
        return (int) result;
    }
}
