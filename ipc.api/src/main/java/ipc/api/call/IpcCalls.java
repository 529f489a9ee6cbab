package ipc.api.call;

import java.util.Iterator;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcUnsupportedPlatformException;

/**
 * The entry point of calls on a channel.
 *
 * <p>Client: {@code IpcCalls.client(channel)} gives a {@link CallClient} ({@code request}, {@code call},
 * {@code stream}). Server: {@code server.serve(IpcCalls.handler((request, reply) -> reply.send(...)))} serves every
 * client on the server's one dispatcher; {@link #serve(IpcChannel, RequestHandler)} serves one accepted channel on
 * the calling thread.
 *
 * <p>A channel carries either plain messages or calls, never both: every message of a call channel starts with the
 * call header, and anything else is a protocol violation that closes it.
 *
 * <p>The implementation is found through {@link ServiceLoader} ({@link CallProvider}): first among the providers
 * visible to the channel's own class loader (so that in OSGi the platform's bundle supplies it), then to this module's
 * and the thread's context class loader.
 */
public final class IpcCalls
{
    private IpcCalls()
    {
    }

    /**
     * A client on a channel, driven by the process's shared dispatcher, completing on its thread.
     *
     * @param channel an open channel; the client owns it from now on.
     * @return the client.
     * @throws IpcUnsupportedPlatformException if no implementation is on the path.
     */
    public static CallClient client(final IpcChannel channel) throws IpcUnsupportedPlatformException
    {
        return client(channel, CallOptions.defaults());
    }

    /**
     * A client on a channel.
     *
     * @param channel an open channel; the client owns it from now on.
     * @param options who drives it and where completions run.
     * @return the client.
     * @throws IpcUnsupportedPlatformException if no implementation is on the path.
     */
    public static CallClient client(final IpcChannel channel, final CallOptions options)
        throws IpcUnsupportedPlatformException
    {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        return provider(channel.getClass().getClassLoader()).client(channel, options);
    }

    /**
     * A server handler for {@link ipc.api.IpcServer#serve(IpcHandler)} that serves calls on every connection, on the
     * server's dispatcher thread, with the default options.
     *
     * @param handler the request handler.
     * @return the server handler.
     * @throws IpcUnsupportedPlatformException if no implementation is on the path.
     */
    public static IpcHandler handler(final RequestHandler handler) throws IpcUnsupportedPlatformException
    {
        return handler(handler, CallOptions.defaults());
    }

    /**
     * A server handler for {@link ipc.api.IpcServer#serve(IpcHandler)} that serves calls on every connection.
     * Replies sent on the dispatcher thread never wait: the server's containment rule applies (a client that does
     * not read its replies is closed, never waited for). A frame that breaks the call protocol closes that
     * connection with {@link ipc.api.IpcProtocolException}.
     *
     * @param handler the request handler.
     * @param options {@link CallOptions#maxActiveCalls()} applies.
     * @return the server handler.
     * @throws IpcUnsupportedPlatformException if no implementation is on the path.
     */
    public static IpcHandler handler(final RequestHandler handler, final CallOptions options)
        throws IpcUnsupportedPlatformException
    {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        return provider(IpcCalls.class.getClassLoader()).handler(handler, options);
    }

    /**
     * Serves calls on one channel (for example from {@link ipc.api.IpcServer#accept(java.time.Duration)}) on the
     * calling thread, until the peer closes it; then closes it and returns.
     *
     * @param channel the channel; closed on return.
     * @param handler the request handler.
     * @throws ipc.api.IpcProtocolException if the peer broke the call protocol (the channel is closed).
     * @throws IpcException                 if the channel failed otherwise, or was closed here.
     */
    public static void serve(final IpcChannel channel, final RequestHandler handler) throws IpcException
    {
        serve(channel, handler, CallOptions.defaults());
    }

    /**
     * Serves calls on one channel on the calling thread, with options.
     *
     * @param channel the channel; closed on return.
     * @param handler the request handler.
     * @param options {@link CallOptions#maxActiveCalls()} applies.
     * @throws IpcException as {@link #serve(IpcChannel, RequestHandler)}.
     */
    public static void serve(final IpcChannel channel, final RequestHandler handler, final CallOptions options)
        throws IpcException
    {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        provider(channel.getClass().getClassLoader()).serve(channel, handler, options);
    }

    /**
     * Starts a dispatcher of one's own, for {@link CallOptions.Builder#dispatcher(CallDispatcher)}.
     *
     * @param name its thread's name.
     * @return the running dispatcher; the caller closes it.
     * @throws IpcUnsupportedPlatformException if no implementation is on the path.
     */
    public static CallDispatcher dispatcher(final String name) throws IpcUnsupportedPlatformException
    {
        Objects.requireNonNull(name, "name");
        return provider(IpcCalls.class.getClassLoader()).dispatcher(name);
    }

    private static CallProvider provider(final ClassLoader preferred) throws IpcUnsupportedPlatformException
    {
        CallProvider found = first(ServiceLoader.load(CallProvider.class, preferred));
        if (null == found)
        {
            found = first(ServiceLoader.load(CallProvider.class, IpcCalls.class.getClassLoader()));
        }
        if (null == found)
        {
            found = first(ServiceLoader.load(CallProvider.class, Thread.currentThread().getContextClassLoader()));
        }
        if (null == found)
        {
            throw new IpcUnsupportedPlatformException("no ipc.api.call.CallProvider found: is ipc.shared on the path?");
        }
        return found;
    }

    private static CallProvider first(final ServiceLoader<CallProvider> loader)
    {
        try
        {
            final Iterator<CallProvider> providers = loader.iterator();
            return providers.hasNext() ? providers.next() : null;
        }
        catch (final ServiceConfigurationError ex)
        {
            return null;
        }
    }
}
