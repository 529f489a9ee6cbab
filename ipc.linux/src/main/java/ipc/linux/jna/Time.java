package ipc.linux.jna;

/**
 * Layout of {@code struct timespec} of {@code <time.h>} on 64-bit Linux: {@code time_t tv_sec; long tv_nsec;}.
 * Hot-path callers write it into their own native scratch memory through these offsets.
 */
public final class Time
{
    /** {@code sizeof(struct timespec)}. */
    public static final int SIZEOF_TIMESPEC = 16;
    /** {@code CLOCK_MONOTONIC} of {@code <linux/time.h>}: the clock of {@code System.nanoTime()} in HotSpot on Linux. */
    public static final int CLOCK_MONOTONIC = 1;
    /** {@code offsetof(struct timespec, tv_sec)}. */
    public static final int TIMESPEC_TV_SEC_OFFSET = 0;
    /** {@code offsetof(struct timespec, tv_nsec)}. */
    public static final int TIMESPEC_TV_NSEC_OFFSET = 8;

    private Time()
    {
    }
}
