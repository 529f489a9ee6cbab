package ipc.linux.os;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * C library calls that only tests need (a hostile peer's moves, resource limits), direct-mapped as
 * {@link ipc.linux.jna.LibC}; errno through {@link Native#getLastError()}.
 */
public final class TestNatives
{
    /** {@code shutdown}: no more receptions ({@code <sys/socket.h>}). */
    public static final int SHUT_RD = 0;
    /** {@code shutdown}: no more transmissions. */
    public static final int SHUT_WR = 1;
    /** {@code RLIMIT_NOFILE} of {@code <asm-generic/resource.h>}: one more than the highest descriptor number. */
    public static final int RLIMIT_NOFILE = 7;

    static
    {
        Native.register(TestNatives.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private TestNatives()
    {
    }

    /**
     * Shuts down part of a full-duplex connection.
     *
     * @param sockfd the socket.
     * @param how    {@link #SHUT_RD} or {@link #SHUT_WR}.
     * @return 0 on success, -1 on error.
     */
    public static native int shutdown(int sockfd, int how);

    /**
     * Gets a resource limit.
     *
     * @param resource e.g. {@link #RLIMIT_NOFILE}.
     * @param rlim     {@code struct rlimit { rlim_t rlim_cur; rlim_t rlim_max; }}: two 64-bit values.
     * @return 0 on success, -1 on error.
     */
    public static native int getrlimit(int resource, long[] rlim);

    /**
     * Sets a resource limit.
     *
     * @param resource e.g. {@link #RLIMIT_NOFILE}.
     * @param rlim     the soft and hard limits.
     * @return 0 on success, -1 on error.
     */
    public static native int setrlimit(int resource, long[] rlim);
}
