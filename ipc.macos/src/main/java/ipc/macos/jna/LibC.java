package ipc.macos.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The macOS C library ({@code libc.dylib}, i.e. {@code libSystem.B.dylib}, which re-exports
 * {@code libsystem_kernel} and {@code libsystem_platform}), bound with JNA direct mapping ({@link Native#register}):
 * every method is a {@code static native} call without proxy or reflection, cheap enough for the hot path. Only
 * functions with fixed arguments are here; the variadic ones ({@code shm_open}, {@code fcntl}) are in
 * {@link LibCVariadic}, because on Apple arm64 variadic arguments go on the stack.
 *
 * <p>The symbols are the plain C names: on x86_64 and arm64 macOS {@code __DARWIN_ONLY_UNIX_CONFORMANCE} is 1, so
 * no {@code $UNIX2003} suffix applies (xnu {@code bsd/sys/cdefs.h:736-744}, {@code :852-857}).
 *
 * <p>Errors: a failing call returns -1 (or {@link Mman#MAP_FAILED}) and sets {@code errno}, which JNA saves per
 * thread right after the call; read it with {@link Native#getLastError()} at once, on the same thread. Pointers
 * the hot path passes are {@code long} addresses; {@code size_t}/{@code ssize_t}/{@code off_t} are {@code long}.
 * Registering this class loads native code: only the backend's operations touch it, never the construction of
 * the transport.
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
     * Closes a file descriptor.
     *
     * @param fd the descriptor.
     * @return 0, or -1 with {@code errno}.
     */
    public static native int close(int fd);

    /**
     * Receives bytes from a socket.
     *
     * @param socket the socket.
     * @param buffer the address of the buffer.
     * @param length its length.
     * @param flags  e.g. {@link Socket#MSG_DONTWAIT}.
     * @return bytes received, 0 at end of stream, -1 with {@code errno}.
     */
    public static native long recv(int socket, long buffer, long length, int flags);

    /**
     * Sends bytes on a connected socket.
     *
     * @param socket the socket.
     * @param buffer the address of the bytes.
     * @param length how many.
     * @param flags  e.g. {@link Socket#MSG_DONTWAIT}.
     * @return bytes sent, -1 with {@code errno}.
     */
    public static native long send(int socket, long buffer, long length, int flags);

    /**
     * Waits for one of a set of descriptors to become ready.
     *
     * @param fds     the address of an array of {@code struct pollfd} (see {@link Poll}).
     * @param nfds    the number of elements ({@code nfds_t}, an {@code unsigned int}).
     * @param timeout milliseconds; negative waits forever.
     * @return the number of ready elements, 0 on timeout, -1 with {@code errno}.
     */
    public static native int poll(long fds, int nfds, int timeout);

    /**
     * Creates a socket.
     *
     * @param domain   {@link Socket#AF_UNIX}.
     * @param type     {@link Socket#SOCK_STREAM} (macOS has no {@code SOCK_CLOEXEC}).
     * @param protocol 0.
     * @return the descriptor, -1 with {@code errno}.
     */
    public static native int socket(int domain, int type, int protocol);

    /**
     * Creates a pair of connected sockets.
     *
     * @param domain   {@link Socket#AF_UNIX}.
     * @param type     {@link Socket#SOCK_STREAM}.
     * @param protocol 0.
     * @param sv       receives the two descriptors.
     * @return 0, or -1 with {@code errno}.
     */
    public static native int socketpair(int domain, int type, int protocol, int[] sv);

    /**
     * Binds a socket to an address.
     *
     * @param socket  the socket.
     * @param address the address.
     * @param length  its length.
     * @return 0, or -1 with {@code errno}.
     */
    public static native int bind(int socket, Un.sockaddr_un address, int length);

    /**
     * Listens for connections.
     *
     * @param socket  the bound socket.
     * @param backlog the queue length (capped by the kernel's {@code somaxconn}).
     * @return 0, or -1 with {@code errno}.
     */
    public static native int listen(int socket, int backlog);

    /**
     * Accepts a connection (macOS has no {@code accept4}).
     *
     * @param socket  the listening socket.
     * @param address null.
     * @param length  null.
     * @return the new descriptor, -1 with {@code errno}.
     */
    public static native int accept(int socket, Pointer address, Pointer length);

    /**
     * Connects a socket.
     *
     * @param socket  the socket.
     * @param address the address.
     * @param length  its length.
     * @return 0, or -1 with {@code errno} ({@link Errno#EINPROGRESS} on a non-blocking socket).
     */
    public static native int connect(int socket, Un.sockaddr_un address, int length);

    /**
     * Sends a message with ancillary data.
     *
     * @param socket  the socket.
     * @param message the message.
     * @param flags   flags.
     * @return bytes sent, -1 with {@code errno}.
     */
    public static native long sendmsg(int socket, Socket.msghdr message, int flags);

    /**
     * Receives a message with ancillary data.
     *
     * @param socket  the socket.
     * @param message the message.
     * @param flags   flags.
     * @return bytes received, 0 at end of stream, -1 with {@code errno}.
     */
    public static native long recvmsg(int socket, Socket.msghdr message, int flags);

    /**
     * Reads a socket option.
     *
     * @param socket  the socket.
     * @param level   e.g. {@link Un#SOL_LOCAL}.
     * @param name    e.g. {@link Un#LOCAL_PEERCRED}.
     * @param value   where to store the value.
     * @param length  in: the room of {@code value}; out: the length stored.
     * @return 0, or -1 with {@code errno}.
     */
    public static native int getsockopt(int socket, int level, int name, Pointer value, int[] length);

    /**
     * Sets a socket option.
     *
     * @param socket the socket.
     * @param level  e.g. {@link Socket#SOL_SOCKET}.
     * @param name   e.g. {@link Socket#SO_NOSIGPIPE}.
     * @param value  the value.
     * @param length its length.
     * @return 0, or -1 with {@code errno}.
     */
    public static native int setsockopt(int socket, int level, int name, int[] value, int length);

    /**
     * Sets the size of a file; for POSIX shared memory, once per object (a second call fails with
     * {@code EINVAL}, xnu {@code bsd/kern/posix_shm.c pshm_truncate}).
     *
     * @param fd     the descriptor.
     * @param length the size.
     * @return 0, or -1 with {@code errno}.
     */
    public static native int ftruncate(int fd, long length);

    /**
     * Maps a file into memory.
     *
     * @param addr   0.
     * @param length the length.
     * @param prot   {@link Mman#PROT_READ} | {@link Mman#PROT_WRITE}.
     * @param flags  {@link Mman#MAP_SHARED}.
     * @param fd     the descriptor.
     * @param offset 0.
     * @return the address, {@link Mman#MAP_FAILED} with {@code errno}.
     */
    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    /**
     * Removes a mapping.
     *
     * @param addr   its address.
     * @param length its length.
     * @return 0, or -1 with {@code errno}.
     */
    public static native int munmap(long addr, long length);

    /**
     * Removes the name of a POSIX shared memory object ({@code int shm_unlink(const char *)}, not variadic, xnu
     * {@code bsd/sys/mman.h}).
     *
     * @param name the name.
     * @return 0, or -1 with {@code errno}.
     */
    public static native int shm_unlink(String name);

    /**
     * Creates a kernel event queue ({@code event.h:380}).
     *
     * @return the descriptor, -1 with {@code errno}.
     */
    public static native int kqueue();

    /**
     * Registers events with a queue and/or retrieves pending events ({@code event.h:381-384}).
     *
     * @param kq         the queue.
     * @param changelist the address of an array of {@code struct kevent}, or 0.
     * @param nchanges   its length.
     * @param eventlist  the address of an array to fill, or 0.
     * @param nevents    its length.
     * @param timeout    the address of a {@code struct timespec}, or 0 to wait without limit.
     * @return the number of events placed in {@code eventlist}, -1 with {@code errno}.
     */
    public static native int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout);

    /**
     * Removes a directory entry.
     *
     * @param path the path.
     * @return 0, or -1 with {@code errno}.
     */
    public static native int unlink(String path);

    /**
     * The real user id of this process. Never fails.
     *
     * @return the uid.
     */
    public static native int getuid();

    /**
     * Describes an error number.
     *
     * @param errnum the error number.
     * @return the text.
     */
    public static native String strerror(int errnum);
}
