package ipc.macos.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Random;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import ipc.api.IpcException;
import ipc.macos.jna.Errno;
import ipc.macos.jna.Fcntl;
import ipc.macos.jna.LibC;
import ipc.macos.jna.LibCVariadic;
import ipc.macos.jna.Mman;

/**
 * POSIX shared memory on macOS: an object created under a random name with {@code O_CREAT | O_EXCL}, mode 0600,
 * whose name is removed ({@code shm_unlink}) at once, before it is sized; the open descriptor is all that is
 * needed afterwards (it travels to the peer with {@code SCM_RIGHTS}). So the only window in which a crash leaves
 * something in the kernel's namespace is between the {@code shm_open} and the {@code shm_unlink} of the same thread,
 * two consecutive system calls; a name left there is private to this user (0600) and is reclaimed at reboot.
 *
 * <p>xnu sizes an object once in its life ({@code ftruncate} a second time gives {@code EINVAL}), rounds the size up
 * to whole pages ({@code fstat} reports the rounded size), and maps it only {@code MAP_SHARED}
 * ({@code bsd/kern/posix_shm.c pshm_truncate}, {@code pshm_mmap}). A peer therefore cannot shrink an object it was
 * handed.
 */
public final class SharedMemory
{
    /** The largest page size of a macOS system (16 KiB on Apple silicon, 4 KiB on Intel). */
    public static final long MAX_PAGE_SIZE = 16384;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NAME_ATTEMPTS = 8;
    private static final int MODE = 0600;

    private SharedMemory()
    {
    }

    /**
     * Creates a shared memory object of {@code size} bytes (zero-filled), already unlinked.
     *
     * @param size the size, from 1 to {@link Integer#MAX_VALUE}.
     * @return the descriptor (close-on-exec), owned by the caller.
     * @throws IpcException when the kernel refuses.
     */
    public static int create(final long size) throws IpcException
    {
        return create(size, RANDOM);
    }

    /**
     * {@link #create(long)} with names drawn from a given source, so that a test can replay them and prove that none
     * is left in the namespace ({@code ShmNameLifetimeTest}).
     *
     * @param size   the size, from 1 to {@link Integer#MAX_VALUE}.
     * @param random where the names' random characters come from.
     * @return the descriptor (close-on-exec), owned by the caller.
     * @throws IpcException when the kernel refuses.
     */
    static int create(final long size, final Random random) throws IpcException
    {
        checkSize(size);
        int fd = -1;
        String name = null;
        for (int attempt = 0; attempt < NAME_ATTEMPTS && fd < 0; attempt++)
        {
            name = ShmNames.next(random);
            fd = LibCVariadic.INSTANCE.shm_open(name, Fcntl.O_RDWR | Fcntl.O_CREAT | Fcntl.O_EXCL, MODE);
            if (fd < 0)
            {
                final int errno = Native.getLastError();
                if (errno != Errno.EEXIST)
                {
                    throw MacErrors.exception("shm_open", errno, "name=" + name);
                }
            }
        }
        if (fd < 0)
        {
            throw new IpcException("shm_open kept finding its random names taken: attempts=" + NAME_ATTEMPTS);
        }
        if (LibC.shm_unlink(name) < 0)
        {
            final int errno = Native.getLastError();
            Posix.closeQuietly(fd);
            throw MacErrors.exception("shm_unlink", errno, "name=" + name);
        }
        if (LibC.ftruncate(fd, size) < 0)
        {
            final int errno = Native.getLastError();
            Posix.closeQuietly(fd);
            throw MacErrors.exception("ftruncate", errno, "fd=" + fd + " size=" + size);
        }
        return fd;
    }

    /**
     * Checks a received descriptor before mapping it: it must be a POSIX shared memory object (a regular file
     * could be truncated by its owner later, and touching a mapping past its end raises {@code SIGBUS}) of at
     * least {@code size} bytes and at most {@code size} rounded up to {@link #MAX_PAGE_SIZE}.
     *
     * @param fd   the descriptor.
     * @param size the size announced by the peer.
     * @return {@code null} if it is acceptable, otherwise why not ({@code key=value}).
     * @throws IpcException when {@code fstat} fails.
     */
    public static String checkReceived(final int fd, final long size) throws IpcException
    {
        final FileStatus status = Posix.fstat(fd);
        if (!status.isPosixSharedMemory())
        {
            return "segment descriptor is not POSIX shared memory: fd=" + fd + " type=0" +
                Integer.toOctalString(status.type());
        }
        final long roundedUp = (size + MAX_PAGE_SIZE - 1) & ~(MAX_PAGE_SIZE - 1);
        if (status.size() < size || status.size() > roundedUp)
        {
            return "segment size does not match WELCOME: objectSize=" + status.size() + " segmentLength=" + size;
        }
        return null;
    }

    /**
     * Maps {@code size} bytes, readable and writable, {@code MAP_SHARED}.
     *
     * @param fd   the descriptor; it may be closed once mapped.
     * @param size the length, from 1 to {@link Integer#MAX_VALUE}.
     * @return a direct buffer over the mapping, native byte order.
     * @throws IpcException when the kernel refuses.
     */
    public static ByteBuffer map(final int fd, final long size) throws IpcException
    {
        checkSize(size);
        final long address = LibC.mmap(0L, size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, fd, 0L);
        if (address == Mman.MAP_FAILED)
        {
            throw MacErrors.exception("mmap", Native.getLastError(), "fd=" + fd + " size=" + size);
        }
        return new Pointer(address).getByteBuffer(0L, size).order(ByteOrder.nativeOrder());
    }

    /**
     * Unmaps a buffer returned by {@link #map}; nothing may touch it afterwards.
     *
     * @param mapping the buffer returned by {@link #map}.
     * @throws IpcException when the kernel refuses.
     */
    public static void unmap(final ByteBuffer mapping) throws IpcException
    {
        final long address = address(mapping);
        if (LibC.munmap(address, mapping.capacity()) < 0)
        {
            throw MacErrors.exception("munmap", Native.getLastError(),
                "address=0x" + Long.toHexString(address) + " size=" + mapping.capacity());
        }
    }

    /**
     * The native address of a direct buffer's first byte.
     *
     * @param direct a direct buffer.
     * @return its address.
     */
    public static long address(final ByteBuffer direct)
    {
        return NativeScratch.addressOf(direct);
    }

    private static void checkSize(final long size)
    {
        if (size <= 0 || size > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("size must be in 1.." + Integer.MAX_VALUE + ": size=" + size);
        }
    }
}
