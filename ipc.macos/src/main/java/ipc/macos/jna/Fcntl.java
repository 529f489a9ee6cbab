package ipc.macos.jna;

/**
 * Constants of xnu {@code bsd/sys/fcntl.h}. {@code fcntl} is variadic there ({@code fcntl.h:827}): it is bound in
 * {@link LibCVariadic}, never with fixed arguments ({@code open}, variadic too at {@code :822}, is not bound: the
 * backend opens no file by path).
 */
public final class Fcntl
{
    /** Open for reading only ({@code fcntl.h:98}). */
    public static final int O_RDONLY = 0x0000;
    /** Open for reading and writing ({@code fcntl.h:100}). */
    public static final int O_RDWR = 0x0002;
    /** Non-blocking I/O ({@code fcntl.h:115}). */
    public static final int O_NONBLOCK = 0x00000004;
    /** Create the file if it does not exist ({@code fcntl.h:127}). */
    public static final int O_CREAT = 0x00000200;
    /** Truncate to zero length ({@code fcntl.h:128}). */
    public static final int O_TRUNC = 0x00000400;
    /** With {@link #O_CREAT}: fail if the file exists ({@code fcntl.h:129}). */
    public static final int O_EXCL = 0x00000800;
    /** Close the descriptor on {@code exec} ({@code fcntl.h:170}). */
    public static final int O_CLOEXEC = 0x01000000;

    /** {@code fcntl} command: get the file descriptor flags ({@code fcntl.h:279}). */
    public static final int F_GETFD = 1;
    /** {@code fcntl} command: set the file descriptor flags ({@code fcntl.h:280}). */
    public static final int F_SETFD = 2;
    /** {@code fcntl} command: get the file status flags ({@code fcntl.h:281}). */
    public static final int F_GETFL = 3;
    /** {@code fcntl} command: set the file status flags ({@code fcntl.h:282}). */
    public static final int F_SETFL = 4;
    /** File descriptor flag: close on {@code exec} ({@code fcntl.h:450}). */
    public static final int FD_CLOEXEC = 1;

    private Fcntl()
    {
    }
}
