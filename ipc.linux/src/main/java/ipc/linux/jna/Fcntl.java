package ipc.linux.jna;

/**
 * Constants of {@code <fcntl.h>} (Linux {@code <asm-generic/fcntl.h>}, the same on x86_64 and aarch64), the
 * {@code AT_*} flags, file-sealing commands and seals of {@code <linux/fcntl.h>}, and the {@code flock} operations of
 * {@code <sys/file.h>}.
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

    /** {@code F_LINUX_SPECIFIC_BASE} of {@code <linux/fcntl.h>}: Linux's own {@code fcntl} commands start here. */
    public static final int F_LINUX_SPECIFIC_BASE = 1024;
    /** {@code fcntl} command: duplicate to the lowest free descriptor at least {@code arg}, close-on-exec. */
    public static final int F_DUPFD_CLOEXEC = F_LINUX_SPECIFIC_BASE + 6;
    /** {@code fcntl} command: add seals to a file created with {@code MFD_ALLOW_SEALING}. */
    public static final int F_ADD_SEALS = F_LINUX_SPECIFIC_BASE + 9;
    /** {@code fcntl} command: get the seals of a file ({@code EINVAL} if the file does not support sealing). */
    public static final int F_GET_SEALS = F_LINUX_SPECIFIC_BASE + 10;
    /** Seal: no further seals may be added. */
    public static final int F_SEAL_SEAL = 0x0001;
    /** Seal: the file may not shrink. */
    public static final int F_SEAL_SHRINK = 0x0002;
    /** Seal: the file may not grow. */
    public static final int F_SEAL_GROW = 0x0004;
    /** Seal: the contents may not be written. */
    public static final int F_SEAL_WRITE = 0x0008;

    /** {@code flock}: place an exclusive lock. */
    public static final int LOCK_EX = 2;
    /** {@code flock}: do not block when the lock is held; fail with {@code EWOULDBLOCK}. */
    public static final int LOCK_NB = 4;

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
