package ipc.shared.ring;

import java.nio.ByteBuffer;

import ipc.api.IpcProtocolException;

/**
 * Receives the records {@link SpscRing#poll} consumes. The payload is valid only during the call: the ring may
 * reuse the bytes as soon as the poll returns.
 */
@FunctionalInterface
public interface RecordHandler
{
    /**
     * Handles one record; padding is never delivered.
     *
     * @param type    the record type, see {@link RecordDescriptor}.
     * @param buffer  the buffer holding the payload.
     * @param index   absolute index of the first payload byte.
     * @param length  payload bytes.
     * @throws IpcProtocolException if the record breaks a higher-level protocol rule; polling stops.
     */
    void onRecord(int type, ByteBuffer buffer, int index, int length) throws IpcProtocolException;
}
