package ipc.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.shared.codec.FrameDescriptor;

/**
 * How a control pipe carries a frame and its handles. A Unix socket sends descriptors beside the bytes
 * ({@code SCM_RIGHTS}); a pipe carries only bytes, so each {@code send} becomes one envelope, little-endian:
 * <pre>
 *  0  int32    payloadLength   1..{@value #MAX_PAYLOAD}
 *  4  int32    handleCount     0..{@value #MAX_HANDLES}
 *  8  int64[]  handles         values valid in the receiver's process (the sender duplicated them there)
 *  .. payload  the frame's bytes, delivered to the shared frame reader as a plain byte stream
 * </pre>
 * The reader is a bounded state machine: it never buffers more than one header, and it rejects any length or
 * count out of range before reading further.
 */
final class Envelope
{
    /** Bytes before the handle values. */
    static final int HEADER_LENGTH = 8;
    /** Most handles one envelope may carry. */
    static final int MAX_HANDLES = 8;
    /** Largest payload: one frame. */
    static final int MAX_PAYLOAD = FrameDescriptor.MAX_FRAME_LENGTH;
    /** Largest envelope. */
    static final int MAX_LENGTH = HEADER_LENGTH + 8 * MAX_HANDLES + MAX_PAYLOAD;

    /** Receives the handle values of an envelope. */
    @FunctionalInterface
    interface HandleSink
    {
        /**
         * Handles arrived.
         *
         * @param handles the values, in order.
         * @throws IpcException to refuse them (the sink decides whether they are closed).
         */
        void accept(long[] handles) throws IpcException;
    }

    private final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH + 8 * MAX_HANDLES)
        .order(ByteOrder.LITTLE_ENDIAN);
    private int payloadLength = -1;
    private int handleCount = -1;
    private int payloadRemaining;

    /**
     * Encodes one envelope.
     *
     * @param payload the frame, position to limit; consumed.
     * @param handles the handle values for the receiver.
     * @return the envelope, ready to write.
     * @throws IllegalArgumentException if a length is out of range.
     */
    static ByteBuffer encode(final ByteBuffer payload, final long[] handles)
    {
        if (payload.remaining() < 1 || payload.remaining() > MAX_PAYLOAD || handles.length > MAX_HANDLES)
        {
            throw new IllegalArgumentException("envelope out of range: payload=" + payload.remaining() + " handles=" +
                handles.length);
        }
        final ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + 8 * handles.length + payload.remaining())
            .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(payload.remaining()).putInt(handles.length);
        for (final long handle : handles)
        {
            out.putLong(handle);
        }
        out.put(payload);
        return out.flip();
    }

    /**
     * Reads envelopes from bytes as they arrive, delivering payload bytes to {@code dst} and handles to
     * {@code sink}. Stops when {@code src} is empty or {@code dst} is full.
     *
     * @param src  received bytes; consumed as far as read.
     * @param dst  where payload bytes go.
     * @param sink where handle values go.
     * @return payload bytes delivered.
     * @throws IpcProtocolException if a header is out of range.
     * @throws IpcException         if the sink refuses handles.
     */
    int read(final ByteBuffer src, final ByteBuffer dst, final HandleSink sink) throws IpcException
    {
        int delivered = 0;
        while (src.hasRemaining())
        {
            if (payloadRemaining > 0)
            {
                if (!dst.hasRemaining())
                {
                    break;
                }
                final int n = Math.min(payloadRemaining, Math.min(src.remaining(), dst.remaining()));
                final ByteBuffer part = src.slice(src.position(), n);
                dst.put(part);
                src.position(src.position() + n);
                payloadRemaining -= n;
                delivered += n;
                continue;
            }
            final int wanted = handleCount < 0 ? HEADER_LENGTH : HEADER_LENGTH + 8 * handleCount;
            final int n = Math.min(wanted - header.position(), src.remaining());
            header.put(src.slice(src.position(), n));
            src.position(src.position() + n);
            if (header.position() == HEADER_LENGTH && handleCount < 0)
            {
                payloadLength = header.getInt(0);
                handleCount = header.getInt(4);
                if (payloadLength < 1 || payloadLength > MAX_PAYLOAD || handleCount < 0 || handleCount > MAX_HANDLES)
                {
                    throw new IpcProtocolException("control envelope out of range: payloadLength=" + payloadLength +
                        " handleCount=" + handleCount + " maxPayload=" + MAX_PAYLOAD + " maxHandles=" + MAX_HANDLES);
                }
            }
            if (handleCount >= 0 && header.position() == HEADER_LENGTH + 8 * handleCount)
            {
                if (handleCount > 0)
                {
                    final long[] handles = new long[handleCount];
                    for (int i = 0; i < handleCount; i++)
                    {
                        handles[i] = header.getLong(HEADER_LENGTH + 8 * i);
                    }
                    sink.accept(handles);
                }
                payloadRemaining = payloadLength;
                handleCount = -1;
                payloadLength = -1;
                header.clear();
            }
        }
        return delivered;
    }

    /**
     * Whether an envelope was begun and not finished.
     *
     * @return {@code true} mid-envelope.
     */
    boolean isPartial()
    {
        return payloadRemaining > 0 || header.position() > 0;
    }
}
