package ipc.shared.posix;

import java.nio.ByteBuffer;
import java.util.function.IntConsumer;

import ipc.api.IpcException;
import ipc.api.IpcPeer;

/**
 * The system calls a {@link UnixControlChannel} makes on a connected, non-blocking Unix domain stream socket, supplied
 * by each POSIX backend as method references to its own wrappers (Linux's and macOS's constants and structure layouts
 * differ in nearly everything).
 *
 * @param send           {@code sendmsg} with descriptors, never blocking.
 * @param receive        {@code recvmsg} with descriptors, never blocking.
 * @param maxReceivedFds the most descriptors one receive may be asked for ({@link Integer#MAX_VALUE} if the backend
 *                       bounds it itself).
 * @param poll           {@code poll} on the socket alone.
 * @param peer           the peer's process id and uid, from the kernel.
 * @param closeQuietly   {@code close}, ignoring failures.
 */
public record UnixSocketCalls(Send send, Receive receive, int maxReceivedFds, Poll poll, Peer peer,
    IntConsumer closeQuietly)
{
    /**
     * {@code POLLIN}: 0x0001 in both Linux's {@code include/uapi/asm-generic/poll.h} and xnu's
     * {@code bsd/sys/poll.h}.
     */
    public static final int POLLIN = 0x0001;
    /** {@code POLLOUT}: 0x0004 in both Linux's {@code asm-generic/poll.h} and xnu's {@code bsd/sys/poll.h}. */
    public static final int POLLOUT = 0x0004;

    /** Sends bytes, with descriptors ({@code SCM_RIGHTS}) on the first byte, without blocking. */
    @FunctionalInterface
    public interface Send
    {
        /**
         * Sends.
         *
         * @param fd   the socket.
         * @param data the bytes from its position to its limit; its position advances by the bytes sent.
         * @param fds  the descriptors to send, or {@code null} for none.
         * @return the bytes sent; 0 when the socket is full (nothing, not even the descriptors, went out).
         * @throws IpcException when {@code sendmsg} fails otherwise.
         */
        int sendMessage(int fd, ByteBuffer data, int[] fds) throws IpcException;
    }

    /** Receives bytes and descriptors without blocking. */
    @FunctionalInterface
    public interface Receive
    {
        /**
         * Receives.
         *
         * @param fd     the socket.
         * @param dst    where to store the bytes; its position advances.
         * @param fdsOut where to store the descriptors, from index 0.
         * @param maxFds the most descriptors expected, at most {@code fdsOut.length} and {@code maxReceivedFds}.
         * @return what was received.
         * @throws IpcException when {@code recvmsg} fails, or a peer sent more descriptors than expected.
         */
        ReceivedMessage receiveMessage(int fd, ByteBuffer dst, int[] fdsOut, int maxFds) throws IpcException;
    }

    /** Waits until the socket is ready. */
    @FunctionalInterface
    public interface Poll
    {
        /**
         * Polls.
         *
         * @param fd           the socket.
         * @param events       {@link #POLLIN} or {@link #POLLOUT}.
         * @param timeoutNanos how long at most; 0 checks without waiting.
         * @return the events that occurred (also an error or hang-up); 0 on time-out or a signal.
         * @throws IpcException when {@code poll} fails.
         */
        int poll(int fd, int events, long timeoutNanos) throws IpcException;
    }

    /** The peer of a connected socket. */
    @FunctionalInterface
    public interface Peer
    {
        /**
         * Asks the kernel.
         *
         * @param fd the socket.
         * @return the peer's process id and uid.
         * @throws IpcException when the kernel cannot tell.
         */
        IpcPeer of(int fd) throws IpcException;
    }
}
