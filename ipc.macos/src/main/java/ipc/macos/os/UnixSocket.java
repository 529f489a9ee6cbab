package ipc.macos.os;

import static ipc.macos.jna.Socket.AF_UNIX;
import static ipc.macos.jna.Socket.CMSGHDR_LEN_OFFSET;
import static ipc.macos.jna.Socket.CMSGHDR_LEVEL_OFFSET;
import static ipc.macos.jna.Socket.CMSGHDR_TYPE_OFFSET;
import static ipc.macos.jna.Socket.CMSG_ALIGN;
import static ipc.macos.jna.Socket.CMSG_DATA_OFFSET;
import static ipc.macos.jna.Socket.CMSG_LEN;
import static ipc.macos.jna.Socket.CMSG_SPACE;
import static ipc.macos.jna.Socket.MSG_CTRUNC;
import static ipc.macos.jna.Socket.MSG_DONTWAIT;
import static ipc.macos.jna.Socket.SCM_RIGHTS;
import static ipc.macos.jna.Socket.SIZEOF_CMSGHDR;
import static ipc.macos.jna.Socket.SOCK_STREAM;
import static ipc.macos.jna.Socket.SOL_SOCKET;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;
import ipc.macos.jna.Errno;
import ipc.macos.jna.LibC;
import ipc.macos.jna.Poll;
import ipc.macos.jna.Socket;
import ipc.macos.jna.Ucred;
import ipc.macos.jna.Un;
import ipc.shared.posix.ReceivedMessage;

/**
 * Unix domain stream sockets on macOS: listen, accept, a connect that honours a timeout, socket pairs, messages
 * with descriptors ({@code SCM_RIGHTS}), doorbell bytes and peer identity. Every socket made here gets
 * {@code FD_CLOEXEC} right after it is created (macOS has no {@code SOCK_CLOEXEC}) and {@code SO_NOSIGPIPE}, so a
 * vanished peer gives {@code EPIPE}, never {@code SIGPIPE}.
 *
 * <p>Everything received is untrusted: descriptors beyond what the caller asked for are closed here and reported
 * as an {@link IpcProtocolException}.
 */
public final class UnixSocket
{
    /** The longest socket path in bytes: {@code sun_path} is 104 bytes, one kept for the NUL. */
    public static final int MAX_PATH_BYTES = Un.SUN_PATH_LENGTH - 1;
    /**
     * The control buffer of every receive has room for this many descriptors: more than one {@code sendmsg} can
     * carry, since xnu refuses control data that would need more than {@code MCLBYTES} (2048) bytes once each
     * 4-byte descriptor is widened to a pointer ({@code bsd/kern/uipc_syscalls.c sockargs}), i.e. about 254. The
     * kernel installs received descriptors before it would truncate, so a smaller buffer would leak a hostile
     * peer's extras; with this one they are all seen and closed.
     */
    public static final int MAX_RECEIVE_FDS = 256;
    /** The most descriptors this backend sends in one message. */
    public static final int MAX_SEND_FDS = 8;
    /** {@link #pollEither}: the first descriptor is ready. */
    public static final int FIRST_READY = 1;
    /** {@link #pollEither}: the second descriptor is ready. */
    public static final int SECOND_READY = 2;

    /** How long a connect retries while the server's backlog is full (xnu refuses then, it does not queue). */
    static final long REFUSED_RETRY_NANOS = 2_000_000_000L;

    /** The most reads of one {@link #drainRings} call (of 64 bytes each). */
    static final int MAX_DRAIN_READS = 16;

    private static final int FD_SIZE = 4;
    private static final int INT_SIZE = 4;

    private UnixSocket()
    {
    }

    /**
     * A new stream socket, close-on-exec, {@code SO_NOSIGPIPE}.
     *
     * @return the descriptor, blocking.
     * @throws IpcException when the kernel refuses.
     */
    public static int socket() throws IpcException
    {
        final int fd = LibC.socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0)
        {
            throw MacErrors.exception("socket", Native.getLastError(), "domain=AF_UNIX");
        }
        return prepare(fd);
    }

    private static int prepare(final int fd) throws IpcException
    {
        try
        {
            Posix.setCloseOnExec(fd);
            setNoSigPipe(fd);
            return fd;
        }
        catch (final IpcException | RuntimeException ex)
        {
            Posix.closeQuietly(fd);
            throw ex;
        }
    }

    /**
     * Sets {@code SO_NOSIGPIPE} on a socket.
     *
     * @param fd the socket.
     * @throws IpcException when {@code setsockopt} fails.
     */
    public static void setNoSigPipe(final int fd) throws IpcException
    {
        if (LibC.setsockopt(fd, SOL_SOCKET, Socket.SO_NOSIGPIPE, new int[] {1}, INT_SIZE) < 0)
        {
            throw MacErrors.exception("setsockopt(SO_NOSIGPIPE)", Native.getLastError(), "fd=" + fd);
        }
    }

    /**
     * A pair of connected stream sockets, both close-on-exec and {@code SO_NOSIGPIPE}.
     *
     * @return the two descriptors, owned by the caller.
     * @throws IpcException when the kernel refuses.
     */
    public static int[] socketPair() throws IpcException
    {
        final int[] pair = {-1, -1};
        if (LibC.socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
        {
            throw MacErrors.exception("socketpair", Native.getLastError(), "domain=AF_UNIX");
        }
        try
        {
            prepare(pair[0]);
        }
        catch (final IpcException ex)
        {
            Posix.closeQuietly(pair[1]);
            throw ex;
        }
        try
        {
            prepare(pair[1]);
        }
        catch (final IpcException ex)
        {
            Posix.closeQuietly(pair[0]);
            throw ex;
        }
        return pair;
    }

    /**
     * A listening socket bound to {@code path} ({@code socket}, {@code bind}, {@code listen}). The caller sets the
     * file's permissions and removes a stale file first.
     *
     * @param path    the socket file, at most {@link #MAX_PATH_BYTES} bytes in UTF-8.
     * @param backlog the queue length (the kernel caps it at {@code kern.ipc.somaxconn}, 128 by default).
     * @return the listening descriptor, owned by the caller.
     * @throws IpcException when a call fails ({@code EADDRINUSE}: {@link ipc.api.IpcAlreadyBoundException}).
     */
    public static int listen(final String path, final int backlog) throws IpcException
    {
        final Un.sockaddr_un address = address(path);
        final int fd = socket();
        boolean bound = false;
        try
        {
            if (LibC.bind(fd, address, address.sun_len & 0xFF) < 0)
            {
                throw MacErrors.exception("bind", Native.getLastError(), "path=" + path);
            }
            bound = true;
            if (LibC.listen(fd, backlog) < 0)
            {
                throw MacErrors.exception("listen", Native.getLastError(), "path=" + path + " backlog=" + backlog);
            }
            return fd;
        }
        catch (final IpcException ex)
        {
            Posix.closeQuietly(fd);
            if (bound)
            {
                LibC.unlink(path);
            }
            throw ex;
        }
    }

    /**
     * Accepts a pending connection, without blocking when the listener is non-blocking; the new socket is made
     * close-on-exec, non-blocking and {@code SO_NOSIGPIPE}.
     *
     * @param listenFd the listening socket.
     * @return the connected socket, or -1 when none is pending ({@code EAGAIN}) or it was aborted.
     * @throws IpcException when the call fails otherwise (e.g. {@code EMFILE}).
     */
    public static int accept(final int listenFd) throws IpcException
    {
        while (true)
        {
            final int fd = LibC.accept(listenFd, null, null);
            if (fd >= 0)
            {
                prepare(fd);
                try
                {
                    Posix.setNonBlocking(fd);
                }
                catch (final IpcException ex)
                {
                    Posix.closeQuietly(fd);
                    throw ex;
                }
                return fd;
            }
            final int errno = Native.getLastError();
            if (errno == Errno.EAGAIN || errno == Errno.ECONNABORTED)
            {
                return -1;
            }
            if (errno != Errno.EINTR)
            {
                throw MacErrors.exception("accept", errno, "fd=" + listenFd);
            }
        }
    }

    /**
     * Connects to a listening socket within a timeout. The socket is non-blocking throughout: a connect in
     * progress is awaited with {@code poll} and its result read with {@code SO_ERROR}. xnu refuses
     * ({@code ECONNREFUSED}) rather than queues a connection to a full backlog, so while the socket file exists a
     * refusal is retried with a short back-off, for at most {@link #REFUSED_RETRY_NANOS} within the timeout.
     *
     * @param path         the socket file, at most {@link #MAX_PATH_BYTES} bytes in UTF-8.
     * @param timeoutNanos how long to try.
     * @return the connected socket, non-blocking, owned by the caller.
     * @throws IpcException {@link IpcClosedException} if nobody listens; {@link IpcTimeoutException} if the
     *                      connection did not complete in time; {@link IpcException} otherwise.
     */
    public static int connect(final String path, final long timeoutNanos) throws IpcException
    {
        final Un.sockaddr_un address = address(path);
        final long start = System.nanoTime();
        final long refusedUntil = start + Math.min(Math.max(0, timeoutNanos), REFUSED_RETRY_NANOS);
        long backoffMillis = 1;
        while (true)
        {
            final int fd = socket();
            final int errno;
            try
            {
                Posix.setNonBlocking(fd);
                errno = connectOnce(fd, address, start + Math.max(0, timeoutNanos), path);
            }
            catch (final IpcException | RuntimeException ex)
            {
                Posix.closeQuietly(fd);
                throw ex;
            }
            if (errno == 0)
            {
                return fd;
            }
            Posix.closeQuietly(fd);
            if (errno != Errno.ECONNREFUSED || System.nanoTime() - refusedUntil >= 0 || !Files.exists(Path.of(path)))
            {
                throw MacErrors.exception("connect", errno, "path=" + path);
            }
            sleep(backoffMillis);
            backoffMillis = Math.min(20, backoffMillis * 2);
        }
    }

    /** One attempt: 0 when connected, an errno when refused; throws on timeout and other failures. */
    private static int connectOnce(final int fd, final Un.sockaddr_un address, final long deadline, final String path)
        throws IpcException
    {
        while (LibC.connect(fd, address, address.sun_len & 0xFF) < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EINTR)
            {
                continue;
            }
            if (errno == Errno.EISCONN)
            {
                return 0;
            }
            if (errno != Errno.EINPROGRESS && errno != Errno.EALREADY)
            {
                return errno;
            }
            while (true)
            {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    throw new IpcTimeoutException("connect did not complete in time: path=" + path);
                }
                // 0 on a signal (EINTR) as well as on timeout: only the deadline ends the wait.
                if (poll(fd, Poll.POLLOUT, toMillis(remaining)) != 0)
                {
                    return socketError(fd);
                }
            }
        }
        return 0;
    }

    private static int socketError(final int fd) throws IpcException
    {
        final Memory value = new Memory(INT_SIZE);
        value.setInt(0, 0);
        final int[] length = {INT_SIZE};
        if (LibC.getsockopt(fd, SOL_SOCKET, Socket.SO_ERROR, value, length) < 0)
        {
            throw MacErrors.exception("getsockopt(SO_ERROR)", Native.getLastError(), "fd=" + fd);
        }
        return value.getInt(0);
    }

    private static void sleep(final long millis) throws IpcException
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IpcException("interrupted while connecting", ex);
        }
    }

    /**
     * Rounds nanoseconds up to whole milliseconds for {@code poll}.
     *
     * @param nanos nanoseconds; negative means no limit.
     * @return milliseconds, -1 for no limit.
     */
    public static int toMillis(final long nanos)
    {
        if (nanos < 0)
        {
            return -1;
        }
        return (int)Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000);
    }

    /**
     * The address of a socket path, refusing a path that does not fit {@code sun_path} with its NUL.
     *
     * @param path the path.
     * @return the address, {@code sun_len} set.
     * @throws IpcException if the path is empty, too long or contains a NUL.
     */
    static Un.sockaddr_un address(final String path) throws IpcException
    {
        final byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_PATH_BYTES)
        {
            throw new IpcException("socket path does not fit sun_path: bytes=" + bytes.length + " max=" +
                MAX_PATH_BYTES + " path=" + path);
        }
        for (final byte b : bytes)
        {
            if (b == 0)
            {
                throw new IpcException("socket path contains a NUL character: path=" + path);
            }
        }
        final Un.sockaddr_un address = new Un.sockaddr_un();
        address.sun_len = (byte)(Un.SUN_PATH_OFFSET + bytes.length + 1);
        address.sun_family = AF_UNIX;
        System.arraycopy(bytes, 0, address.sun_path, 0, bytes.length);
        return address;
    }

    /**
     * Sends bytes and, with the first of them, descriptors (one {@code SCM_RIGHTS} message). A stream socket may
     * take fewer bytes than offered: the caller sends the rest without descriptors.
     *
     * @param fd   the connected, non-blocking socket.
     * @param data the bytes from its position to its limit; its position advances by the bytes sent.
     * @param fds  the descriptors, at most {@link #MAX_SEND_FDS}; empty or {@code null} for none.
     * @return bytes sent; 0 when the socket is full ({@code EAGAIN}, or {@code ENOBUFS} when the kernel is short of
     *         buffers: both are waited out by the caller).
     * @throws IpcException {@link ipc.api.IpcPeerClosedException} when the peer is gone; {@link IpcException}
     *                      otherwise (e.g. {@code EMSGSIZE}).
     */
    public static int sendMessage(final int fd, final ByteBuffer data, final int[] fds) throws IpcException
    {
        final int fdCount = null == fds ? 0 : fds.length;
        final int length = data.remaining();
        if (fdCount > MAX_SEND_FDS)
        {
            throw new IllegalArgumentException("too many descriptors: fds=" + fdCount + " max=" + MAX_SEND_FDS);
        }
        if (length == 0 && fdCount > 0)
        {
            throw new IllegalArgumentException("descriptors need at least one byte of data to travel with");
        }
        final Memory copy = data.isDirect() ? null : new Memory(Math.max(length, 1));
        final long base;
        if (null == copy)
        {
            base = NativeScratch.addressOf(data) + data.position();
        }
        else
        {
            copy.write(0L, data.array(), data.arrayOffset() + data.position(), length);
            base = Pointer.nativeValue(copy);
        }
        final Socket.msghdr msg = messageOver(base, length);
        Memory control = null;
        if (fdCount > 0)
        {
            final long space = CMSG_SPACE((long)fdCount * FD_SIZE);
            control = new Memory(space);
            control.clear();
            control.setInt(CMSGHDR_LEN_OFFSET, (int)CMSG_LEN((long)fdCount * FD_SIZE));
            control.setInt(CMSGHDR_LEVEL_OFFSET, SOL_SOCKET);
            control.setInt(CMSGHDR_TYPE_OFFSET, SCM_RIGHTS);
            control.write(CMSG_DATA_OFFSET(), fds, 0, fdCount);
            msg.msg_control = control;
            msg.msg_controllen = (int)space;
        }
        try
        {
            while (true)
            {
                final long sent = LibC.sendmsg(fd, msg, MSG_DONTWAIT);
                if (sent >= 0)
                {
                    data.position(data.position() + (int)sent);
                    return (int)sent;
                }
                final int errno = Native.getLastError();
                if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS)
                {
                    return 0;
                }
                if (errno != Errno.EINTR)
                {
                    throw MacErrors.exception("sendmsg", errno, "fd=" + fd + " bytes=" + length + " fds=" + fdCount);
                }
            }
        }
        finally
        {
            Reference.reachabilityFence(msg);
            Reference.reachabilityFence(control);
            Reference.reachabilityFence(copy);
            Reference.reachabilityFence(data);
        }
    }

    /**
     * Receives bytes and the descriptors sent with them, without blocking. Every descriptor received is made
     * close-on-exec at once (macOS has no {@code MSG_CMSG_CLOEXEC}). If the peer sent more than {@code maxFds}, or
     * the kernel truncated the control data, every descriptor received is closed and an
     * {@link IpcProtocolException} thrown.
     *
     * @param fd     the connected socket.
     * @param dst    where to store the bytes (at least one byte of room); its position advances.
     * @param fdsOut where to store the descriptors, from index 0.
     * @param maxFds the most descriptors expected, up to {@code fdsOut.length}.
     * @return the bytes (0 at end of stream, -1 if nothing was available) and descriptors received.
     * @throws IpcProtocolException when the peer sent more descriptors than expected.
     * @throws IpcException         {@link ipc.api.IpcPeerClosedException} on {@code ECONNRESET}; {@link IpcException}
     *                              otherwise.
     */
    public static ReceivedMessage receiveMessage(final int fd, final ByteBuffer dst, final int[] fdsOut,
        final int maxFds) throws IpcException
    {
        final int length = dst.remaining();
        if (maxFds < 0 || maxFds > (null == fdsOut ? 0 : fdsOut.length))
        {
            throw new IllegalArgumentException("maxFds out of range: maxFds=" + maxFds + " fdsOut=" +
                (null == fdsOut ? 0 : fdsOut.length));
        }
        if (length == 0 || dst.isReadOnly())
        {
            throw new IllegalArgumentException("no room to receive: remaining=" + length + " readOnly=" +
                dst.isReadOnly());
        }
        final Memory copy = dst.isDirect() ? null : new Memory(length);
        final long base = null == copy ? NativeScratch.addressOf(dst) + dst.position() : Pointer.nativeValue(copy);
        final Socket.msghdr msg = messageOver(base, length);
        final long space = CMSG_SPACE((long)MAX_RECEIVE_FDS * FD_SIZE);
        final Memory control = new Memory(space);
        control.clear();
        msg.msg_control = control;
        msg.msg_controllen = (int)space;
        try
        {
            long received;
            while ((received = LibC.recvmsg(fd, msg, MSG_DONTWAIT)) < 0)
            {
                final int errno = Native.getLastError();
                if (errno == Errno.EAGAIN)
                {
                    return new ReceivedMessage(-1, 0);
                }
                if (errno != Errno.EINTR)
                {
                    throw MacErrors.exception("recvmsg", errno, "fd=" + fd + " bytes=" + length);
                }
            }
            msg.read();
            final int fdCount = collectDescriptors(fd, msg, control, fdsOut, maxFds);
            if (null != copy)
            {
                copy.read(0L, dst.array(), dst.arrayOffset() + dst.position(), (int)received);
            }
            dst.position(dst.position() + (int)received);
            return new ReceivedMessage((int)received, fdCount);
        }
        finally
        {
            Reference.reachabilityFence(msg);
            Reference.reachabilityFence(control);
            Reference.reachabilityFence(copy);
            Reference.reachabilityFence(dst);
        }
    }

    /** Walks the control messages (CMSG_FIRSTHDR/CMSG_NXTHDR rules), keeps up to maxFds, closes all on excess. */
    private static int collectDescriptors(final int fd, final Socket.msghdr msg, final Memory control,
        final int[] fdsOut, final int maxFds) throws IpcProtocolException
    {
        if (null != fdsOut)
        {
            Arrays.fill(fdsOut, 0, maxFds, -1);
        }
        int kept = 0;
        int excess = 0;
        final long end = Math.min(Integer.toUnsignedLong(msg.msg_controllen), control.size());
        long offset = 0;
        while (offset + SIZEOF_CMSGHDR <= end)
        {
            final long cmsgLen = Integer.toUnsignedLong(control.getInt(offset + CMSGHDR_LEN_OFFSET));
            if (cmsgLen < CMSG_LEN(0) || offset + cmsgLen > end)
            {
                break;
            }
            if (control.getInt(offset + CMSGHDR_LEVEL_OFFSET) == SOL_SOCKET &&
                control.getInt(offset + CMSGHDR_TYPE_OFFSET) == SCM_RIGHTS)
            {
                final long count = (cmsgLen - CMSG_LEN(0)) / FD_SIZE;
                for (long i = 0; i < count; i++)
                {
                    final int received = control.getInt(offset + CMSG_DATA_OFFSET() + i * FD_SIZE);
                    if (kept < maxFds && closeOnExecOrClose(received))
                    {
                        fdsOut[kept++] = received;
                    }
                    else
                    {
                        excess++;
                        Posix.closeQuietly(received);
                    }
                }
            }
            offset += CMSG_ALIGN(cmsgLen);
        }
        final boolean truncated = (msg.msg_flags & MSG_CTRUNC) != 0;
        if (truncated || excess > 0)
        {
            for (int i = 0; i < kept; i++)
            {
                Posix.closeQuietly(fdsOut[i]);
                fdsOut[i] = -1;
            }
            throw new IpcProtocolException("peer sent more file descriptors than expected: fd=" + fd + " maxFds=" +
                maxFds + " received=" + (kept + excess) + " truncated=" + truncated);
        }
        return kept;
    }

    private static boolean closeOnExecOrClose(final int fd)
    {
        try
        {
            Posix.setCloseOnExec(fd);
            return true;
        }
        catch (final IpcException ex)
        {
            return false;
        }
    }

    /**
     * The identity of the peer of a connected socket: {@code LOCAL_PEERCRED} (a {@code struct xucred}) for the uid,
     * {@code LOCAL_PEERPID} for the pid.
     *
     * @param fd the connected socket.
     * @return the peer's pid and uid.
     * @throws IpcException when {@code getsockopt} fails or answers an unknown {@code xucred} version.
     */
    public static PeerCredentials peerCredentials(final int fd) throws IpcException
    {
        final Ucred.xucred credentials = new Ucred.xucred();
        final int[] length = {credentials.size()};
        if (LibC.getsockopt(fd, Un.SOL_LOCAL, Un.LOCAL_PEERCRED, credentials.getPointer(), length) < 0)
        {
            throw MacErrors.exception("getsockopt(LOCAL_PEERCRED)", Native.getLastError(), "fd=" + fd);
        }
        credentials.read();
        if (credentials.cr_version != Ucred.XUCRED_VERSION)
        {
            throw new IpcException("unknown struct xucred version: fd=" + fd + " cr_version=" +
                credentials.cr_version + " expected=" + Ucred.XUCRED_VERSION);
        }
        final Memory pid = new Memory(INT_SIZE);
        final int[] pidLength = {INT_SIZE};
        if (LibC.getsockopt(fd, Un.SOL_LOCAL, Un.LOCAL_PEERPID, pid, pidLength) < 0)
        {
            throw MacErrors.exception("getsockopt(LOCAL_PEERPID)", Native.getLastError(), "fd=" + fd);
        }
        return new PeerCredentials(pid.getInt(0), credentials.cr_uid);
    }

    /**
     * Waits until one descriptor is ready ({@code poll}, per-thread native memory, no allocation).
     *
     * @param fd            the descriptor.
     * @param events        e.g. {@link Poll#POLLIN}.
     * @param timeoutMillis milliseconds; negative waits forever.
     * @return the events that occurred, 0 on timeout or {@code EINTR}.
     * @throws IpcException when {@code poll} fails.
     */
    public static int poll(final int fd, final int events, final int timeoutMillis) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        putPollfd(scratch.buffer, NativeScratch.POLLFD, fd, events);
        final boolean ready = pollSlots(scratch, NativeScratch.POLLFD, 1, timeoutMillis, fd);
        return ready ? revents(scratch.buffer, NativeScratch.POLLFD) : 0;
    }

    /**
     * Waits until either of two descriptors is readable ({@code poll} on two {@code struct pollfd}s, per-thread native
     * memory, no allocation): a doorbell and the private socket pair of its local wake-ups.
     *
     * @param first         the first descriptor.
     * @param second        the second descriptor.
     * @param timeoutMillis milliseconds; negative waits forever.
     * @return {@link #FIRST_READY} and/or {@link #SECOND_READY} for each descriptor with events ({@code POLLIN},
     *         {@code POLLHUP}, {@code POLLERR}, {@code POLLNVAL}); 0 on timeout or {@code EINTR}.
     * @throws IpcException when {@code poll} fails.
     */
    public static int pollEither(final int first, final int second, final int timeoutMillis) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        final int secondOffset = NativeScratch.POLLFD_PAIR + Poll.SIZEOF_POLLFD;
        putPollfd(scratch.buffer, NativeScratch.POLLFD_PAIR, first, Poll.POLLIN);
        putPollfd(scratch.buffer, secondOffset, second, Poll.POLLIN);
        if (!pollSlots(scratch, NativeScratch.POLLFD_PAIR, 2, timeoutMillis, first))
        {
            return 0;
        }
        return (revents(scratch.buffer, NativeScratch.POLLFD_PAIR) != 0 ? FIRST_READY : 0) |
            (revents(scratch.buffer, secondOffset) != 0 ? SECOND_READY : 0);
    }

    private static void putPollfd(final ByteBuffer buffer, final int offset, final int fd, final int events)
    {
        buffer.putInt(offset + Poll.POLLFD_FD_OFFSET, fd);
        buffer.putShort(offset + Poll.POLLFD_EVENTS_OFFSET, (short)events);
        buffer.putShort(offset + Poll.POLLFD_REVENTS_OFFSET, (short)0);
    }

    private static int revents(final ByteBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + Poll.POLLFD_REVENTS_OFFSET) & 0xFFFF;
    }

    /** {@code poll} on {@code count} prepared slots: {@code false} on timeout or {@code EINTR}. */
    private static boolean pollSlots(final NativeScratch scratch, final int offset, final int count,
        final int timeoutMillis, final int firstFd) throws IpcException
    {
        final int ready = LibC.poll(scratch.address + offset, count, timeoutMillis);
        if (ready < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EINTR)
            {
                return false;
            }
            throw MacErrors.exception("poll", errno, "fd=" + firstFd + " nfds=" + count);
        }
        return ready > 0;
    }

    /**
     * Rings a doorbell: one byte, {@code MSG_DONTWAIT} (whatever the descriptor's flags). A full socket
     * ({@code EAGAIN}) means rings are already pending: nothing is lost.
     *
     * @param fd the doorbell end.
     * @return {@code false} if the other end is gone ({@code EPIPE}, {@code ECONNRESET}, {@code ENOTCONN}).
     * @throws IpcException when {@code send} fails otherwise.
     */
    public static boolean ring(final int fd) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        scratch.buffer.put(NativeScratch.BYTES, (byte)1);
        while (LibC.send(fd, scratch.address + NativeScratch.BYTES, 1, MSG_DONTWAIT) < 0)
        {
            final int errno = Native.getLastError();
            switch (errno)
            {
                case Errno.EINTR:
                    continue;
                case Errno.EAGAIN:
                case Errno.ENOBUFS:
                    return true;
                case Errno.EPIPE:
                case Errno.ECONNRESET:
                case Errno.ENOTCONN:
                    return false;
                default:
                    throw MacErrors.exception("send", errno, "doorbell=" + fd);
            }
        }
        return true;
    }

    /**
     * Consumes the pending rings of a doorbell: {@code recv} with {@code MSG_DONTWAIT} (whatever the descriptor's
     * flags) until nothing is left, or at most {@value #MAX_DRAIN_READS} reads: a peer that writes as fast as we
     * read must not hold the caller (the server's single dispatcher) in here. What is left keeps the doorbell
     * readable, so a level-triggered multiplexer reports it again.
     *
     * @param fd the doorbell end.
     * @return {@code false} once the other end is closed (end of stream or reset), {@code true} otherwise.
     * @throws IpcException when {@code recv} fails otherwise.
     */
    public static boolean drainRings(final int fd) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        for (int reads = 0; reads < MAX_DRAIN_READS; reads++)
        {
            final long received = LibC.recv(fd, scratch.address + NativeScratch.BYTES, NativeScratch.BYTES_LENGTH,
                MSG_DONTWAIT);
            if (received > 0)
            {
                continue;
            }
            if (received == 0)
            {
                return false;
            }
            final int errno = Native.getLastError();
            switch (errno)
            {
                case Errno.EINTR:
                    continue;
                case Errno.EAGAIN:
                    return true;
                case Errno.ECONNRESET:
                case Errno.ENOTCONN:
                    return false;
                default:
                    throw MacErrors.exception("recv", errno, "doorbell=" + fd);
            }
        }
        return true;
    }

    private static Socket.msghdr messageOver(final long base, final int length)
    {
        final Socket.iovec iov = new Socket.iovec();
        iov.iov_base = new Pointer(base);
        iov.iov_len = length;
        iov.write();
        final Socket.msghdr msg = new Socket.msghdr();
        msg.msg_iov = iov.getPointer();
        msg.msg_iovlen = 1;
        return msg;
    }
}
