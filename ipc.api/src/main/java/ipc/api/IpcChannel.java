package ipc.api;

import java.nio.ByteBuffer;
import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One connection between two processes: a ring in shared memory in each direction, carrying messages of
 * 0 to {@link #maxMessageSize()} bytes, delivered whole, in order, exactly once.
 *
 * <h2>Threads</h2>
 * Sending is thread-safe: concurrent senders are serialized by a short lock, held while a message is copied into
 * the ring and while its sender waits for room in a full ring (that wait is ended by the peer's reader, which never
 * needs the lock), so their messages never interleave and a waiting sender is never overtaken. A
 * {@link #claim claim} holds that lock until it is committed or aborted. Receiving is single-reader: one thread
 * at a time may receive; a second concurrent receiver gets an {@link IllegalStateException}.
 * {@link #close()}, {@link #isOpen()}, {@link #peer()} and {@link #stats()} may be called from any thread.
 *
 * <h2>Waiting</h2>
 * A receive waits, and a send waits for room in a full ring, according to {@link IpcOptions#idleStrategy()}.
 * A busy stream makes no system call.
 *
 * <h2>Errors</h2>
 * When the peer closes or dies, pending and later calls fail with {@link IpcPeerClosedException}, after the
 * messages it had sent have been received. After {@link #close()} every call fails with
 * {@link IpcClosedException}. A protocol violation by the peer closes the channel and fails with
 * {@link IpcProtocolException}.
 */
@ProviderType
public interface IpcChannel extends AutoCloseable
{
    /**
     * Sends a message: copies it into the ring and wakes the peer if it sleeps.
     *
     * @param message the whole array is the message.
     * @throws IpcMessageTooLargeException if it is larger than {@link #maxMessageSize()}; nothing was sent.
     * @throws IpcTimeoutException         if the ring stayed full for {@link IpcOptions#sendTimeout()}; nothing
     *                                     of the message is visible to the peer.
     * @throws IpcClosedException          if this channel or the peer is closed.
     */
    void send(byte[] message) throws IpcException;

    /**
     * Sends part of an array as a message.
     *
     * @param message the array.
     * @param offset  where the message starts.
     * @param length  the message's length.
     * @throws IpcException              as {@link #send(byte[])}.
     * @throws IndexOutOfBoundsException if offset and length do not fit the array.
     */
    void send(byte[] message, int offset, int length) throws IpcException;

    /**
     * Sends the remaining bytes of a buffer as a message; on success the buffer's position is at its limit.
     *
     * @param message the message, from position to limit.
     * @throws IpcException as {@link #send(byte[])}; on failure the buffer's position is unchanged.
     */
    void send(ByteBuffer message) throws IpcException;

    /**
     * Sends the remaining bytes of a buffer as a message, waiting at most {@code timeout} for room in the ring instead
     * of {@link IpcOptions#sendTimeout()}: for a sender with a deadline of its own, such as a call. On success the
     * buffer's position is at its limit.
     *
     * @param message the message, from position to limit.
     * @param timeout the longest wait for room; {@link Duration#ZERO} fails at once if the message does not fit now.
     * @throws IpcTimeoutException if the ring stayed full for {@code timeout}; nothing of the message is visible to
     *                             the peer.
     * @throws IpcException        otherwise as {@link #send(byte[])}; on failure the buffer's position is unchanged.
     * @since 1.2
     */
    void send(ByteBuffer message, Duration timeout) throws IpcException;

    /**
     * Claims room for a message of a known length straight in the ring, to be written in place and then
     * {@link IpcClaim#commit() committed}: no copy. Holds the send lock until committed or aborted.
     *
     * @param length  the message's length, at most {@link #maxClaimLength()}.
     * @param timeout how long to wait for room.
     * @return the claim; the caller commits or aborts it.
     * @throws IpcMessageTooLargeException if {@code length} exceeds {@link #maxClaimLength()}.
     * @throws IllegalArgumentException    if {@code length} is negative.
     * @throws IllegalStateException       if this thread holds an unfinished claim on this channel (a send or a
     *                                     claim would wait for it); likewise for the sends.
     * @throws IpcTimeoutException         if no room appeared in time.
     * @throws IpcClosedException          if this channel or the peer is closed, also while waiting for another
     *                                     thread's claim.
     */
    IpcClaim claim(int length, Duration timeout) throws IpcException;

    /**
     * Receives the next message into a buffer, from its position; on success the position has advanced by the
     * message's length.
     *
     * @param destination where to copy the message.
     * @param timeout     how long to wait; zero polls once.
     * @return the message's length.
     * @throws IpcMessageTooLargeException if the message does not fit the buffer's remaining bytes; it stays
     *                                     first in line and can be received with a larger buffer.
     * @throws IpcTimeoutException         if no message arrived in time.
     * @throws IpcPeerClosedException      if the peer closed and every message it sent has been received.
     * @throws IpcClosedException          if this channel is closed.
     */
    int receive(ByteBuffer destination, Duration timeout) throws IpcException;

    /**
     * Receives the next message as a new array.
     *
     * @param timeout how long to wait; zero polls once.
     * @return the message.
     * @throws IpcException as {@link #receive(ByteBuffer, Duration)}.
     */
    byte[] receive(Duration timeout) throws IpcException;

    /**
     * Receives the next message as a read-only view (between its position and limit) of the shared memory itself (or, for a fragmented message,
     * of the reassembly buffer): no copy. The record stays in the ring until the view is
     * {@link IpcMessage#close() released}; release it before receiving again. Every call returns a new handle: a
     * stale one, closed again after a later borrow, does nothing.
     *
     * @param timeout how long to wait; zero polls once.
     * @return the borrowed message.
     * @throws IpcException as {@link #receive(ByteBuffer, Duration)}.
     */
    IpcMessage receiveBorrowed(Duration timeout) throws IpcException;

    /**
     * Receives a batch: waits up to the timeout for a first message, then hands it and every further message that
     * is already waiting, up to {@code limit}, to the handler, without copying. The cheapest way to drain a busy
     * channel: the bookkeeping that {@link #receive(ByteBuffer, Duration)} does per message is done once per batch.
     *
     * @param handler receives each message; see {@link IpcMessageHandler#onMessage(ByteBuffer)}.
     * @param limit   the most messages to deliver, at least 1.
     * @param timeout how long to wait for the first message; zero polls once.
     * @return the number of messages delivered: 0 if none arrived in time.
     * @throws IpcPeerClosedException if the peer closed and every message it sent has been received.
     * @throws IpcClosedException     if this channel is closed.
     * @throws IllegalArgumentException if {@code limit} is less than 1.
     */
    int poll(IpcMessageHandler handler, int limit, Duration timeout) throws IpcException;

    /**
     * The largest message this connection carries, agreed in the handshake.
     *
     * @return bytes.
     */
    int maxMessageSize();

    /**
     * The largest {@link #claim claim}: what one ring record holds.
     *
     * @return bytes.
     */
    int maxClaimLength();

    /**
     * The process at the other end.
     *
     * @return the peer.
     */
    IpcPeer peer();

    /**
     * A snapshot of this channel's counters.
     *
     * @return the counters.
     */
    IpcStats stats();

    /**
     * Whether the channel is open: neither closed here nor seen closed by the peer.
     *
     * @return {@code true} while open.
     */
    boolean isOpen();

    /**
     * Closes the channel: tells the peer, wakes every thread of this process waiting on it, and frees the
     * shared memory, handles and descriptors it holds. Idempotent; safe from any thread. On a connection a server's
     * dispatcher serves, replies it queued for want of room are written first (see {@link IpcHandler}): the channel
     * is closed for this side at once, and for the peer once it has read them.
     */
    @Override
    void close();
}
