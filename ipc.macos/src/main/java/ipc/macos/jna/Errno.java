package ipc.macos.jna;

/**
 * The {@code errno} values of xnu {@code bsd/sys/errno.h} used by the backend. The same numbers on x86_64 and
 * arm64; many differ from Linux ({@code EAGAIN} is 35 here, 11 there).
 */
public final class Errno
{
    /** Operation not permitted ({@code errno.h:90}). */
    public static final int EPERM = 1;
    /** No such file or directory ({@code errno.h:91}). */
    public static final int ENOENT = 2;
    /** Interrupted system call ({@code errno.h:93}). */
    public static final int EINTR = 4;
    /** Bad file descriptor ({@code errno.h:98}). */
    public static final int EBADF = 9;
    /** Cannot allocate memory ({@code errno.h:102}). */
    public static final int ENOMEM = 12;
    /** Permission denied ({@code errno.h:103}). */
    public static final int EACCES = 13;
    /** Bad address ({@code errno.h:104}). */
    public static final int EFAULT = 14;
    /** File exists ({@code errno.h:109}). */
    public static final int EEXIST = 17;
    /** Invalid argument ({@code errno.h:114}). */
    public static final int EINVAL = 22;
    /** Too many open files in system ({@code errno.h:115}). */
    public static final int ENFILE = 23;
    /** Too many open files ({@code errno.h:116}). */
    public static final int EMFILE = 24;
    /** Broken pipe ({@code errno.h:124}). */
    public static final int EPIPE = 32;
    /** Resource temporarily unavailable ({@code errno.h:131}). */
    public static final int EAGAIN = 35;
    /** Operation would block: {@code #define EWOULDBLOCK EAGAIN} ({@code errno.h:132}). */
    public static final int EWOULDBLOCK = EAGAIN;
    /** Operation now in progress ({@code errno.h:133}). */
    public static final int EINPROGRESS = 36;
    /** Operation already in progress ({@code errno.h:134}). */
    public static final int EALREADY = 37;
    /** Socket operation on non-socket ({@code errno.h:137}). */
    public static final int ENOTSOCK = 38;
    /** Message too long ({@code errno.h:139}). */
    public static final int EMSGSIZE = 40;
    /** Address already in use ({@code errno.h:163}). */
    public static final int EADDRINUSE = 48;
    /** Software caused connection abort ({@code errno.h:170}). */
    public static final int ECONNABORTED = 53;
    /** Connection reset by peer ({@code errno.h:171}). */
    public static final int ECONNRESET = 54;
    /** No buffer space available ({@code errno.h:172}). */
    public static final int ENOBUFS = 55;
    /** Socket is already connected ({@code errno.h:173}). */
    public static final int EISCONN = 56;
    /** Socket is not connected ({@code errno.h:174}). */
    public static final int ENOTCONN = 57;
    /** Operation timed out ({@code errno.h:179}). */
    public static final int ETIMEDOUT = 60;
    /** Connection refused ({@code errno.h:180}). */
    public static final int ECONNREFUSED = 61;
    /** File name too long ({@code errno.h:183}). */
    public static final int ENAMETOOLONG = 63;
    /** Function not implemented ({@code errno.h:211}). */
    public static final int ENOSYS = 78;

    private Errno()
    {
    }
}
