package ipc.shared.call;

import java.time.Duration;

import ipc.api.IpcChannel;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.call.CallClient;
import ipc.api.call.CallDispatcher;
import ipc.api.call.CallOptions;
import ipc.api.call.CallProvider;
import ipc.api.call.RequestHandler;

/**
 * The {@link CallProvider} of this platform, found by {@code ipc.api.call.IpcCalls} through
 * {@link java.util.ServiceLoader} ({@code provides} in the module descriptor, {@code META-INF/services} on the class
 * path and in OSGi).
 */
public final class SharedCallProvider implements CallProvider
{
    /** How long one wait of {@link #serve} lasts before it waits again: a close wakes it earlier. */
    private static final Duration SERVE_WAIT = Duration.ofSeconds(1);

    /** Creates the provider; stateless, as {@link java.util.ServiceLoader} needs. */
    public SharedCallProvider()
    {
    }

    @Override
    public CallClient client(final IpcChannel channel, final CallOptions options, final CallDispatcher given)
    {
        final ClientDispatcher dispatcher;
        if (options.callerDriven())
        {
            dispatcher = null;
        }
        else if (null != given)
        {
            if (!(given instanceof ClientDispatcher))
            {
                throw new IllegalArgumentException("dispatcher not made by this provider: dispatcher=" + given);
            }
            dispatcher = (ClientDispatcher)given;
        }
        else
        {
            dispatcher = SharedDispatcher.INSTANCE;
        }
        return new ChannelCallClient(channel, options, dispatcher);
    }

    @Override
    public IpcHandler handler(final RequestHandler handler, final CallOptions options)
    {
        return new CallServerHandler(handler, options.maxActiveCalls());
    }

    @Override
    public void serve(final IpcChannel channel, final RequestHandler handler, final CallOptions options)
        throws IpcException
    {
        final ServerCalls calls = new ServerCalls(channel, handler, options.maxActiveCalls());
        calls.readBy(Thread.currentThread());
        try
        {
            while (true)
            {
                calls.pollOnce(SERVE_WAIT);
            }
        }
        catch (final IpcClosedException ex)
        {
            // The peer closed (or the channel was closed here): serving ends normally.
        }
        finally
        {
            calls.closed();
            channel.close();
        }
    }

    @Override
    public CallDispatcher dispatcher(final String name)
    {
        return new ClientDispatcher(name, false);
    }

    /** The process's shared dispatcher: a daemon thread started on first use, parked while no call is pending. */
    private static final class SharedDispatcher
    {
        static final ClientDispatcher INSTANCE = new ClientDispatcher("ipc-calls-dispatcher", true);

        private SharedDispatcher()
        {
        }
    }
}
