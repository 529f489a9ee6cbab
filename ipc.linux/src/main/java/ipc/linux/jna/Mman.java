package ipc.linux.jna;

import com.sun.jna.Pointer;

/**
 * Constants of {@code <sys/mman.h>} (with {@code memfd_create}'s flags of {@code <linux/memfd.h>}).
 */
public final class Mman
{
    /** Pages may be read. */
    public static final int PROT_READ = 0x1;
    /** Pages may be written. */
    public static final int PROT_WRITE = 0x2;
    /** Share the mapping: updates are visible to other processes mapping the same object. */
    public static final int MAP_SHARED = 0x01;
    /**
     * Populate (pre-fault) the page tables of the mapping in the {@code mmap} call itself: for a shared file mapping
     * the kernel maps every page at once, so the first touch of a page never faults. 0x8000 on x86_64 and arm64
     * ({@code include/uapi/asm-generic/mman.h}, used by both).
     */
    public static final int MAP_POPULATE = 0x8000;
    /** {@code mmap}'s failure result, {@code (void *) -1}. */
    public static final long MAP_FAILED = -1L;
    /** {@link #MAP_FAILED} as a pointer. */
    public static final Pointer MAP_FAILED_POINTER = new Pointer(MAP_FAILED);

    /** {@code memfd_create}: set close-on-exec on the new descriptor. */
    public static final int MFD_CLOEXEC = 0x0001;
    /** {@code memfd_create}: allow sealing operations on the file. */
    public static final int MFD_ALLOW_SEALING = 0x0002;

    private Mman()
    {
    }
}
