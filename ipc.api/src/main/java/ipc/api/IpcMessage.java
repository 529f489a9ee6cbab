package ipc.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A received message borrowed from the ring: read it through {@link #buffer()}, then {@link #close() release}
 * it so the peer can reuse the room. Not thread-safe.
 *
 * <p>Each borrow is a handle of its own: once released, a handle stays released. Closing it again, even after
 * later messages were borrowed, does nothing, and its {@link #buffer()} throws; it can never release or show a
 * later message.
 *
 * <p>The view is shared memory that the peer can still write while you read it: copy the bytes before you validate
 * them. After the release the view must not be used: the peer reuses the room at once.
 */
@ProviderType
public interface IpcMessage extends AutoCloseable
{
    /**
     * The message, read-only: it lies between the buffer's position and limit (the buffer is a window onto the
     * shared memory, so the position need not be 0). Valid until released; the same buffer object may be handed
     * out again for the next message.
     *
     * @return a read-only view.
     * @throws IllegalStateException if already released.
     */
    ByteBuffer buffer();

    /**
     * The message's length in bytes.
     *
     * @return the length.
     */
    int length();

    /** Releases the message. Idempotent: closing a released handle does nothing, whatever was borrowed since. */
    @Override
    void close();
}
