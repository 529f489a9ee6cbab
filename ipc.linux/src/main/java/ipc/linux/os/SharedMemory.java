package ipc.linux.os;

import static ipc.linux.jna.Mman.MAP_FAILED;
import static ipc.linux.jna.Mman.MAP_SHARED;
import static ipc.linux.jna.Mman.MFD_CLOEXEC;
import static ipc.linux.jna.Mman.PROT_READ;
import static ipc.linux.jna.Mman.PROT_WRITE;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.Fcntl;
import ipc.linux.jna.LibC;
import ipc.linux.jna.LibRT;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Anonymous shared memory: a {@code memfd} (or, on kernels without {@code memfd_create}, a POSIX shared memory
 * object unlinked at once) that lives as long as a descriptor or a mapping refers to it, is handed to the peer
 * over {@code SCM_RIGHTS}, and is mapped by both sides with {@code MAP_SHARED}.
 */
public final class SharedMemory
{
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PAGE_MASK = 4096L - 1;

    private SharedMemory()
    {
    }

    /**
     * Creates an anonymous shared memory file of {@code size} zero bytes: {@code memfd_create(name, MFD_CLOEXEC)}
     * then {@code ftruncate}; if the kernel lacks {@code memfd_create} ({@code ENOSYS}), a POSIX shared memory
     * object with a random name, {@code O_RDWR | O_CREAT | O_EXCL}, mode 0600, unlinked at once.
     *
     * @param name a name for debugging (shown in {@code /proc/<pid>/fd} as {@code /memfd:name}).
     * @param size the size in bytes, greater than zero.
     * @return the file descriptor, close-on-exec, owned by the caller.
     * @throws IpcException when the kernel refuses (e.g. {@code EMFILE}, {@code ENOMEM}).
     */
    public static int create(final String name, final long size) throws IpcException
    {
        checkSize(size);
        int fd = LibC.memfd_create(name, MFD_CLOEXEC);
        if (fd < 0)
        {
            final int errno = Native.getLastError();
            if (errno != Errno.ENOSYS)
            {
                throw LinuxErrors.exception("memfd_create", errno, "name=" + name);
            }
            fd = openUnlinkedPosixShm();
        }
        resize(fd, size);
        return fd;
    }

    /**
     * The fallback of {@link #create}: a POSIX shared memory object under a random name, unlinked as soon as it
     * is open so that nothing is left behind. Package-private for tests.
     *
     * @return the descriptor, close-on-exec, size 0.
     * @throws IpcException when the object cannot be created.
     */
    static int openUnlinkedPosixShm() throws IpcException
    {
        final byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        final String shmName = "/ipc-" + HexFormat.of().formatHex(random);
        final int fd = LibRT.shm_open(shmName, Fcntl.O_RDWR | Fcntl.O_CREAT | Fcntl.O_EXCL, 0600);
        if (fd < 0)
        {
            throw LinuxErrors.exception("shm_open", Native.getLastError(), "name=" + shmName);
        }
        if (LibRT.shm_unlink(shmName) < 0)
        {
            final int errno = Native.getLastError();
            Posix.closeQuietly(fd);
            throw LinuxErrors.exception("shm_unlink", errno, "name=" + shmName);
        }
        return fd;
    }

    private static void resize(final int fd, final long size) throws IpcException
    {
        if (LibC.ftruncate(fd, size) < 0)
        {
            final int errno = Native.getLastError();
            Posix.closeQuietly(fd);
            throw LinuxErrors.exception("ftruncate", errno, "fd=" + fd + " size=" + size);
        }
    }

    /**
     * Maps {@code size} bytes of a shared memory file, readable and writable, {@code MAP_SHARED}. Check the size
     * of a descriptor received from a peer with {@link #size(int)} first: touching a mapping beyond the end of
     * its file raises {@code SIGBUS}.
     *
     * @param fd   the file descriptor; it may be closed once mapped, the mapping keeps the memory.
     * @param size the length to map, from 1 to {@link Integer#MAX_VALUE}.
     * @return a direct buffer over the mapping, native byte order, position 0, capacity {@code size}; release it
     *         with {@link #unmap(ByteBuffer)}.
     * @throws IpcException when the kernel refuses (e.g. {@code EACCES}, {@code ENOMEM}).
     */
    public static ByteBuffer map(final int fd, final long size) throws IpcException
    {
        checkSize(size);
        final long address = LibC.mmap(0L, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
        if (address == MAP_FAILED)
        {
            throw LinuxErrors.exception("mmap", Native.getLastError(), "fd=" + fd + " size=" + size);
        }
        return new Pointer(address).getByteBuffer(0L, size).order(ByteOrder.nativeOrder());
    }

    /**
     * Unmaps a buffer returned by {@link #map}. The buffer, and every view of it, must not be touched afterwards:
     * the memory is gone and an access crashes the JVM. The owner of the mapping makes sure no thread still
     * uses it.
     *
     * @param mapping the buffer returned by {@link #map}, not a slice of it.
     * @throws IpcException when the kernel refuses.
     */
    public static void unmap(final ByteBuffer mapping) throws IpcException
    {
        final long address = address(mapping);
        if ((address & PAGE_MASK) != 0)
        {
            throw new IllegalArgumentException("not a mapping (address not page aligned): address=0x"
                + Long.toHexString(address));
        }
        if (LibC.munmap(address, mapping.capacity()) < 0)
        {
            throw LinuxErrors.exception("munmap", Native.getLastError(),
                "address=0x" + Long.toHexString(address) + " size=" + mapping.capacity());
        }
    }

    /**
     * Returns the size of a file, e.g. of a shared memory descriptor received from an untrusted peer.
     *
     * @param fd the file descriptor.
     * @return its size in bytes.
     * @throws IpcException when the descriptor is not valid.
     */
    public static long size(final int fd) throws IpcException
    {
        return Posix.fstat(fd).size();
    }

    /**
     * Returns the native address of the first byte of a direct buffer (ignoring its position): the base for
     * {@link Futex} addresses of words in a mapping.
     *
     * @param direct a direct buffer.
     * @return its address.
     * @throws IllegalArgumentException if the buffer is not direct.
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
