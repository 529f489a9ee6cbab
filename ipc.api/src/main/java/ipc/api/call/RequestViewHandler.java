package ipc.api.call;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link RequestHandler} that reads each request in place: the request is a read-only view of the channel's memory,
 * valid only while this method runs, so serving it costs no array and no copy. Answer with
 * {@link Reply#send(ByteBuffer)} to keep the reply free of arrays too. Give it to {@link IpcCalls#viewHandler} (or to
 * any method that takes a {@link RequestHandler}): every server of the call layer calls the view method of a handler of
 * this type.
 *
 * <p>Copy what you keep: a {@link Reply} kept to answer later may outlive the view, the bytes it showed may not. The
 * bytes lie in memory the client maps too, as with {@link ipc.api.IpcChannel#receiveBorrowed}: a hostile client can
 * change them while the handler reads, so read each value once and check it before use.
 */
@ConsumerType
@FunctionalInterface
public interface RequestViewHandler extends RequestHandler
{
    /**
     * One request, read in place.
     *
     * @param request a read-only view of the request's bytes, between its position and limit; valid only during
     *                this call.
     * @param reply   answers it, as for {@link RequestHandler#onRequest(byte[], Reply)}.
     * @throws Exception fails the call with the exception's message.
     */
    void onRequest(ByteBuffer request, Reply reply) throws Exception;

    /**
     * Serves a request given as an array through the view method (a server of this library never calls this).
     *
     * @param request the request's bytes.
     * @param reply   answers it.
     * @throws Exception as {@link #onRequest(ByteBuffer, Reply)}.
     */
    @Override
    default void onRequest(final byte[] request, final Reply reply) throws Exception
    {
        onRequest(ByteBuffer.wrap(request).asReadOnlyBuffer(), reply);
    }
}
