package ipc.shared.ring;

/**
 * Told by {@link RingMessageWriter} after every record it commits; the wait protocol uses it to wake a reader
 * that announced it sleeps.
 */
@FunctionalInterface
public interface PublishListener
{
    /** A listener that does nothing, for busy-spinning readers. */
    PublishListener NONE = () -> { };

    /**
     * Called on the writer's thread right after a commit (the length was stored with release).
     */
    void onPublish();
}
