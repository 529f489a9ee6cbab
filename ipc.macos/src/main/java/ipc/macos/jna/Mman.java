package ipc.macos.jna;

/**
 * Constants of xnu {@code bsd/sys/mman.h} and {@code bsd/sys/posix_shm.h}.
 */
public final class Mman
{
    /** Pages may be read ({@code mman.h:102}). */
    public static final int PROT_READ = 0x01;
    /** Pages may be written ({@code mman.h:103}). */
    public static final int PROT_WRITE = 0x02;
    /** Share changes ({@code mman.h:110}); xnu maps POSIX shared memory only with it ({@code posix_shm.c pshm_mmap}). */
    public static final int MAP_SHARED = 0x0001;
    /** {@code mmap}'s failure result, {@code ((void *)-1)} ({@code mman.h:179}). */
    public static final long MAP_FAILED = -1L;
    /**
     * The longest POSIX shared memory name, leading {@code '/'} included: the kernel copies it into a
     * {@code PSHMNAMLEN + 1} byte buffer with its NUL ({@code posix_shm.h:53}; {@code posix_shm.c pshm_get_name}).
     */
    public static final int PSHMNAMLEN = 31;

    private Mman()
    {
    }
}
