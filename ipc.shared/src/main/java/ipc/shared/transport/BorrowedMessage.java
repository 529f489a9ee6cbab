package ipc.shared.transport;

import java.nio.ByteBuffer;

import ipc.api.IpcMessage;
import ipc.shared.ring.MessageView;

/**
 * The message lent by {@link SharedChannel#receiveBorrowed}: a window onto the ring (or the reassembly buffer)
 * between position and limit. One per channel, reused, since a channel has a single receiver and the next receive
 * waits for this one's release; the window object is reused too while messages keep arriving in the same buffer,
 * so lending allocates nothing.
 */
final class BorrowedMessage implements IpcMessage
{
    private final ChannelInbound inbound;
    private MessageView view;
    /** The buffer the last message sat in (the ring, or the reassembly buffer) and a window onto it. */
    private ByteBuffer source;
    private ByteBuffer window;
    private int length;

    BorrowedMessage(final ChannelInbound inbound)
    {
        this.inbound = inbound;
    }

    IpcMessage lend(final MessageView view)
    {
        window(view);
        this.view = view;
        return this;
    }

    /** Points the reused window at a message: no allocation while messages keep arriving in one buffer. */
    ByteBuffer window(final MessageView view)
    {
        if (view.buffer() != source)
        {
            source = view.buffer();
            window = source.duplicate();
        }
        length = view.length();
        window.clear().position(view.index()).limit(view.index() + length);
        return window;
    }

    @Override
    public ByteBuffer buffer()
    {
        if (null == view)
        {
            throw new IllegalStateException("message already released");
        }
        return window;
    }

    @Override
    public int length()
    {
        return length;
    }

    @Override
    public void close()
    {
        if (null != view)
        {
            final MessageView released = view;
            view = null;
            inbound.releaseBorrowed(released);
        }
    }
}
