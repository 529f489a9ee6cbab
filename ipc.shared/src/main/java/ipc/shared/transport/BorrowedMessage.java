package ipc.shared.transport;

import java.nio.ByteBuffer;

import ipc.api.IpcMessage;

/**
 * One message lent by {@link SharedChannel#receiveBorrowed}: a handle of its own per borrow, carrying the
 * generation of the borrow it was made for, so that a stale handle (closed again, or read, after a later borrow)
 * can neither release nor show the later message. The window it shows is the channel's reusable
 * {@link MessageWindow}: a borrow allocates this small handle and nothing else.
 */
final class BorrowedMessage implements IpcMessage
{
    private final ChannelInbound inbound;
    private final long generation;
    private final ByteBuffer window;
    private final int length;

    BorrowedMessage(final ChannelInbound inbound, final long generation, final ByteBuffer window, final int length)
    {
        this.inbound = inbound;
        this.generation = generation;
        this.window = window;
        this.length = length;
    }

    @Override
    public ByteBuffer buffer()
    {
        if (!inbound.isLent(generation))
        {
            throw new IllegalStateException("message already released: generation=" + generation);
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
        inbound.releaseBorrowed(generation);
    }
}
