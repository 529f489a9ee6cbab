package ipc.shared.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;

/**
 * Reads frames from a control channel that delivers a byte stream: collects bytes until a whole frame has arrived,
 * with any handles that came along. Bounded: never holds more than one maximum frame. Not thread-safe.
 */
final class FrameReader implements AutoCloseable
{
    private final ControlChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private final ReceivedHandles handles;

    FrameReader(final Platform platform, final ControlChannel channel, final int maxHandles)
    {
        this.channel = channel;
        this.handles = new ReceivedHandles(platform, maxHandles);
    }

    /**
     * Reads what has arrived and returns a frame if one is complete.
     *
     * @return the frame, or {@code null} if more bytes are needed.
     * @throws IpcPeerClosedException if the stream ended.
     * @throws IpcProtocolException   if the bytes are not a valid frame.
     */
    Frame poll() throws IpcException
    {
        while (true)
        {
            final Frame frame = tryDecode();
            if (null != frame)
            {
                return frame;
            }
            if (!buffer.hasRemaining())
            {
                throw new IpcProtocolException("frame larger than buffered bytes: buffered=" + buffer.position());
            }
            final int read = channel.receive(buffer, handles);
            if (read < 0)
            {
                throw new IpcPeerClosedException("peer closed the control channel during the handshake: buffered=" +
                    buffer.position());
            }
            if (read == 0)
            {
                return null;
            }
        }
    }

    /**
     * Waits for a whole frame.
     *
     * @param deadlineNanos when to give up.
     * @param what          what is awaited, for the error message.
     * @return the frame.
     * @throws IpcTimeoutException if none arrived in time.
     */
    Frame await(final long deadlineNanos, final String what) throws IpcException
    {
        while (true)
        {
            final Frame frame = poll();
            if (null != frame)
            {
                return frame;
            }
            final long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0)
            {
                throw new IpcTimeoutException("handshake timed out waiting for " + what);
            }
            // False may also mean a signal ended the wait early (a profiler's, a debugger's): the deadline decides.
            channel.awaitReadable(remaining);
        }
    }

    /** Whether bytes of an incomplete frame are buffered. */
    boolean hasPartialFrame()
    {
        return buffer.position() > 0;
    }

    ReceivedHandles handles()
    {
        return handles;
    }

    @Override
    public void close()
    {
        handles.close();
    }

    private Frame tryDecode() throws IpcException
    {
        buffer.flip();
        try
        {
            final int length = FrameCodec.frameLength(buffer);
            if (length < 0 || buffer.remaining() < length)
            {
                return null;
            }
            return FrameCodec.decode(buffer);
        }
        finally
        {
            buffer.compact();
        }
    }
}
