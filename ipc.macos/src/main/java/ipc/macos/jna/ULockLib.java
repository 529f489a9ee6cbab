package ipc.macos.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The private {@code __ulock_wait2} / {@code __ulock_wake} system call wrappers of {@code libsystem_kernel}
 * (xnu {@code bsd/sys/ulock.h:70-74}, under {@code #if PRIVATE}), direct-mapped for the hot path. Touch this class
 * only after a run-time lookup found both symbols ({@link ULock#WAIT2_SYMBOL}, {@link ULock#WAKE_SYMBOL}).
 * Called with {@link ULock#ULF_NO_ERRNO}, so they return {@code -errno} rather than setting {@code errno}.
 */
public final class ULockLib
{
    static
    {
        Native.register(ULockLib.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private ULockLib()
    {
    }

    /**
     * Sleeps while the word at {@code addr} holds {@code value}.
     *
     * @param operation {@link ULock#UL_COMPARE_AND_WAIT_SHARED} | {@link ULock#ULF_NO_ERRNO}.
     * @param addr      the word's address.
     * @param value     the expected value.
     * @param timeout   the relative timeout in nanoseconds; 0 waits without limit.
     * @param value2    0.
     * @return the number of waiters left (&ge; 0), or {@code -errno} ({@code -ETIMEDOUT}, {@code -EINTR},
     *         {@code -EFAULT}).
     */
    public static native int __ulock_wait2(int operation, long addr, long value, long timeout, long value2);

    /**
     * Wakes a thread waiting on the word at {@code addr}.
     *
     * @param operation  {@link ULock#UL_COMPARE_AND_WAIT_SHARED} | {@link ULock#ULF_NO_ERRNO}.
     * @param addr       the word's address.
     * @param wake_value 0.
     * @return 0, or {@code -errno} ({@code -ENOENT}: nobody waited).
     */
    public static native int __ulock_wake(int operation, long addr, long wake_value);
}
