package ipc.linux.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The Linux C library (glibc 2.28 or later), bound with JNA direct mapping ({@link Native#register}): every
 * method is a {@code static native} call without proxy, reflection or varargs marshalling, cheap enough for the
 * hot path.
 *
 * <p>Errors: a failing call returns -1 (or {@link Mman#MAP_FAILED}) and sets {@code errno}. JNA saves
 * {@code errno} right after every native call, direct or not, in a per-thread slot, so that the JVM cannot
 * overwrite it; read it with {@link Native#getLastError()} immediately after the failing call, on the same
 * thread. Methods are deliberately not declared to throw {@link com.sun.jna.LastErrorException}: expected
 * failures of the hot path ({@code EAGAIN}, {@code ETIMEDOUT}, {@code EINTR}) must not allocate an exception.
 *
 * <p>Pointers that the hot path passes are {@code long} addresses; {@code size_t}/{@code ssize_t}/{@code off_t}
 * are {@code long} (64-bit Linux only). Variadic functions ({@code syscall}, {@code fcntl}) are declared with fixed
 * arguments: on x86_64 and aarch64 Linux variadic and fixed integer arguments are passed alike, so this is
 * ABI-safe there (it would not be on Apple arm64).
 */
public final class LibC
{
    static
    {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC()
    {
    }

    /**
     * Closes a file descriptor. On Linux the descriptor is released even when {@code close} fails with
     * {@code EINTR}: never retry.
     *
     * @param fd the file descriptor.
     * @return 0 on success, -1 on error.
     */
    public static native int close(int fd);

    /**
     * Reads up to {@code count} bytes from a file descriptor into a buffer.
     *
     * @param fd    the file descriptor.
     * @param buf   the address of the buffer.
     * @param count the maximum number of bytes to read.
     * @return the number of bytes read, 0 at end of file, -1 on error.
     */
    public static native long read(int fd, long buf, long count);

    /**
     * Writes up to {@code count} bytes from a buffer to a file descriptor.
     *
     * @param fd    the file descriptor.
     * @param buf   the address of the buffer.
     * @param count the number of bytes to write.
     * @return the number of bytes written, -1 on error.
     */
    public static native long write(int fd, long buf, long count);

    /**
     * Waits for one of a set of file descriptors to become ready.
     *
     * @param fds     the address of an array of {@code struct pollfd} (see {@link Poll}).
     * @param nfds    the number of elements in {@code fds}.
     * @param timeout the timeout in milliseconds; negative means infinite.
     * @return the number of elements with a non-zero {@code revents}, 0 on timeout, -1 on error.
     */
    public static native int poll(long fds, long nfds, int timeout);

    /**
     * Invokes a system call by number. Declared with six fixed {@code long} arguments (pass 0 for unused ones):
     * glibc reads each of them as a {@code long}.
     *
     * @param number the system call number, e.g. {@link Futex#SYS_futex}.
     * @param arg1   first argument.
     * @param arg2   second argument.
     * @param arg3   third argument.
     * @param arg4   fourth argument.
     * @param arg5   fifth argument.
     * @param arg6   sixth argument.
     * @return the system call's result, -1 on error.
     */
    public static native long syscall(long number, long arg1, long arg2, long arg3, long arg4, long arg5, long arg6);

    /**
     * Reads a clock.
     *
     * @param clockId {@link Time#CLOCK_MONOTONIC}, for instance.
     * @param tp      address of a {@code struct timespec} that receives the time.
     * @return 0 on success, -1 on error.
     */
    public static native int clock_gettime(int clockId, long tp);

    /**
     * Creates a file descriptor for event notification, holding a 64-bit counter.
     *
     * @param initval the initial value of the counter.
     * @param flags   {@link EventFd#EFD_NONBLOCK}, {@link EventFd#EFD_CLOEXEC}, {@link EventFd#EFD_SEMAPHORE}.
     * @return the new file descriptor, -1 on error.
     */
    public static native int eventfd(int initval, int flags);

    /**
     * Opens an epoll instance.
     *
     * @param flags 0 or {@link Epoll#EPOLL_CLOEXEC}.
     * @return the new file descriptor, -1 on error.
     */
    public static native int epoll_create1(int flags);

    /**
     * Adds, modifies or removes an entry of the interest list of an epoll instance.
     *
     * @param epfd  the epoll file descriptor.
     * @param op    {@link Epoll#EPOLL_CTL_ADD}, {@link Epoll#EPOLL_CTL_MOD} or {@link Epoll#EPOLL_CTL_DEL}.
     * @param fd    the target file descriptor.
     * @param event the address of a {@code struct epoll_event} (ignored, may be 0, for {@code EPOLL_CTL_DEL}).
     * @return 0 on success, -1 on error.
     */
    public static native int epoll_ctl(int epfd, int op, int fd, long event);

    /**
     * Waits for events on an epoll instance.
     *
     * @param epfd      the epoll file descriptor.
     * @param events    the address of an array of {@code struct epoll_event} to fill.
     * @param maxevents the number of elements of {@code events}, greater than zero.
     * @param timeout   the timeout in milliseconds; -1 means infinite, 0 returns at once.
     * @return the number of ready file descriptors, 0 on timeout, -1 on error.
     */
    public static native int epoll_wait(int epfd, long events, int maxevents, int timeout);

    /**
     * Creates an anonymous file living in memory.
     *
     * @param name  a name for debugging, shown in {@code /proc/self/fd}; at most 249 bytes.
     * @param flags {@link Mman#MFD_CLOEXEC}, {@link Mman#MFD_ALLOW_SEALING}.
     * @return the new file descriptor, -1 on error.
     */
    public static native int memfd_create(String name, int flags);

    /**
     * Truncates or extends a file to a specified length; extended bytes read as zero.
     *
     * @param fd     the file descriptor, open for writing.
     * @param length the new length in bytes.
     * @return 0 on success, -1 on error.
     */
    public static native int ftruncate(int fd, long length);

    /**
     * Maps a file into memory.
     *
     * @param addr   a placement hint, or 0 to let the kernel choose.
     * @param length the length of the mapping, greater than zero.
     * @param prot   {@link Mman#PROT_READ}, {@link Mman#PROT_WRITE}.
     * @param flags  {@link Mman#MAP_SHARED}.
     * @param fd     the file descriptor.
     * @param offset the offset in the file, a multiple of the page size.
     * @return the address of the mapping, {@link Mman#MAP_FAILED} on error.
     */
    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    /**
     * Deletes the mappings of an address range.
     *
     * @param addr   the start of the range, page aligned.
     * @param length the length of the range.
     * @return 0 on success, -1 on error.
     */
    public static native int munmap(long addr, long length);

    /**
     * Gets the status of a file (extended).
     *
     * @param dirfd    a directory file descriptor, {@link Fcntl#AT_FDCWD}, or with {@link Fcntl#AT_EMPTY_PATH}
     *                 and an empty path the file descriptor to query.
     * @param pathname the path name, or {@code ""} with {@link Fcntl#AT_EMPTY_PATH}.
     * @param flags    {@link Fcntl#AT_EMPTY_PATH}, {@link Fcntl#AT_SYMLINK_NOFOLLOW}.
     * @param mask     the fields wanted, e.g. {@link Stat#STATX_BASIC_STATS}.
     * @param statxbuf the address of a {@code struct statx} ({@link Stat#SIZEOF_STATX} bytes) to fill.
     * @return 0 on success, -1 on error.
     */
    public static native int statx(int dirfd, String pathname, int flags, int mask, long statxbuf);

    /**
     * Creates an endpoint for communication.
     *
     * @param domain   {@link Socket#AF_UNIX}.
     * @param type     {@link Socket#SOCK_STREAM}, optionally or-ed with {@link Socket#SOCK_CLOEXEC},
     *                 {@link Socket#SOCK_NONBLOCK}.
     * @param protocol 0.
     * @return the new file descriptor, -1 on error.
     */
    public static native int socket(int domain, int type, int protocol);

    /**
     * Creates a pair of connected sockets: two file descriptions, one per end, so that the file status flags
     * ({@code O_NONBLOCK}) of one end do not affect the other.
     *
     * @param domain   {@link Socket#AF_UNIX}.
     * @param type     {@link Socket#SOCK_STREAM}, optionally or-ed with {@link Socket#SOCK_CLOEXEC},
     *                 {@link Socket#SOCK_NONBLOCK}.
     * @param protocol 0.
     * @param sv       receives the two descriptors.
     * @return 0 on success, -1 on error.
     */
    public static native int socketpair(int domain, int type, int protocol, int[] sv);

    /**
     * Sends bytes on a connected socket.
     *
     * @param sockfd the socket.
     * @param buf    the address of the bytes.
     * @param len    the number of bytes.
     * @param flags  e.g. {@link Socket#MSG_DONTWAIT}, {@link Socket#MSG_NOSIGNAL}.
     * @return the number of bytes sent, -1 on error.
     */
    public static native long send(int sockfd, long buf, long len, int flags);

    /**
     * Receives bytes from a connected socket.
     *
     * @param sockfd the socket.
     * @param buf    the address of the buffer.
     * @param len    the size of the buffer.
     * @param flags  e.g. {@link Socket#MSG_DONTWAIT}.
     * @return the number of bytes received, 0 when the peer has closed (or shut down) its end, -1 on error.
     */
    public static native long recv(int sockfd, long buf, long len, int flags);

    /**
     * Binds a name to a socket.
     *
     * @param sockfd  the socket.
     * @param addr    the address of a {@code struct sockaddr_un}.
     * @param addrlen the size of the address in bytes.
     * @return 0 on success, -1 on error.
     */
    public static native int bind(int sockfd, long addr, int addrlen);

    /**
     * Marks a socket as accepting connections.
     *
     * @param sockfd  the socket.
     * @param backlog the maximum length of the queue of pending connections.
     * @return 0 on success, -1 on error.
     */
    public static native int listen(int sockfd, int backlog);

    /**
     * Accepts a connection on a socket.
     *
     * @param sockfd  the listening socket.
     * @param addr    where to store the peer's address, or {@code null}.
     * @param addrlen in: the size of {@code addr}; out: the size of the peer's address; {@code null} with a
     *                {@code null} {@code addr}.
     * @param flags   {@link Socket#SOCK_CLOEXEC}, {@link Socket#SOCK_NONBLOCK}.
     * @return the connected socket, -1 on error.
     */
    public static native int accept4(int sockfd, Pointer addr, Pointer addrlen, int flags);

    /**
     * Initiates a connection on a socket.
     *
     * @param sockfd  the socket.
     * @param addr    the address of the {@code struct sockaddr_un} to connect to.
     * @param addrlen the size of the address in bytes.
     * @return 0 on success, -1 on error.
     */
    public static native int connect(int sockfd, long addr, int addrlen);

    /**
     * Sends a message, with optional ancillary data, on a socket.
     *
     * @param sockfd the socket.
     * @param msg    the address of a {@code struct msghdr} ({@link Socket#SIZEOF_MSGHDR} bytes).
     * @param flags  e.g. {@link Socket#MSG_NOSIGNAL}, {@link Socket#MSG_DONTWAIT}.
     * @return the number of bytes sent, -1 on error.
     */
    public static native long sendmsg(int sockfd, long msg, int flags);

    /**
     * Receives a message, with optional ancillary data, from a socket.
     *
     * @param sockfd the socket.
     * @param msg    the address of a {@code struct msghdr}; {@code msg_controllen} and {@code msg_flags} are set on
     *               return.
     * @param flags  e.g. {@link Socket#MSG_CMSG_CLOEXEC}, {@link Socket#MSG_DONTWAIT}.
     * @return the number of bytes received, 0 at end of stream, -1 on error.
     */
    public static native long recvmsg(int sockfd, long msg, int flags);

    /**
     * Gets an option of a socket.
     *
     * @param sockfd  the socket.
     * @param level   {@link Socket#SOL_SOCKET}.
     * @param optname e.g. {@link Socket#SO_PEERCRED}.
     * @param optval  the address of the value to fill, e.g. a {@code struct ucred}.
     * @param optlen  the address of a {@code socklen_t}: in, the size of {@code optval}; out, the size written.
     * @return 0 on success, -1 on error.
     */
    public static native int getsockopt(int sockfd, int level, int optname, long optval, long optlen);

    /**
     * Manipulates a file descriptor. Variadic in C; declared here with one {@code int} argument (see the class
     * comment on ABI safety).
     *
     * @param fd  the file descriptor.
     * @param cmd e.g. {@link Fcntl#F_GETFL}, {@link Fcntl#F_SETFL}.
     * @param arg the argument of {@code cmd}, 0 when it takes none.
     * @return a value depending on {@code cmd}, -1 on error.
     */
    public static native int fcntl(int fd, int cmd, int arg);

    /**
     * Opens (and possibly creates) a file. Variadic in C ({@code mode} is read only with {@link Fcntl#O_CREAT});
     * declared here with a fixed {@code int mode} (see the class comment on ABI safety).
     *
     * @param pathname the path.
     * @param flags    e.g. {@link Fcntl#O_RDWR} | {@link Fcntl#O_CREAT} | {@link Fcntl#O_CLOEXEC}.
     * @param mode     the permission bits of a new file, e.g. {@code 0600} (reduced by the umask).
     * @return the new file descriptor, -1 on error.
     */
    public static native int open(String pathname, int flags, int mode);

    /**
     * Applies or removes an advisory lock on an open file. The lock belongs to the open file description: two
     * {@code open}s of one file, even in one process, exclude each other; it is released when the last descriptor
     * of the description is closed.
     *
     * @param fd        the file descriptor.
     * @param operation {@link Fcntl#LOCK_EX}, optionally or-ed with {@link Fcntl#LOCK_NB}.
     * @return 0 on success, -1 on error.
     */
    public static native int flock(int fd, int operation);

    /**
     * Deletes a name from the file system.
     *
     * @param pathname the path.
     * @return 0 on success, -1 on error.
     */
    public static native int unlink(String pathname);

    /**
     * Changes the permission bits of a file.
     *
     * @param pathname the path.
     * @param mode     the permission bits, e.g. {@code 0600}.
     * @return 0 on success, -1 on error.
     */
    public static native int chmod(String pathname, int mode);

    /**
     * Creates a directory.
     *
     * @param pathname the path.
     * @param mode     the permission bits, e.g. {@code 0700} (reduced by the umask).
     * @return 0 on success, -1 on error.
     */
    public static native int mkdir(String pathname, int mode);

    /**
     * Returns the real user ID of the calling process. Never fails.
     *
     * @return the user ID.
     */
    public static native int getuid();

    /**
     * Returns the process ID of the calling process. Never fails.
     *
     * @return the process ID.
     */
    public static native int getpid();

    /**
     * Returns a string describing an error number.
     *
     * @param errnum the error number.
     * @return the description, e.g. {@code "Connection refused"}.
     */
    public static native String strerror(int errnum);
}
