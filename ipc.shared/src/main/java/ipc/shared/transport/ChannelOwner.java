package ipc.shared.transport;

/**
 * The thread that watches a channel's control connection (the peer watcher, or a server's dispatcher). Only the
 * owner unregisters and closes a channel's handles, so a handle is never closed while a multiplexer still
 * watches it and its number cannot be reused under the multiplexer's feet.
 */
interface ChannelOwner
{
    /**
     * Asks the owner to stop watching a closed channel and to release its handles, on the owner's thread.
     *
     * @param channel the closed channel.
     */
    void detach(SharedChannel channel);

    /**
     * A channel's never-waiting thread queued a message its ring had no room for; the owner stops delivering that
     * channel's requests until the queue is written, and retries when room appears. Any thread.
     *
     * @param channel the channel with pending messages.
     */
    default void backpressured(final SharedChannel channel)
    {
    }

    /**
     * The channel was asked to close while messages its never-waiting thread queued are still unwritten: the owner
     * may take the close over and make it once the queue is written, the peer left, or the send timeout passed.
     * The channel takes no new message meanwhile. Any thread.
     *
     * @param channel the channel to close.
     * @return {@code true} if the owner will close it; {@code false} to close it now.
     */
    default boolean closeWhenWritten(final SharedChannel channel)
    {
        return false;
    }
}
