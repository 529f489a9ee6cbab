package ipc.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Room for one message claimed straight in a channel's ring. Write the message into {@link #buffer()}, then
 * {@link #commit()} it, or {@link #abort()} to send nothing. Until then the channel's send lock is held by the
 * claiming thread, which is the thread that must commit or abort it. Closing an uncommitted claim aborts it;
 * closing a finished one does nothing. Each claim is a handle of its own.
 *
 * <p>The buffer is shared memory the peer can map: never read back from it what you validated, and never use it
 * after the commit or abort.
 */
@ProviderType
public interface IpcClaim extends AutoCloseable
{
    /**
     * The claimed room: position 0, limit and capacity equal to the claimed length. Valid until commit or abort.
     *
     * @return a writable view of the ring.
     */
    ByteBuffer buffer();

    /**
     * Publishes the message to the peer and wakes it if it sleeps.
     *
     * @throws IllegalStateException if already committed or aborted.
     */
    void commit();

    /**
     * Gives the room back; the peer sees nothing.
     *
     * @throws IllegalStateException if already committed or aborted.
     */
    void abort();

    /** Aborts the claim unless it was committed or aborted. */
    @Override
    void close();
}
