package ipc.linux.jna;

/**
 * The {@code errno} values of {@code <asm-generic/errno-base.h>} and {@code <asm-generic/errno.h>} used by the
 * backend. The same numbers on x86_64 and aarch64.
 */
public final class Errno
{
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Bad file number. */
    public static final int EBADF = 9;
    /** Try again (the same value as {@code EWOULDBLOCK}). */
    public static final int EAGAIN = 11;
    /** Operation would block. */
    public static final int EWOULDBLOCK = EAGAIN;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** File exists. */
    public static final int EEXIST = 17;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** File table overflow. */
    public static final int ENFILE = 23;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** Broken pipe. */
    public static final int EPIPE = 32;
    /** File name too long. */
    public static final int ENAMETOOLONG = 36;
    /** Invalid system call number. */
    public static final int ENOSYS = 38;
    /** Socket operation on non-socket. */
    public static final int ENOTSOCK = 88;
    /** Address already in use. */
    public static final int EADDRINUSE = 98;
    /** Software caused connection abort. */
    public static final int ECONNABORTED = 103;
    /** Connection reset by peer. */
    public static final int ECONNRESET = 104;
    /** Connection timed out. */
    public static final int ETIMEDOUT = 110;
    /** Connection refused. */
    public static final int ECONNREFUSED = 111;
    /** Operation now in progress. */
    public static final int EINPROGRESS = 115;

    private Errno()
    {
    }
}
