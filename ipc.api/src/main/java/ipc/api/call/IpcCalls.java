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
 * <p>The cheapest calls use buffers on both sides: {@link CallClient#call(java.nio.ByteBuffer, java.nio.ByteBuffer,
 * java.time.Duration)} on a caller-driven client, and a {@link RequestViewHandler} ({@link #viewHandler(RequestViewHandler)})
 * answering with {@link Reply#send(java.nio.ByteBuffer)}: no array is made for the request or the reply on either
 * side.
 *
 * <p>A channel carries either plain messages or calls, never both: every message of a call channel starts with the
 * call header, and anything else is a protocol violation that closes it.
 *
 * <p>The implementation is found through {@link ServiceLoader} ({@link CallProvider}) from the channel it serves:
 * first among the providers visible to the channel's own class loader (so that in OSGi the bundle that made the
 * channel supplies it, with no service registry involved), then to this module's and the thread's context class
 * loader. That is why {@link #handler(RequestHandler)} and {@link #dispatcher(String)} bind to the implementation
 * only when they meet their first channel.
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
     * @throws IllegalStateException           if the options name a dispatcher that is closed (the channel is closed
     *                                         too: it was the client's).
     */
    public static CallClient client(final IpcChannel channel, final CallOptions options)
        throws IpcUnsupportedPlatformException
    {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        final CallProvider provider = providerFor(channel);
        final CallDispatcher dispatcher = options.dispatcher().orElse(null);
        if (null == dispatcher || options.callerDriven())
        {
            return provider.client(channel, options, null);
        }
        if (!(dispatcher instanceof DeferredDispatcher))
        {
            throw new IllegalArgumentException("dispatcher not made by IpcCalls.dispatcher: dispatcher=" + dispatcher);
        }
        final CallDispatcher running;
        try
        {
            running = ((DeferredDispatcher)dispatcher).resolve(provider);
        }
        catch (final IllegalStateException ex)
        {
            channel.close();
            throw ex;
        }
        return provider.client(channel, options, running);
    }

    /**
     * A server handler for {@link ipc.api.IpcServer#serve(IpcHandler)} that serves calls on every connection, on the
     * server's dispatcher thread, with the default options.
     *
     * @param handler the request handler.
     * @return the server handler.
     */
    public static IpcHandler handler(final RequestHandler handler)
    {
        return handler(handler, CallOptions.defaults());
    }

    /**
     * A server handler for {@link ipc.api.IpcServer#serve(IpcHandler)} that serves calls on every connection.
     * Replies sent on the dispatcher thread never wait: the server's containment rule applies (a client that does
     * not read its replies is closed, never waited for). A frame that breaks the call protocol closes that
     * connection with {@link ipc.api.IpcProtocolException}.
     *
     * <p>The implementation is found from the first connection's channel; if there is none, that connection is closed
     * (its {@code onOpen} throws an {@link IllegalStateException} saying so).
     *
     * @param handler the request handler.
     * @param options {@link CallOptions#maxActiveCalls()} applies.
     * @return the server handler.
     */
    public static IpcHandler handler(final RequestHandler handler, final CallOptions options)
    {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        return new DeferredCallHandler(handler, options);
    }

    /**
     * A server handler like {@link #handler(RequestHandler)} whose requests are read in place: the cheapest way to
     * serve calls (no array per request; answer with {@link Reply#send(java.nio.ByteBuffer)} for none per reply
     * either). A separate name, because a lambda fits both handler types.
     *
     * @param handler the request handler.
     * @return the server handler.
     * @since 1.1
     */
    public static IpcHandler viewHandler(final RequestViewHandler handler)
    {
        return handler(handler, CallOptions.defaults());
    }

    /**
     * A server handler like {@link #handler(RequestHandler, CallOptions)} whose requests are read in place.
     *
     * @param handler the request handler.
     * @param options {@link CallOptions#maxActiveCalls()} applies.
     * @return the server handler.
     * @since 1.1
     */
    public static IpcHandler viewHandler(final RequestViewHandler handler, final CallOptions options)
    {
        return handler(handler, options);
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
        providerFor(channel).serve(channel, handler, options);
    }

    /**
     * A dispatcher of one's own, for {@link CallOptions.Builder#dispatcher(CallDispatcher)}: its thread starts with
     * the first client made on it.
     *
     * @param name its thread's name.
     * @return the dispatcher; the caller closes it.
     */
    public static CallDispatcher dispatcher(final String name)
    {
        Objects.requireNonNull(name, "name");
        return new DeferredDispatcher(name);
    }

    /** The implementation that serves a channel: the first provider visible to its class loader, then to ours. */
    static CallProvider providerFor(final IpcChannel channel) throws IpcUnsupportedPlatformException
    {
        CallProvider found = first(ServiceLoader.load(CallProvider.class, channel.getClass().getClassLoader()));
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
