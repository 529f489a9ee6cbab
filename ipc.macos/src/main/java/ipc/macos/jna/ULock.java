package ipc.macos.jna;

/**
 * Constants of xnu {@code bsd/sys/ulock.h}, a <b>private</b> header (not in the SDK): the kernel's compare-and-wait
 * primitive behind libplatform's {@code os_sync_wait_on_address}. Used only where that public API is missing
 * (before macOS 14.4). The functions are in {@link ULockLib}, bound only once a run-time lookup has found them.
 */
public final class ULock
{
    /** The symbol of the wait with a 64-bit nanosecond timeout, syscall 544, from macOS 11 ({@code ulock.h:70-73}). */
    public static final String WAIT2_SYMBOL = "__ulock_wait2";
    /** The symbol of the wake, syscall 516 ({@code ulock.h:74}). */
    public static final String WAKE_SYMBOL = "__ulock_wake";

    /** Compare-and-wait on a 32-bit word, process private ({@code ulock.h:84}); never used here. */
    public static final int UL_COMPARE_AND_WAIT = 1;
    /** Compare-and-wait on a 32-bit word in shared memory ({@code ulock.h:86}). */
    public static final int UL_COMPARE_AND_WAIT_SHARED = 3;
    /** Wake flag: wake every waiter ({@code ulock.h:101}). */
    public static final int ULF_WAKE_ALL = 0x00000100;
    /** Flag: return {@code -errno} instead of setting {@code errno} ({@code ulock.h:131}). */
    public static final int ULF_NO_ERRNO = 0x01000000;

    private ULock()
    {
    }
}
