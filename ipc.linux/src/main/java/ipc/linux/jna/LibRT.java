package ipc.linux.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The POSIX real-time library, for POSIX shared memory objects. Since glibc 2.34 these functions live in the C
 * library and {@code librt.so.1} is a stub that depends on it; looking them up through {@code librt} finds them
 * on old and new glibc alike. Direct mapping, as {@link LibC}; errno through {@link Native#getLastError()}.
 */
public final class LibRT
{
    static
    {
        Native.register(LibRT.class, NativeLibrary.getInstance("rt"));
    }

    private LibRT()
    {
    }

    /**
     * Creates or opens a POSIX shared memory object.
     *
     * @param name  the name, {@code "/something"} without further slashes.
     * @param oflag {@link Fcntl#O_RDWR}, {@link Fcntl#O_CREAT}, {@link Fcntl#O_EXCL}; {@code FD_CLOEXEC} is always
     *              set.
     * @param mode  the permission bits for a new object, e.g. {@code 0600}.
     * @return the new file descriptor, -1 on error.
     */
    public static native int shm_open(String name, int oflag, int mode);

    /**
     * Removes the name of a POSIX shared memory object; the object lives on while it is open or mapped.
     *
     * @param name the name given to {@link #shm_open}.
     * @return 0 on success, -1 on error.
     */
    public static native int shm_unlink(String name);
}
