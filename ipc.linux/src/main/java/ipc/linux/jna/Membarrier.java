package ipc.linux.jna;

import com.sun.jna.Platform;

/**
 * Constants of {@code <linux/membarrier.h>} (Linux 4.16 for the global expedited commands) and the
 * {@code membarrier} system call number. glibc has no wrapper: it is reached through {@link LibC#syscall}.
 */
public final class Membarrier
{
    /** Returns the bit mask of the commands this kernel supports. */
    public static final int MEMBARRIER_CMD_QUERY = 0;
    /**
     * A memory barrier on every running thread of every process that registered with
     * {@link #MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED} (and on the caller), by inter-processor interrupts.
     */
    public static final int MEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1;
    /** This process's threads take part in {@link #MEMBARRIER_CMD_GLOBAL_EXPEDITED}. */
    public static final int MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;

    /** {@code __NR_membarrier} on x86_64 ({@code asm/unistd_64.h}). */
    public static final long SYS_membarrier_x86_64 = 324;
    /** {@code __NR_membarrier} on aarch64 ({@code asm-generic/unistd.h}). */
    public static final long SYS_membarrier_aarch64 = 283;
    /** {@code SYS_membarrier} on this architecture, or -1 when the architecture is not supported. */
    public static final long SYS_membarrier;

    static
    {
        if (Platform.isIntel() && Platform.is64Bit())
        {
            SYS_membarrier = SYS_membarrier_x86_64;
        }
        else if (Platform.isARM() && Platform.is64Bit())
        {
            SYS_membarrier = SYS_membarrier_aarch64;
        }
        else
        {
            SYS_membarrier = -1;
        }
    }

    private Membarrier()
    {
    }
}
