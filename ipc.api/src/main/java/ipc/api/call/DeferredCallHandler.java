package ipc.api.call;

import java.nio.ByteBuffer;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcUnsupportedPlatformException;

/**
 * The server handler {@link IpcCalls#handler(RequestHandler, CallOptions)} returns: it finds the implementation from
 * the first connection's channel (whose class loader sees the platform's provider, in OSGi too) and hands every event
 * to it. Safe to use for several servers.
 */
final class DeferredCallHandler implements IpcHandler
{
    private final RequestHandler handler;
    private final CallOptions options;
    private volatile IpcHandler delegate;

    DeferredCallHandler(final RequestHandler handler, final CallOptions options)
    {
        this.handler = handler;
        this.options = options;
    }

    @Override
    public void onOpen(final IpcChannel channel)
    {
        delegate(channel).onOpen(channel);
    }

    @Override
    public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
    {
        delegate(channel).onMessage(channel, message);
    }

    @Override
    public void onClose(final IpcChannel channel, final IpcException cause)
    {
        final IpcHandler resolved = delegate;
        if (null != resolved)
        {
            resolved.onClose(channel, cause);
        }
    }

    private IpcHandler delegate(final IpcChannel channel)
    {
        IpcHandler resolved = delegate;
        if (null == resolved)
        {
            synchronized (this)
            {
                resolved = delegate;
                if (null == resolved)
                {
                    try
                    {
                        resolved = IpcCalls.providerFor(channel).handler(handler, options);
                    }
                    catch (final IpcUnsupportedPlatformException ex)
                    {
                        throw new IllegalStateException(ex.getMessage(), ex);
                    }
                    delegate = resolved;
                }
            }
        }
        return resolved;
    }
}
