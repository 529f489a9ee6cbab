package ipc.api.call;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The implementation behind {@link IpcCalls}, found through {@link java.util.ServiceLoader}: the platform supplies it,
 * applications call {@link IpcCalls} instead.
 */
@ProviderType
public interface CallProvider
{
    /**
     * See {@link IpcCalls#client(IpcChannel, CallOptions)}.
     *
     * @param channel    the channel.
     * @param options    the options.
     * @param dispatcher the dispatcher to drive the client: one this provider made with {@link #dispatcher(String)},
     *                   or {@code null} for the provider's shared one (ignored when caller-driven).
     * @return the client.
     */
    CallClient client(IpcChannel channel, CallOptions options, CallDispatcher dispatcher);

    /**
     * A server handler serving calls: see {@link IpcCalls#handler(RequestHandler, CallOptions)}.
     *
     * @param handler the request handler.
     * @param options the options.
     * @return the server handler.
     */
    IpcHandler handler(RequestHandler handler, CallOptions options);

    /**
     * See {@link IpcCalls#serve(IpcChannel, RequestHandler, CallOptions)}.
     *
     * @param channel the channel.
     * @param handler the request handler.
     * @param options the options.
     * @throws IpcException as documented there.
     */
    void serve(IpcChannel channel, RequestHandler handler, CallOptions options) throws IpcException;

    /**
     * Starts a dispatcher thread: see {@link IpcCalls#dispatcher(String)}.
     *
     * @param name the thread's name.
     * @return a running dispatcher.
     */
    CallDispatcher dispatcher(String name);
}
