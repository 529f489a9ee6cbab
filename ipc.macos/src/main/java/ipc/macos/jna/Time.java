package ipc.macos.jna;

/**
 * Layout of {@code struct timespec} (xnu {@code bsd/sys/_types/_timespec.h:35-36}: {@code __darwin_time_t tv_sec;
 * long tv_nsec;}, both 8 bytes on x86_64 and arm64).
 */
public final class Time
{
    /** {@code sizeof(struct timespec)}. */
    public static final int SIZEOF_TIMESPEC = 16;
    /** {@code offsetof(struct timespec, tv_sec)}. */
    public static final int TIMESPEC_TV_SEC_OFFSET = 0;
    /** {@code offsetof(struct timespec, tv_nsec)}. */
    public static final int TIMESPEC_TV_NSEC_OFFSET = 8;

    private Time()
    {
    }
}
