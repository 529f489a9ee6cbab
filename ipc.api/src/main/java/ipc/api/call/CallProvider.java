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
     * @param channel the channel.
     * @param options the options.
     * @return the client.
     */
    CallClient client(IpcChannel channel, CallOptions options);

    /**
     * See {@link IpcCalls#handler(RequestHandler, CallOptions)}.
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
     * See {@link IpcCalls#dispatcher(String)}.
     *
     * @param name the thread's name.
     * @return a running dispatcher.
     */
    CallDispatcher dispatcher(String name);
}
