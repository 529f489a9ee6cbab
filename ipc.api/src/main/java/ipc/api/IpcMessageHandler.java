package ipc.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the messages of one {@link IpcChannel#poll(IpcMessageHandler, int, java.time.Duration) poll}, in order, on
 * the polling thread.
 */
@ConsumerType
@FunctionalInterface
public interface IpcMessageHandler
{
    /**
     * One message.
     *
     * @param message a read-only view of the message, which lies between its position and limit; valid only during
     *                this call (copy what you keep). A runtime exception thrown here ends the poll and reaches its
     *                caller; the message counts as received.
     */
    void onMessage(ByteBuffer message);
}
