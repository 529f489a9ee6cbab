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

    /** {@code futex_waitv} waiter flag ({@code <linux/futex.h>}): the word is 32 bits wide. */
    public static final int FUTEX2_SIZE_U32 = 0x02;
    /** {@code futex_waitv} waiter flag: the word is private to the process. */
    public static final int FUTEX2_PRIVATE = FUTEX_PRIVATE_FLAG;
    /** Most waiters one {@code futex_waitv} call takes ({@code FUTEX_WAITV_MAX}). */
    public static final int FUTEX_WAITV_MAX = 128;
    /** {@code sizeof(struct futex_waitv)}: {@code __u64 val; __u64 uaddr; __u32 flags; __u32 __reserved;}. */
    public static final int SIZEOF_FUTEX_WAITV = 24;
    /** {@code offsetof(struct futex_waitv, val)}. */
    public static final int FUTEX_WAITV_VAL_OFFSET = 0;
    /** {@code offsetof(struct futex_waitv, uaddr)}. */
    public static final int FUTEX_WAITV_UADDR_OFFSET = 8;
    /** {@code offsetof(struct futex_waitv, flags)}. */
    public static final int FUTEX_WAITV_FLAGS_OFFSET = 16;
    /** {@code offsetof(struct futex_waitv, __reserved)}: must be zero. */
    public static final int FUTEX_WAITV_RESERVED_OFFSET = 20;
    /**
     * {@code SYS_futex_waitv} (Linux 5.16): 449 on x86_64 ({@code arch/x86/entry/syscalls/syscall_64.tbl}) and on
     * aarch64 ({@code include/uapi/asm-generic/unistd.h}), -1 elsewhere.
     */
    public static final long SYS_futex_waitv;

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
            SYS_futex_waitv = 449;
        }
        else if (Platform.isARM() && Platform.is64Bit())
        {
            SYS_futex = SYS_futex_aarch64;
            SYS_futex_waitv = 449;
        }
        else
        {
            SYS_futex = -1;
            SYS_futex_waitv = -1;
        }
    }

    private Futex()
    {
    }
}
