package ipc.shared.spi;

import java.nio.ByteBuffer;

import ipc.api.IpcException;
import ipc.api.IpcPeer;

/**
 * One side of a control connection: carries the handshake frames and, with them, the handles of a connection's
 * resources. Afterwards it carries nothing: its end-of-stream is how the other side learns that this side closed
 * or died. Watchable by a {@link Multiplexer}: ready when bytes or the end of stream arrived.
 *
 * <p>Receives never block; {@link #awaitReadable(long)} waits. Used by one thread at a time.
 */
public interface ControlChannel extends Selectable, AutoCloseable
{
    /**
     * Sends a frame, with handles, whole.
     *
     * @param frame   from position to limit; at most a few hundred bytes.
     * @param handles handles valid in this process to transfer to the peer (duplicated, not moved), or empty.
     * @throws ipc.api.IpcPeerClosedException if the peer is gone.
     * @throws IpcException                   if the OS fails.
     */
    void send(ByteBuffer frame, long[] handles) throws IpcException;

    /**
     * Reads what has arrived, without blocking, appending bytes at {@code dst}'s position and any handles that
     * came with them to {@code handles}.
     *
     * @param dst     where to put the bytes.
     * @param handles where to put received handles; handles beyond its room are closed and reported as an error.
     * @return bytes read, 0 if nothing has arrived, -1 at the end of the stream.
     * @throws ipc.api.IpcProtocolException if the peer sent more handles than expected.
     * @throws IpcException                 if the OS fails.
     */
    int receive(ByteBuffer dst, ReceivedHandles handles) throws IpcException;

    /**
     * Waits until bytes or the end of stream can be read.
     *
     * @param timeoutNanos how long to wait.
     * @return {@code true} if readable; {@code false} on timeout, or earlier when a signal interrupted the wait
     *         ({@code EINTR}): callers loop on their own deadline.
     * @throws IpcException if the OS fails.
     */
    boolean awaitReadable(long timeoutNanos) throws IpcException;

    /**
     * The process at the other end, as the OS reports it.
     *
     * @return the peer.
     * @throws IpcException if the OS fails.
     */
    IpcPeer peer() throws IpcException;

    /** Closes this side; the peer sees the end of the stream. Idempotent. */
    @Override
    void close();
}
