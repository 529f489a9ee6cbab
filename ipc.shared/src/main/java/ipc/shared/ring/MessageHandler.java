package ipc.shared.ring;

import java.nio.ByteBuffer;

/**
 * Receives whole messages from {@link RingMessageReader#poll}.
 */
@FunctionalInterface
public interface MessageHandler
{
    /**
     * Handles one message. The bytes are valid only during the call and the buffer is read-only.
     *
     * @param buffer the buffer holding the message (the ring, or the reader's reassembly buffer).
     * @param index  absolute index of the first byte.
     * @param length message bytes.
     */
    void onMessage(ByteBuffer buffer, int index, int length);
}
