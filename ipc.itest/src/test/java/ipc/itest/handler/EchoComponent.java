package ipc.itest.handler;

import java.nio.ByteBuffer;

import ipc.api.IpcChannel;
import ipc.api.IpcHandler;

/**
 * A whiteboard echo handler as a user writes it: a Declarative Services component providing {@link IpcHandler} with
 * an {@code ipc.server.name} property. Not run from the test bundle: {@link HandlerBundleJar} packs this class into a
 * bundle of its own, with the component description, so that a test can stop that bundle.
 */
public final class EchoComponent implements IpcHandler
{
    @Override
    public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
    {
        channel.send(message);
    }
}
