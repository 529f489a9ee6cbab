package ipc.macos.os;

import ipc.api.IpcException;
import ipc.macos.jna.Errno;
import ipc.macos.jna.OsSync;
import ipc.macos.jna.OsSyncLib;
import ipc.macos.jna.ULock;
import ipc.macos.jna.ULockLib;

/**
 * Waits on and wakes a 32-bit word in shared memory, the macOS counterpart of a shared futex, with the mechanism
 * {@link WaitMechanism#current()} chose ({@link WaitMechanism#OS_SYNC} or {@link WaitMechanism#ULOCK}). Both use
 * the SHARED operations, since the word is in a segment mapped by two processes; both are the same kernel
 * primitive, so two processes that chose differently still wake each other. Neither call allocates.
 */
public final class AddressWait
{
    /** {@link #await}: woken, or the word no longer held the value (always re-check it). */
    public static final int WOKEN = 0;
    /** {@link #await}: the timeout expired. */
    public static final int TIMED_OUT = 1;
    /** {@link #await}: interrupted ({@code EINTR}). */
    public static final int INTERRUPTED = 2;

    private static final long WORD_SIZE = 4;

    private AddressWait()
    {
    }

    /**
     * Sleeps while the word at {@code address} holds {@code expected}, at most {@code timeoutNanos}. The kernel
     * compares and sleeps atomically with respect to {@link #wake}.
     *
     * @param mechanism    {@link WaitMechanism#OS_SYNC} or {@link WaitMechanism#ULOCK}.
     * @param address      the word, 4-byte aligned, in a shared mapping.
     * @param expected     the value it must hold for the thread to sleep.
     * @param timeoutNanos greater than zero (the caller returns at once otherwise).
     * @return {@link #WOKEN}, {@link #TIMED_OUT} or {@link #INTERRUPTED}.
     * @throws IpcException when the kernel refuses (bad address).
     */
    public static int await(final WaitMechanism mechanism, final long address, final int expected,
        final long timeoutNanos) throws IpcException
    {
        final long value = expected & 0xFFFF_FFFFL;
        final int errno;
        if (mechanism == WaitMechanism.OS_SYNC)
        {
            if (OsSyncLib.os_sync_wait_on_address_with_timeout(address, value, WORD_SIZE,
                OsSync.OS_SYNC_WAIT_ON_ADDRESS_SHARED, OsSync.OS_CLOCK_MACH_ABSOLUTE_TIME, timeoutNanos) >= 0)
            {
                return WOKEN;
            }
            errno = com.sun.jna.Native.getLastError();
        }
        else
        {
            final int result = ULockLib.__ulock_wait2(ULock.UL_COMPARE_AND_WAIT_SHARED | ULock.ULF_NO_ERRNO, address,
                value, timeoutNanos, 0L);
            if (result >= 0)
            {
                return WOKEN;
            }
            errno = -result;
        }
        switch (errno)
        {
            case Errno.ETIMEDOUT:
                return TIMED_OUT;
            case Errno.EINTR:
                return INTERRUPTED;
            default:
                throw MacErrors.exception(mechanism == WaitMechanism.OS_SYNC ? OsSync.WAIT_SYMBOL : ULock.WAIT2_SYMBOL,
                    errno, "address=0x" + Long.toHexString(address) + " expected=" + expected);
        }
    }

    /**
     * Wakes a thread, of any process, sleeping on the word at {@code address}. Nobody waiting is not an error.
     *
     * @param mechanism {@link WaitMechanism#OS_SYNC} or {@link WaitMechanism#ULOCK}.
     * @param address   the word, 4-byte aligned, in a shared mapping.
     * @throws IpcException when the kernel refuses.
     */
    public static void wake(final WaitMechanism mechanism, final long address) throws IpcException
    {
        final int errno;
        if (mechanism == WaitMechanism.OS_SYNC)
        {
            if (OsSyncLib.os_sync_wake_by_address_any(address, WORD_SIZE, OsSync.OS_SYNC_WAKE_BY_ADDRESS_SHARED) == 0)
            {
                return;
            }
            errno = com.sun.jna.Native.getLastError();
        }
        else
        {
            final int result = ULockLib.__ulock_wake(ULock.UL_COMPARE_AND_WAIT_SHARED | ULock.ULF_NO_ERRNO, address,
                0L);
            if (result >= 0)
            {
                return;
            }
            errno = -result;
        }
        if (errno != Errno.ENOENT && errno != Errno.EINTR)
        {
            throw MacErrors.exception(mechanism == WaitMechanism.OS_SYNC ? OsSync.WAKE_SYMBOL : ULock.WAKE_SYMBOL,
                errno, "address=0x" + Long.toHexString(address));
        }
    }
}
