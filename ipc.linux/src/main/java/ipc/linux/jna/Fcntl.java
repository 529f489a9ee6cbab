package ipc.linux.jna;

/**
 * Constants of {@code <fcntl.h>} (Linux {@code <asm-generic/fcntl.h>}, the same on x86_64 and aarch64) and the
 * {@code AT_*} flags of {@code <linux/fcntl.h>}.
 */
public final class Fcntl
{
    /** Open for reading and writing. */
    public static final int O_RDWR = 02;
    /** Create the file if it does not exist. */
    public static final int O_CREAT = 0100;
    /** With {@link #O_CREAT}: fail if the file exists. */
    public static final int O_EXCL = 0200;
    /** Non-blocking I/O. */
    public static final int O_NONBLOCK = 04000;
    /** Close the descriptor on {@code execve}. */
    public static final int O_CLOEXEC = 02000000;

    /** {@code fcntl} command: get the file descriptor flags. */
    public static final int F_GETFD = 1;
    /** {@code fcntl} command: set the file descriptor flags. */
    public static final int F_SETFD = 2;
    /** {@code fcntl} command: get the file status flags. */
    public static final int F_GETFL = 3;
    /** {@code fcntl} command: set the file status flags. */
    public static final int F_SETFL = 4;
    /** File descriptor flag: close on {@code execve}. */
    public static final int FD_CLOEXEC = 1;

    /** Special {@code dirfd}: relative paths are resolved against the current working directory. */
    public static final int AT_FDCWD = -100;
    /** Do not follow a symbolic link in the last path component. */
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** With an empty path: operate on {@code dirfd} itself. */
    public static final int AT_EMPTY_PATH = 0x1000;

    private Fcntl()
    {
    }
}
