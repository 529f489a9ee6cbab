package ipc.macos.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * {@code os_sync_wait_on_address_with_timeout} and {@code os_sync_wake_by_address_any} (libplatform
 * {@code include/os/os_sync_wait_on_address.h}, macOS 14.4+, in {@code libsystem_platform}, re-exported by
 * {@code libSystem}), direct-mapped for the hot path. Touch this class only after a run-time lookup found both
 * symbols ({@link OsSync#WAIT_SYMBOL}, {@link OsSync#WAKE_SYMBOL}): registering it on an older system fails with
 * {@link UnsatisfiedLinkError}, which is why nothing links it unconditionally.
 */
public final class OsSyncLib
{
    static
    {
        Native.register(OsSyncLib.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private OsSyncLib()
    {
    }

    /**
     * Sleeps while the {@code size}-byte word at {@code addr} holds {@code value} ({@code :265-273}).
     *
     * @param addr       the word's address.
     * @param value      the expected value.
     * @param size       4.
     * @param flags      {@link OsSync#OS_SYNC_WAIT_ON_ADDRESS_SHARED}.
     * @param clockid    {@link OsSync#OS_CLOCK_MACH_ABSOLUTE_TIME}.
     * @param timeout_ns the relative timeout, greater than 0 (0 gives {@code EINVAL}).
     * @return the number of waiters left (&ge; 0), or -1 with {@code errno} ({@code ETIMEDOUT}, {@code EINTR},
     *         {@code EFAULT}, {@code EINVAL}, {@code ENOMEM}).
     */
    public static native int os_sync_wait_on_address_with_timeout(long addr, long value, long size, int flags,
        int clockid, long timeout_ns);

    /**
     * Wakes one thread waiting on the word at {@code addr} ({@code :336-341}).
     *
     * @param addr  the word's address.
     * @param size  4.
     * @param flags {@link OsSync#OS_SYNC_WAKE_BY_ADDRESS_SHARED}.
     * @return 0, or -1 with {@code errno} ({@code ENOENT}: nobody waited).
     */
    public static native int os_sync_wake_by_address_any(long addr, long size, int flags);
}
