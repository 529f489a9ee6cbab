package ipc.linux.os;

import static ipc.linux.jna.Socket.AF_UNIX;
import static ipc.linux.jna.Socket.MSG_CMSG_CLOEXEC;
import static ipc.linux.jna.Socket.MSG_NOSIGNAL;
import static ipc.linux.jna.Socket.SOCK_CLOEXEC;
import static ipc.linux.jna.Socket.SOCK_NONBLOCK;
import static ipc.linux.jna.Socket.SOCK_STREAM;
import static ipc.linux.jna.Socket.SOL_SOCKET;
import static ipc.linux.jna.Socket.SO_PEERCRED;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Socket;
import ipc.linux.jna.Un;
import ipc.shared.posix.ReceivedMessage;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Unix domain stream sockets (close-on-exec): listen, accept, connect, messages with file descriptors
 * ({@code SCM_RIGHTS}, encoded and decoded by {@link ScmRights}), peer credentials. Used for the control channel,
 * not on the data hot path.
 *
 * <p>Everything received is untrusted: a peer that sends more descriptors than asked for gets none of them kept
 * (they are closed here) and an {@link IpcProtocolException}.
 */
public final class UnixSocket
{
    /** The longest socket path in bytes: {@code sun_path} is 108 bytes, one kept for the terminating NUL. */
    public static final int MAX_PATH_BYTES = Un.UNIX_PATH_MAX - 1;
    /** The most descriptors one message may carry ({@code SCM_MAX_FD} of the kernel). */
    public static final int MAX_FDS = ScmRights.MAX_FDS;

    /** First pause of {@link #connect(String, long)} after a full backlog: a busy server accepts within this. */
    private static final long MIN_CONNECT_BACK_OFF_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /** Longest pause between two tries: a queue that frees up is noticed within it. */
    private static final long MAX_CONNECT_BACK_OFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private UnixSocket()
    {
    }

    /**
     * Creates a listening socket bound to {@code path}: {@code socket}, {@code bind}, {@code chmod 0600},
     * {@code listen}. The caller removes a stale socket file first, if it decides to.
     *
     * @param path    the socket file to create, at most {@link #MAX_PATH_BYTES} bytes in UTF-8.
     * @param backlog the maximum length of the queue of pending connections.
     * @return the listening descriptor (blocking), owned by the caller.
     * @throws IpcException {@link ipc.api.IpcAlreadyBoundException} if {@code path} exists
     *                      ({@code EADDRINUSE}); {@link ipc.api.IpcAccessDeniedException} if the directory may not
     *                      be written; {@link IpcException} if the path is too long or another call fails.
     */
    public static int listen(final String path, final int backlog) throws IpcException
    {
        final long address = address(path);
        final int fd = socket();
        boolean bound = false;
        try
        {
            if (LibC.bind(fd, address, addressLength(path)) < 0)
            {
                throw LinuxErrors.exception("bind", Native.getLastError(), "path=" + path);
            }
            bound = true;
            Posix.chmod(path, 0600);
            if (LibC.listen(fd, backlog) < 0)
            {
                throw LinuxErrors.exception("listen", Native.getLastError(), "path=" + path + " backlog=" + backlog);
            }
            return fd;
        }
        catch (final IpcException e)
        {
            Posix.closeQuietly(fd);
            if (bound)
            {
                LibC.unlink(path);
            }
            throw e;
        }
    }

    /**
     * Accepts a pending connection ({@code accept4} with {@code SOCK_CLOEXEC}).
     *
     * @param listenFd    the listening socket.
     * @param nonBlocking whether the new socket is non-blocking ({@code SOCK_NONBLOCK}).
     * @return the connected socket, owned by the caller; -1 when the listening socket is non-blocking and no
     *         connection is pending ({@code EAGAIN}), or the pending one was aborted ({@code ECONNABORTED}).
     * @throws IpcException when the call fails otherwise. {@code EMFILE}/{@code ENFILE} (no descriptor left) are
     *                      errors, not "nothing pending": the connection stays queued and the listening socket
     *                      readable, so a caller that polls it must back off before trying again.
     */
    public static int accept(final int listenFd, final boolean nonBlocking) throws IpcException
    {
        final int flags = SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0);
        while (true)
        {
            final int fd = LibC.accept4(listenFd, null, null, flags);
            if (fd >= 0)
            {
                return fd;
            }
            final int errno = Native.getLastError();
            if (errno == Errno.EAGAIN || errno == Errno.ECONNABORTED)
            {
                return -1;
            }
            if (errno != Errno.EINTR)
            {
                throw LinuxErrors.exception("accept4", errno, "fd=" + listenFd);
            }
        }
    }

    /**
     * Connects to a listening socket (blocking connect; the returned socket is blocking). A full backlog makes it wait
     * for as long as the listener does not accept: use {@link #connect(String, long)} where a deadline matters.
     *
     * @param path the socket file, at most {@link #MAX_PATH_BYTES} bytes in UTF-8.
     * @return the connected socket, owned by the caller.
     * @throws IpcException {@link ipc.api.IpcClosedException} if nobody listens ({@code ENOENT},
     *                      {@code ECONNREFUSED}); {@link ipc.api.IpcAccessDeniedException} on {@code EACCES};
     *                      {@link IpcException} otherwise.
     */
    public static int connect(final String path) throws IpcException
    {
        final long address = address(path);
        final int fd = socket();
        if (LibC.connect(fd, address, addressLength(path)) < 0)
        {
            final int errno = Native.getLastError();
            Posix.closeQuietly(fd);
            throw LinuxErrors.exception("connect", errno, "path=" + path);
        }
        return fd;
    }

    /**
     * Connects to a listening socket without ever blocking past a deadline: a non-blocking {@code connect}, retried
     * with a short back-off while the listener's queue is full ({@code EAGAIN}, AF_UNIX's answer for a full
     * backlog, where a blocking connect would wait for ever).
     *
     * @param path         the socket file, at most {@link #MAX_PATH_BYTES} bytes in UTF-8.
     * @param timeoutNanos how long to keep trying while the backlog is full.
     * @return the connected socket, non-blocking ({@code O_NONBLOCK}), owned by the caller.
     * @throws IpcException {@link IpcTimeoutException} if the backlog stayed full until the deadline;
     *                      {@link ipc.api.IpcClosedException} if nobody listens ({@code ENOENT},
     *                      {@code ECONNREFUSED}); {@link ipc.api.IpcAccessDeniedException} on {@code EACCES};
     *                      {@link IpcException} otherwise.
     */
    public static int connect(final String path, final long timeoutNanos) throws IpcException
    {
        final long address = address(path);
        final int length = addressLength(path);
        final long start = System.nanoTime();
        final int fd = socket(SOCK_NONBLOCK);
        long backOffNanos = MIN_CONNECT_BACK_OFF_NANOS;
        int attempts = 0;
        while (true)
        {
            attempts++;
            if (LibC.connect(fd, address, length) == 0)
            {
                return fd;
            }
            final int errno = Native.getLastError();
            if (errno == Errno.EINTR)
            {
                continue;
            }
            if (errno != Errno.EAGAIN)
            {
                Posix.closeQuietly(fd);
                throw LinuxErrors.exception("connect", errno, "path=" + path);
            }
            final long remaining = timeoutNanos - (System.nanoTime() - start);
            if (remaining <= 0)
            {
                Posix.closeQuietly(fd);
                throw new IpcTimeoutException("connect timed out: the server's backlog stayed full: path=" + path +
                    " timeoutMillis=" + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " attempts=" + attempts);
            }
            LockSupport.parkNanos(Math.min(backOffNanos, remaining));
            backOffNanos = Math.min(backOffNanos * 2, MAX_CONNECT_BACK_OFF_NANOS);
        }
    }

    private static int socket() throws IpcException
    {
        return socket(0);
    }

    private static int socket(final int flags) throws IpcException
    {
        final int fd = LibC.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
        if (fd < 0)
        {
            throw LinuxErrors.exception("socket", Native.getLastError(), "domain=AF_UNIX");
        }
        return fd;
    }
    /**
     * Writes {@code path} as a {@code struct sockaddr_un} into the calling thread's scratch memory, which stays
     * valid until the thread's next call that uses it: no call between this and the {@code bind} or {@code connect}
     * may.
     *
     * @return the address of the structure.
     */
    private static long address(final String path) throws IpcException
    {
        final byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_PATH_BYTES)
        {
            throw new IpcException("socket path length out of range: bytes=" + bytes.length + " max="
                + MAX_PATH_BYTES + " path=" + path);
        }
        for (final byte b : bytes)
        {
            if (b == 0)
            {
                throw new IpcException("socket path contains a NUL character: path=" + path);
            }
        }
        final NativeScratch scratch = NativeScratch.get();
        final ByteBuffer buffer = scratch.buffer;
        for (int i = 0; i < Un.SIZEOF_SOCKADDR_UN; i++)
        {
            buffer.put(NativeScratch.SOCKADDR + i, (byte)0);
        }
        buffer.putShort(NativeScratch.SOCKADDR, (short)AF_UNIX);
        buffer.put(NativeScratch.SOCKADDR + Un.SUN_PATH_OFFSET, bytes);
        return scratch.address + NativeScratch.SOCKADDR;
    }

    private static int addressLength(final String path)
    {
        return Un.SUN_PATH_OFFSET + path.getBytes(StandardCharsets.UTF_8).length + 1;
    }

    /**
     * Sends bytes and, with them, file descriptors ({@code sendmsg} with one {@code SCM_RIGHTS} control message,
     * {@code MSG_NOSIGNAL}: a vanished peer gives {@code EPIPE}, never {@code SIGPIPE}). The descriptors travel with
     * the first byte; the caller keeps its own copies and closes them when it likes. A stream socket may accept
     * fewer bytes than offered: the caller sends the rest (without descriptors).
     *
     * @param fd   the connected socket.
     * @param data the bytes from its position to its limit, at least one when {@code fds} is not empty; its
     *             position advances by the bytes sent.
     * @param fds  the descriptors to send, at most {@link #MAX_FDS}; empty or {@code null} for none.
     * @return the number of bytes sent; 0 when the socket is non-blocking and full (nothing, not even the
     *         descriptors, was sent).
     * @throws IpcException {@link ipc.api.IpcPeerClosedException} when the peer is gone ({@code EPIPE},
     *                      {@code ECONNRESET}); {@link IpcException} otherwise.
     */
    public static int sendMessage(final int fd, final ByteBuffer data, final int[] fds) throws IpcException
    {
        final int fdCount = fds == null ? 0 : fds.length;
        final int length = data.remaining();
        if (fdCount > MAX_FDS)
        {
            throw new IllegalArgumentException("too many descriptors: fds=" + fdCount + " max=" + MAX_FDS);
        }
        if (length == 0 && fdCount > 0)
        {
            throw new IllegalArgumentException("descriptors need at least one byte of data to travel with");
        }
        final Memory copy = data.isDirect() ? null : new Memory(Math.max(length, 1));
        final long base;
        if (copy == null)
        {
            base = NativeScratch.addressOf(data) + data.position();
        }
        else
        {
            copy.write(0L, data.array(), data.arrayOffset() + data.position(), length);
            base = Pointer.nativeValue(copy);
        }
        final NativeScratch scratch = NativeScratch.get();
        final int controlLength = fdCount > 0 ? ScmRights.encode(scratch.buffer, NativeScratch.CONTROL, fds) : 0;
        final long msg = messageOver(scratch, base, length, controlLength);
        try
        {
            while (true)
            {
                final long sent = LibC.sendmsg(fd, msg, MSG_NOSIGNAL);
                if (sent >= 0)
                {
                    data.position(data.position() + (int) sent);
                    return (int) sent;
                }
                final int errno = Native.getLastError();
                if (errno == Errno.EAGAIN)
                {
                    return 0;
                }
                if (errno != Errno.EINTR)
                {
                    throw LinuxErrors.exception("sendmsg", errno, "fd=" + fd + " bytes=" + length + " fds=" + fdCount);
                }
            }
        }
        finally
        {
            Reference.reachabilityFence(copy);
            Reference.reachabilityFence(data);
        }
    }

    /**
     * Receives bytes and the file descriptors sent with them ({@code recvmsg} with {@code MSG_CMSG_CLOEXEC} and a
     * control buffer for {@code maxFds} descriptors). If the peer sent more descriptors than {@code maxFds}, or
     * the kernel truncated the control data ({@code MSG_CTRUNC}), every descriptor received is closed and an
     * {@link IpcProtocolException} is thrown: a hostile peer cannot make this process leak descriptors.
     *
     * @param fd     the connected socket.
     * @param dst    where to store the bytes, from its position up to its limit (at least one byte); its
     *               position advances by the bytes received.
     * @param fdsOut where to store the descriptors received, from index 0; entries from the count received up to
     *               {@code maxFds} are set to -1.
     * @param maxFds the most descriptors expected, from 0 to {@code min(fdsOut.length, MAX_FDS)}.
     * @return the bytes (0 at end of stream, -1 if non-blocking and nothing available) and descriptors received.
     * @throws IpcProtocolException when the peer sent more descriptors than expected.
     * @throws IpcException         {@link ipc.api.IpcPeerClosedException} on {@code ECONNRESET}; {@link IpcException}
     *                              on other failures.
     */
    public static ReceivedMessage receiveMessage(final int fd, final ByteBuffer dst, final int[] fdsOut,
        final int maxFds) throws IpcException
    {
        final int length = dst.remaining();
        if (maxFds < 0 || maxFds > MAX_FDS || maxFds > (fdsOut == null ? 0 : fdsOut.length))
        {
            throw new IllegalArgumentException("maxFds out of range: maxFds=" + maxFds + " fdsOut="
                + (fdsOut == null ? 0 : fdsOut.length) + " max=" + MAX_FDS);
        }
        if (length == 0)
        {
            throw new IllegalArgumentException("no room to receive: remaining=0");
        }
        if (dst.isReadOnly())
        {
            throw new IllegalArgumentException("read-only destination buffer");
        }
        final Memory copy = dst.isDirect() ? null : new Memory(length);
        final long base = copy == null ? NativeScratch.addressOf(dst) + dst.position() : Pointer.nativeValue(copy);
        final NativeScratch scratch = NativeScratch.get();
        final int capacity = maxFds > 0 ? ScmRights.receiveBuffer(scratch.buffer, NativeScratch.CONTROL, maxFds) : 0;
        final long msg = messageOver(scratch, base, length, capacity);
        try
        {
            long received;
            while ((received = LibC.recvmsg(fd, msg, MSG_CMSG_CLOEXEC)) < 0)
            {
                final int errno = Native.getLastError();
                if (errno == Errno.EAGAIN)
                {
                    return new ReceivedMessage(-1, 0);
                }
                if (errno != Errno.EINTR)
                {
                    throw LinuxErrors.exception("recvmsg", errno, "fd=" + fd + " bytes=" + length);
                }
            }
            final int fdCount = ScmRights.decode(fd,
                scratch.buffer.getLong(NativeScratch.MSGHDR + Socket.MSGHDR_CONTROLLEN_OFFSET),
                scratch.buffer.getInt(NativeScratch.MSGHDR + Socket.MSGHDR_FLAGS_OFFSET),
                scratch.buffer, NativeScratch.CONTROL, capacity, fdsOut, maxFds);
            if (copy != null)
            {
                copy.read(0L, dst.array(), dst.arrayOffset() + dst.position(), (int) received);
            }
            dst.position(dst.position() + (int) received);
            return new ReceivedMessage((int) received, fdCount);
        }
        finally
        {
            Reference.reachabilityFence(copy);
            Reference.reachabilityFence(dst);
        }
    }

    /**
     * Returns the credentials of the peer of a connected socket ({@code SO_PEERCRED}).
     *
     * @param fd the connected socket.
     * @return the peer's pid, uid and gid as of when it connected.
     * @throws IpcException when {@code getsockopt} fails.
     */
    public static PeerCredentials peerCredentials(final int fd) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        final ByteBuffer buffer = scratch.buffer;
        buffer.putInt(NativeScratch.SOCKLEN, Socket.SIZEOF_UCRED);
        if (LibC.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, scratch.address + NativeScratch.UCRED,
            scratch.address + NativeScratch.SOCKLEN) < 0)
        {
            throw LinuxErrors.exception("getsockopt(SO_PEERCRED)", Native.getLastError(), "fd=" + fd);
        }
        return new PeerCredentials(buffer.getInt(NativeScratch.UCRED), buffer.getInt(NativeScratch.UCRED +
            Socket.UCRED_UID_OFFSET), buffer.getInt(NativeScratch.UCRED + Socket.UCRED_GID_OFFSET));
    }

    /**
     * Waits until one descriptor is ready: {@link Posix#poll}, kept here for callers that wait on a socket.
     *
     * @param fd            the descriptor.
     * @param events        the events wanted, e.g. {@link ipc.linux.jna.Poll#POLLIN}.
     * @param timeoutMillis the timeout in milliseconds; negative waits forever.
     * @return the events that occurred; 0 on timeout or when interrupted by a signal.
     * @throws IpcException when {@code poll} fails.
     */
    public static int poll(final int fd, final int events, final int timeoutMillis) throws IpcException
    {
        return Posix.poll(fd, events, timeoutMillis);
    }

    /**
     * A {@code msghdr} with one {@code iovec} over native memory; the caller adds the control data. The
     * {@code msghdr} holds the {@code iovec}'s memory, so it stays allocated while the message is in use.
     */
    /**
     * Writes, in the calling thread's scratch memory, a {@code struct msghdr} with one {@code iovec} over
     * {@code length} bytes at {@code base} and the control buffer of the scratch's control slot, if any.
     *
     * @return the address of the {@code msghdr}.
     */
    private static long messageOver(final NativeScratch scratch, final long base, final int length,
        final int controlLength)
    {
        final ByteBuffer buffer = scratch.buffer;
        buffer.putLong(NativeScratch.IOVEC, base);
        buffer.putLong(NativeScratch.IOVEC + Socket.IOVEC_LEN_OFFSET, length);
        for (int i = 0; i < Socket.SIZEOF_MSGHDR; i += Long.BYTES)
        {
            buffer.putLong(NativeScratch.MSGHDR + i, 0L);
        }
        buffer.putLong(NativeScratch.MSGHDR + Socket.MSGHDR_IOV_OFFSET, scratch.address + NativeScratch.IOVEC);
        buffer.putLong(NativeScratch.MSGHDR + Socket.MSGHDR_IOVLEN_OFFSET, 1L);
        if (controlLength > 0)
        {
            buffer.putLong(NativeScratch.MSGHDR + Socket.MSGHDR_CONTROL_OFFSET, scratch.address + NativeScratch.CONTROL);
            buffer.putLong(NativeScratch.MSGHDR + Socket.MSGHDR_CONTROLLEN_OFFSET, controlLength);
        }
        return scratch.address + NativeScratch.MSGHDR;
    }
}
