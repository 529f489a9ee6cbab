package ipc.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A received message borrowed from the ring: read it through {@link #buffer()}, then {@link #close() release}
 * it so the peer can reuse the room. Not thread-safe.
 */
@ProviderType
public interface IpcMessage extends AutoCloseable
{
    /**
     * The message, read-only, from position 0 to its length. Valid until released.
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

    /** Releases the message. Idempotent. */
    @Override
    void close();
}
