package ipc.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the events of a server in event-driven mode ({@link IpcServer#serve(IpcHandler)}). All calls come from
 * the server's dispatcher thread, one at a time, so a handler needs no locking of its own; it must not block for
 * long, since every connection of the server waits while it runs.
 *
 * <p>An exception or error thrown by a handler closes that connection (and is logged); the server and its other
 * connections carry on.
 *
 * <p>A {@link IpcChannel#send} on the dispatcher thread never waits: a reply that does not fit the client's ring is
 * queued, and that client's further messages are not delivered until it has read its replies; a client that does not
 * read them within {@link IpcOptions#sendTimeout()}, or that lets more queue up than its ring holds (max(ring capacity,
 * maximum message size + 8) bytes, each queued message counting 8 bytes of record header beside its own, so that
 * empty messages count too), is closed. A {@link IpcChannel#claim} on the dispatcher thread fails at once when the
 * ring is full. {@link IpcChannel#close()} with replies still queued refuses new messages at once and closes the
 * connection when the client has read the queue (or left, or let the send timeout pass: then the rest is dropped
 * and {@link #onClose} says so), so a handler may answer and hang up, as over a socket.
 */
@ConsumerType
public interface IpcHandler
{
    /**
     * A client connected and completed the handshake. With a client of this version the handshake ends as the server
     * sends its answer, so the client may still be mapping the shared memory: what is sent now waits in the ring
     * until it reads. A client that then finds the connection unusable closes it, and {@link #onClose} follows.
     *
     * @param channel the new connection; it may be used to send at once.
     */
    default void onOpen(final IpcChannel channel)
    {
    }

    /**
     * A message arrived. When the client closes or dies, every message it sent before reaches this method first,
     * then {@link #onClose}; a reply sent meanwhile fails with {@link IpcPeerClosedException}, which does not stop
     * that delivery.
     *
     * @param channel the connection it came on; {@link IpcChannel#send(ByteBuffer)} replies.
     * @param message a read-only view of the message, which lies between its position and limit; valid only
     *                during this call (copy what you keep). It is shared memory that the client can still write
     *                while you read it: copy the bytes before you validate them.
     * @throws Exception closes the connection.
     */
    void onMessage(IpcChannel channel, ByteBuffer message) throws Exception;

    /**
     * A connection closed: by the client, by its death, by a protocol error, or by the server's close.
     *
     * @param channel the closed connection.
     * @param cause   why: {@link IpcPeerClosedException} for the client's close or death,
     *                {@link IpcProtocolException} for bad input, {@link IpcClosedException} for a local close.
     */
    default void onClose(final IpcChannel channel, final IpcException cause)
    {
    }
}
