package ipc.shared.ring;

/**
 * Told by {@link RingMessageReader} after it published a new head; the wait protocol uses it to wake a writer
 * blocked on a full ring.
 */
@FunctionalInterface
public interface ConsumeListener
{
    /** A listener that does nothing, for busy-spinning writers. */
    ConsumeListener NONE = () -> { };

    /**
     * Called on the reader's thread right after the head was stored with release.
     */
    void onConsume();
}
