package ipc.api.call;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Serves requests: receives each request with the handle through which it is answered.
 *
 * <p>It runs on the thread that reads the channel: the server's dispatcher with
 * {@link IpcCalls#handler(RequestHandler)}, or the thread of
 * {@link IpcCalls#serve(ipc.api.IpcChannel, RequestHandler)}.
 * It may answer at once, or keep the {@link Reply} and answer later from any thread; it must not block, since every
 * connection of that thread waits while it runs. An exception thrown here fails the call: the client sees an
 * {@link IpcRemoteException} with the exception's message.
 */
@ConsumerType
@FunctionalInterface
public interface RequestHandler
{
    /**
     * One request.
     *
     * @param request the request's bytes: a copy this handler owns.
     * @param reply   answers it, exactly once (or, for a {@link Reply#isStreamed() streamed} call, with items and an
     *                end).
     * @throws Exception fails the call with the exception's message.
     */
    void onRequest(byte[] request, Reply reply) throws Exception;
}
