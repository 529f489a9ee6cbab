package ipc.shared.transport;

import java.nio.ByteBuffer;

import ipc.shared.ring.MessageView;

/**
 * A reusable window onto the buffer a received message sits in (the ring, or the reassembly buffer), between
 * position and limit: what {@link SharedChannel#receiveBorrowed} and {@link SharedChannel#poll} show the application.
 * One per channel; the window object is replaced only when messages start arriving in another buffer, so pointing
 * it at the next message allocates nothing. Receiver thread only.
 */
final class MessageWindow
{
    private ByteBuffer source;
    private ByteBuffer window;

    /**
     * Points the window at a message.
     *
     * @return the window, its position at the message's first byte and its limit after the last.
     */
    ByteBuffer show(final MessageView view)
    {
        if (view.buffer() != source)
        {
            source = view.buffer();
            window = source.duplicate();
        }
        window.clear().position(view.index()).limit(view.index() + view.length());
        return window;
    }
}
