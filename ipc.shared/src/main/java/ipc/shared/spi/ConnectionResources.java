package ipc.shared.spi;

import java.nio.ByteBuffer;

import ipc.shared.ring.Direction;

/**
 * One connection's OS resources: the mapped segment and the wake signals of its four wait words. Owned by one
 * channel, which closes it.
 */
public interface ConnectionResources extends AutoCloseable
{
    /**
     * The whole mapped segment, in native byte order.
     *
     * @return the mapping.
     */
    ByteBuffer segment();

    /**
     * Server side: the handles to send to the client with the WELCOME frame.
     *
     * @return handles valid in this process.
     */
    long[] handlesForPeer();

    /**
     * Server side: the WELCOME with {@link #handlesForPeer()} went out; handles needed only for the transfer may be
     * closed now (the mapping keeps the memory).
     */
    default void handlesSent()
    {
    }

    /**
     * The signal that wakes the reader of a ring (data arrived).
     *
     * @param direction the ring.
     * @return the signal.
     */
    WakeSignal readerSignal(Direction direction);

    /**
     * The signal that wakes the writer of a ring (room appeared).
     *
     * <p>For {@link Direction#SERVER_TO_CLIENT} on the client side, {@link WakeSignal#wake()} must also make the
     * server's inbound doorbell ({@code readerSignal(CLIENT_TO_SERVER)}'s selectable) ready: a server dispatcher
     * that stopped reading a client whose ring is full (back-pressure) learns through its multiplexer that room
     * appeared, while a server thread blocked in a send still sleeps on the wait word.
     *
     * @param direction the ring.
     * @return the signal.
     */
    WakeSignal writerSignal(Direction direction);

    /**
     * A signal that sleeps on a ring's reader wait word itself (an address wait: a futex on Linux), for a reader
     * that waits in its own thread rather than through a {@link Multiplexer}; {@code null} if the platform has none
     * for this ring. A reader that has one announces {@link ipc.shared.wait.WaitProtocol#WAITING_ON_WORD} and
     * sleeps on it; the peer's writer, reading that announcement, wakes the word instead of ringing
     * {@link #readerSignal}'s doorbell (see {@link ipc.shared.wait.WaitProtocol}). Both ends must return one for
     * the same directions.
     *
     * @param direction the ring.
     * @return the signal, or {@code null}.
     */
    default WakeSignal readerWordSignal(final Direction direction)
    {
        return null;
    }

    /**
     * Client side: whether the peer can no longer change the segment's size. A segment that can shrink under a
     * mapping turns every access past the new end into a fault (SIGBUS) in the reader's thread, so an unsealed
     * segment is accepted only from a server of the client's own user, who could harm it anyway.
     *
     * @return {@code true} if the size is fixed for the segment's life (Linux memfd seals, a macOS shm object
     *         truncated once, a Windows section).
     */
    default boolean sizeSealed()
    {
        return true;
    }

    /** Unmaps the segment and closes every handle. Idempotent. */
    @Override
    void close();
}
