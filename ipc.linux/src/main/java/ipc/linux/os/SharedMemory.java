package ipc.linux.os;

import static ipc.linux.jna.Mman.MAP_FAILED;
import static ipc.linux.jna.Mman.MAP_POPULATE;
import static ipc.linux.jna.Mman.MAP_SHARED;
import static ipc.linux.jna.Mman.MFD_ALLOW_SEALING;
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
 *
 * <h2>Sealing</h2>
 * A file that shrinks under a mapping turns every access past its new end into {@code SIGBUS} in whichever thread
 * touches it, and any process holding a descriptor of the file can {@code ftruncate} it. So {@link #create} seals
 * the size of a memfd ({@code F_SEAL_SHRINK | F_SEAL_GROW}, then {@code F_SEAL_SEAL} so that no one can add
 * {@code F_SEAL_WRITE} either) before anybody else can hold it, and a receiver checks {@link #sizeSealed}.
 * The {@code shm_open} fallback cannot be sealed: its size stays under the control of every holder, which is
 * acceptable only between processes of one user (who can harm each other anyway); see
 * {@link #sealableSegments()}.
 */
public final class SharedMemory
{
    /** The seals that fix a file's size. */
    public static final int SIZE_SEALS = Fcntl.F_SEAL_SHRINK | Fcntl.F_SEAL_GROW;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PAGE_MASK = 4096L - 1;
    private static final int SEALS = SIZE_SEALS | Fcntl.F_SEAL_SEAL;

    /** Whether {@code memfd_create} works here: 0 unknown, 1 yes, -1 no (the fallback is in use). */
    private static volatile int memfdSupport;

    private SharedMemory()
    {
    }

    /**
     * Creates an anonymous shared memory file of {@code size} zero bytes whose size nobody can change any more:
     * {@code memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING)}, {@code ftruncate}, then
     * {@code fcntl(F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)}. If the kernel lacks
     * {@code memfd_create} ({@code ENOSYS}): a POSIX shared memory object with a random name,
     * {@code O_RDWR | O_CREAT | O_EXCL}, mode 0600, unlinked at once, and not sealed (see the class comment).
     *
     * @param name a name for debugging (shown in {@code /proc/<pid>/fd} as {@code /memfd:name}).
     * @param size the size in bytes, greater than zero.
     * @return the file descriptor, close-on-exec, owned by the caller.
     * @throws IpcException when the kernel refuses (e.g. {@code EMFILE}, {@code ENOMEM}).
     */
    public static int create(final String name, final long size) throws IpcException
    {
        checkSize(size);
        final int fd = LibC.memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
        {
            final int errno = Native.getLastError();
            if (errno != Errno.ENOSYS)
            {
                throw LinuxErrors.exception("memfd_create", errno, "name=" + name);
            }
            memfdSupport = -1;
            final int shm = openUnlinkedPosixShm();
            resize(shm, size);
            return shm;
        }
        memfdSupport = 1;
        resize(fd, size);
        if (LibC.fcntl(fd, Fcntl.F_ADD_SEALS, SEALS) < 0)
        {
            final int errno = Native.getLastError();
            Posix.closeQuietly(fd);
            throw LinuxErrors.exception("fcntl(F_ADD_SEALS)", errno, "fd=" + fd + " seals=0x" +
                Integer.toHexString(SEALS));
        }
        return fd;
    }

    /**
     * Tells whether {@link #create} makes size-sealed segments here, i.e. whether the kernel has {@code memfd_create}
     * (Linux 3.17 and later). Asks the kernel once, with a one-byte memfd, if no segment was created yet.
     *
     * @return {@code false} if segments come from the unsealable {@code shm_open} fallback.
     */
    public static boolean sealableSegments()
    {
        if (memfdSupport == 0)
        {
            final int fd = LibC.memfd_create("ipc-probe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
            if (fd >= 0)
            {
                Posix.closeQuietly(fd);
                memfdSupport = 1;
            }
            else
            {
                memfdSupport = Native.getLastError() == Errno.ENOSYS ? -1 : 0;
            }
        }
        return memfdSupport >= 0;
    }

    /**
     * Tells whether a shared memory file's size is sealed ({@code F_SEAL_SHRINK} and {@code F_SEAL_GROW}), e.g. of a
     * descriptor received from a peer.
     *
     * @param fd the file descriptor.
     * @return {@code true} if neither this process nor any other can change its size; {@code false} if it has not
     *         both seals, or cannot be sealed at all ({@code F_GET_SEALS} fails with {@code EINVAL}, as for a POSIX
     *         shared memory object).
     */
    public static boolean sizeSealed(final int fd)
    {
        final int seals = LibC.fcntl(fd, Fcntl.F_GET_SEALS, 0);
        return seals >= 0 && (seals & SIZE_SEALS) == SIZE_SEALS;
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
        return map(fd, size, false);
    }

    /**
     * As {@link #map(int, long)}, and with {@code populate} the kernel maps every page in this call
     * ({@code MAP_POPULATE}): for a segment whose pages the creator already touched, that costs one system call
     * instead of a page fault at the first use of each page on the hot path.
     *
     * @param fd       the file descriptor.
     * @param size     the length to map.
     * @param populate whether to pre-fault the whole mapping now.
     * @return a direct buffer over the mapping, as {@link #map(int, long)}.
     * @throws IpcException when the kernel refuses.
     */
    public static ByteBuffer map(final int fd, final long size, final boolean populate) throws IpcException
    {
        checkSize(size);
        final long address = LibC.mmap(0L, size, PROT_READ | PROT_WRITE, MAP_SHARED | (populate ? MAP_POPULATE : 0), fd, 0L);
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
