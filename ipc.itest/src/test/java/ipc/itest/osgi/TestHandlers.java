package ipc.itest.osgi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import ipc.api.IpcChannel;
import ipc.api.IpcHandler;

/**
 * The handlers the whiteboard and configuration tests register as services.
 */
final class TestHandlers
{
    private TestHandlers()
    {
    }

    /** Answers every message with the same bytes. */
    static IpcHandler echo()
    {
        return new IpcHandler()
        {
            @Override
            public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
            {
                channel.send(message);
            }
        };
    }

    /** Answers every message with a fixed text, so that a test can tell which of several handlers is served. */
    static IpcHandler answering(final String answer)
    {
        final byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        return new IpcHandler()
        {
            @Override
            public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
            {
                channel.send(bytes);
            }
        };
    }
}
