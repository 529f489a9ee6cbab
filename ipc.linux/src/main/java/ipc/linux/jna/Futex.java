package ipc.linux.jna;

import com.sun.jna.Platform;

/**
 * Constants of {@code <linux/futex.h>} and the {@code futex} system call number of {@code <asm/unistd.h>}.
 * glibc has no {@code futex} wrapper: it is reached through {@link LibC#syscall}.
 */
public final class Futex
{
    /** Sleep if the word still holds the expected value. */
    public static final int FUTEX_WAIT = 0;
    /** Wake up to {@code val} waiters. */
    public static final int FUTEX_WAKE = 1;
    /**
     * Flag: the futex is private to the process (faster). Not used by this backend: its words live in memory
     * shared with another process.
     */
    public static final int FUTEX_PRIVATE_FLAG = 128;

    /** {@code SYS_futex} on x86_64 ({@code __NR_futex} in {@code asm/unistd_64.h}). */
    public static final long SYS_futex_x86_64 = 202;
    /** {@code SYS_futex} on aarch64 ({@code __NR_futex} in {@code asm-generic/unistd.h}). */
    public static final long SYS_futex_aarch64 = 98;
    /** {@code SYS_futex} on this architecture, or -1 when the architecture is not supported. */
    public static final long SYS_futex;

    static
    {
        if (Platform.isIntel() && Platform.is64Bit())
        {
            SYS_futex = SYS_futex_x86_64;
        }
        else if (Platform.isARM() && Platform.is64Bit())
        {
            SYS_futex = SYS_futex_aarch64;
        }
        else
        {
            SYS_futex = -1;
        }
    }

    private Futex()
    {
    }
}
