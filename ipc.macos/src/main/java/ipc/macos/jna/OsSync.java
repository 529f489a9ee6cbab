package ipc.macos.jna;

/**
 * Constants of libplatform {@code include/os/os_sync_wait_on_address.h} (libplatform-375.100.10,
 * {@code 2512ffd8bb5c6caff3c8ea83331ab8a0adc820c3}; available from macOS 14.4) and of libdispatch
 * {@code os/clock.h}. The functions are in {@link OsSyncLib}, bound only once a run-time lookup has found them.
 */
public final class OsSync
{
    /** The symbol of the wait with a relative timeout ({@code os_sync_wait_on_address.h:265-273}). */
    public static final String WAIT_SYMBOL = "os_sync_wait_on_address_with_timeout";
    /** The symbol of the wake of one waiter ({@code os_sync_wait_on_address.h:336-341}). */
    public static final String WAKE_SYMBOL = "os_sync_wake_by_address_any";

    /** Wait flag: no option ({@code os_sync_wait_on_address.h:62-63}). */
    public static final int OS_SYNC_WAIT_ON_ADDRESS_NONE = 0x00000000;
    /** Wait flag: the address is in memory shared between processes ({@code os_sync_wait_on_address.h:64-65}). */
    public static final int OS_SYNC_WAIT_ON_ADDRESS_SHARED = 0x00000001;
    /** Wake flag: no option ({@code os_sync_wait_on_address.h:296-297}). */
    public static final int OS_SYNC_WAKE_BY_ADDRESS_NONE = 0x00000000;
    /** Wake flag: the address is in memory shared between processes ({@code os_sync_wait_on_address.h:298-299}). */
    public static final int OS_SYNC_WAKE_BY_ADDRESS_SHARED = 0x00000001;
    /**
     * The only clock id ({@code os/clock.h:14-16}); libplatform refuses any other with {@code EINVAL}
     * ({@code src/os/lock.c:1412}).
     */
    public static final int OS_CLOCK_MACH_ABSOLUTE_TIME = 32;

    private OsSync()
    {
    }
}
