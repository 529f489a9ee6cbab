package ipc.bench;

import java.lang.management.ManagementFactory;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * This process's CPU time, all threads, user and system, in nanoseconds: {@code clock_gettime} of
 * {@code CLOCK_PROCESS_CPUTIME_ID} through JNA. Not {@code OperatingSystemMXBean.getProcessCpuTime}: on Linux the
 * JDK computes it with {@code times()}, in clock ticks of 10 ms (seen here: every per-slice figure a multiple of
 * 10 ms), far too coarse for a slice of a few milliseconds of CPU; {@code /proc/<pid>/stat} has the same ticks.
 * Where the C call is not available (not Linux, or not a 64-bit {@code long}), it falls back to the MXBean.
 */
final class ProcessCpu
{
    /** {@code CLOCK_PROCESS_CPUTIME_ID} in Linux's {@code <linux/time.h>}. */
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final boolean NATIVE = bind();

    private ProcessCpu()
    {
    }

    /**
     * {@code int clock_gettime(clockid_t clockid, struct timespec *tp)}: {@code tp} is passed as two 64-bit
     * longs, {@code tv_sec} and {@code tv_nsec}, the layout of {@code struct timespec} on LP64 Linux.
     *
     * @param clockid the clock.
     * @param tp      receives seconds and nanoseconds.
     * @return 0 on success, -1 on error.
     */
    private static native int clock_gettime(int clockid, long[] tp);

    private static boolean bind()
    {
        if (!Platform.isLinux() || Native.LONG_SIZE != Long.BYTES)
        {
            return false;
        }
        try
        {
            Native.register(ProcessCpu.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        }
        catch (final UnsatisfiedLinkError ex)
        {
            return false;
        }
    }

    /** What {@link #nanos()} reads, for the report. */
    static String source()
    {
        return NATIVE ? "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)" : "OperatingSystemMXBean.getProcessCpuTime()";
    }

    /**
     * This process's CPU time so far.
     *
     * @return nanoseconds, or -1 if it cannot be read.
     */
    static long nanos()
    {
        if (NATIVE)
        {
            final long[] tp = new long[2];
            if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, tp) == 0)
            {
                return tp[0] * 1_000_000_000L + tp[1];
            }
            return -1;
        }
        final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ?
            ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : -1;
    }
}
