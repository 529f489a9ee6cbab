package ipc.shared.call;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.call.RequestHandler;

/**
 * Serves calls on every connection of a server in event-driven mode: one {@link ServerCalls} per connection, fed by
 * the server's dispatcher. A frame that breaks the call protocol is thrown from {@link #onMessage} as an
 * {@link ipc.api.IpcProtocolException}, which closes that connection alone (the server's containment rule).
 */
final class CallServerHandler implements IpcHandler
{
    private final RequestHandler handler;
    private final int maxActiveCalls;
    private final ConcurrentHashMap<IpcChannel, ServerCalls> connections = new ConcurrentHashMap<>();
    /**
     * The connection of the last message and its calls. One immutable pair, so that a handler shared by servers whose
     * dispatchers race on it never pairs one connection with another's calls.
     */
    private Last last;

    CallServerHandler(final RequestHandler handler, final int maxActiveCalls)
    {
        this.handler = handler;
        this.maxActiveCalls = maxActiveCalls;
    }

    @Override
    public void onOpen(final IpcChannel channel)
    {
        final ServerCalls calls = new ServerCalls(channel, handler, maxActiveCalls);
        calls.readBy(Thread.currentThread());
        connections.put(channel, calls);
    }

    @Override
    public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
    {
        // Consecutive messages mostly come from one connection: remember the last one (dispatcher thread only).
        final Last recent = last;
        if (null != recent && recent.channel == channel)
        {
            recent.calls.onFrame(message);
            return;
        }
        ServerCalls calls = connections.get(channel);
        if (null == calls)
        {
            calls = new ServerCalls(channel, handler, maxActiveCalls);
            connections.put(channel, calls);
        }
        last = new Last(channel, calls);
        calls.onFrame(message);
    }

    @Override
    public void onClose(final IpcChannel channel, final IpcException cause)
    {
        final ServerCalls calls = connections.remove(channel);
        final Last recent = last;
        if (null != recent && recent.channel == channel)
        {
            last = null;
        }
        if (null != calls)
        {
            calls.closed();
        }
    }

    /** Connections served now (for tests). */
    int connectionCount()
    {
        return connections.size();
    }

    /** A connection and its calls. */
    private static final class Last
    {
        final IpcChannel channel;
        final ServerCalls calls;

        Last(final IpcChannel channel, final ServerCalls calls)
        {
            this.channel = channel;
            this.calls = calls;
        }
    }
}
