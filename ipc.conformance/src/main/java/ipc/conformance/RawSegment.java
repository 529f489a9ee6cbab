package ipc.conformance;

import java.nio.ByteBuffer;

/**
 * A raw client's hold on a connection's resources ({@link BackendProbe#attach}): the mapped segment and the
 * doorbell of the server's inbound ring, to misuse at will.
 */
public interface RawSegment extends AutoCloseable
{
    /**
     * The whole mapped segment, in native byte order; writable.
     *
     * @return the mapping.
     */
    ByteBuffer segment();

    /** Rings the server's doorbell once, as an honest client does after publishing; never blocks. */
    void ringDoorbell();

    /** Closes this client's end of the doorbell only, leaving the control connection and the mapping open. */
    void closeDoorbell();

    /**
     * Tries to shrink the segment to nothing through the handle it was sent, as a client that wants the server's
     * mapping to fault would.
     *
     * @return {@code true} if the OS shrank it (the server is then exposed), {@code false} if it refused.
     * @throws UnsupportedOperationException where {@link BackendProbe#noShrinkCall()} says there is no such call.
     */
    boolean shrink();

    /** Unmaps the segment and closes every handle still held. Idempotent. */
    @Override
    void close();
}
