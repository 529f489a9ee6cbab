package ipc.api.call;

import java.nio.ByteBuffer;
import java.time.Duration;

import ipc.api.IpcException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The answer to one request, handed to a {@link RequestHandler}. Thread-safe and single-use: the first of
 * {@link #send(byte[])}, {@link #end()} or {@link #fail(String)} completes it, and later ones are ignored (they return
 * {@code false}).
 *
 * <h2>Plain calls</h2>
 * {@link #send(byte[])} (or {@link #send(ByteBuffer)}) answers, {@link #fail(String)} fails.
 *
 * <h2>Streamed calls</h2>
 * When the client asked for a stream ({@link #isStreamed()}), the handler sends items, then {@link #end()} (or
 * {@link #fail(String)}). An item may be sent only against a credit: the client grants one per item its subscriber
 * {@link java.util.concurrent.Flow.Subscription#request(long) requested}, so a slow consumer slows the producer and
 * nothing is buffered without bound. {@link #trySendItem(byte[])} never waits (on the dispatcher thread, use it with
 * {@link #onCredit(Runnable)}); {@link #sendItem(byte[], Duration)} waits for a credit and may not be called on the
 * thread that reads the channel.
 *
 * <h2>Cancellation</h2>
 * When the client cancels, times out or goes away, {@link #isCancelled()} turns true, waiting senders are woken, and
 * anything sent afterwards is dropped.
 */
@ProviderType
public interface Reply
{
    /**
     * Whether the client asked for a stream of items rather than one reply.
     *
     * @return {@code true} for a streamed call.
     */
    boolean isStreamed();

    /**
     * Answers a plain call.
     *
     * @param reply the reply's bytes; the whole array.
     * @return {@code false} if the call was already complete or cancelled (nothing was sent).
     * @throws IllegalStateException for a streamed call.
     * @throws IpcException          if the channel failed to send (closed, or its ring stayed full).
     */
    boolean send(byte[] reply) throws IpcException;

    /**
     * Answers a plain call with the remaining bytes of a buffer, copied straight into the channel: the reply of a
     * {@link RequestViewHandler} that makes no array. On success the buffer's position is at its limit.
     *
     * @param reply the reply, from position to limit; a view of the request itself may be sent back.
     * @return {@code false} if the call was already complete or cancelled (nothing was sent; the position is
     *         unchanged).
     * @throws IllegalStateException for a streamed call.
     * @throws IpcException          if the channel failed to send (closed, or its ring stayed full).
     * @since 1.1
     */
    boolean send(ByteBuffer reply) throws IpcException;

    /**
     * Sends one item of a streamed call if a credit is available; never waits for one. On the thread that reads the
     * channel (a server's dispatcher) it also never queues: while replies sent earlier on that connection still wait
     * for room in the client's ring it returns {@code false}, and the {@link #onCredit credit listener} runs again
     * once they are written, as it does when credits arrive.
     *
     * @param item the item's bytes.
     * @return {@code true} if sent; {@code false} if no credit is left, the call is complete or cancelled, or (on the
     *         reading thread) the connection has no room now.
     * @throws IllegalStateException for a plain call.
     * @throws IpcException          if the channel failed to send.
     */
    boolean trySendItem(byte[] item) throws IpcException;

    /**
     * As {@link #trySendItem(byte[])}, with the remaining bytes of a buffer; on success its position is at its limit,
     * otherwise unchanged.
     *
     * @param item the item, from position to limit.
     * @return {@code true} if sent.
     * @throws IllegalStateException for a plain call.
     * @throws IpcException          if the channel failed to send.
     * @since 1.1
     */
    boolean trySendItem(ByteBuffer item) throws IpcException;

    /**
     * Sends one item of a streamed call, waiting up to a timeout for a credit.
     *
     * @param item    the item's bytes.
     * @param timeout how long to wait for a credit.
     * @return {@code true} if sent; {@code false} if the call is complete or cancelled.
     * @throws IllegalStateException for a plain call, or on the thread that reads the channel (it must never wait).
     * @throws ipc.api.IpcTimeoutException if no credit came in time.
     * @throws IpcException          if the channel failed to send, or the wait was interrupted.
     */
    boolean sendItem(byte[] item, Duration timeout) throws IpcException;

    /**
     * As {@link #sendItem(byte[], Duration)}, with the remaining bytes of a buffer; on success its position is at its
     * limit, otherwise unchanged.
     *
     * @param item    the item, from position to limit.
     * @param timeout how long to wait for a credit.
     * @return {@code true} if sent; {@code false} if the call is complete or cancelled.
     * @throws IllegalStateException       for a plain call, or on the thread that reads the channel.
     * @throws ipc.api.IpcTimeoutException if no credit came in time.
     * @throws IpcException                if the channel failed to send, or the wait was interrupted.
     * @since 1.1
     */
    boolean sendItem(ByteBuffer item, Duration timeout) throws IpcException;

    /**
     * The items the client granted and not yet sent.
     *
     * @return credits, 0 when cancelled or complete.
     */
    long credits();

    /**
     * Sets what to run when credits arrive, when room returns after {@link #trySendItem(byte[])} found none, or when
     * the call is cancelled: on the thread that reads the channel, so it must not block. Replaces an earlier one; runs
     * at once, on the calling thread, if credits are already available. It never runs twice at once: a run asked for
     * while one is under way is made by that run's thread once it returns. What it throws fails the call with its
     * message, as a handler's throw does.
     *
     * @param listener the listener, or {@code null} for none.
     */
    void onCredit(Runnable listener);

    /**
     * Ends a streamed call successfully.
     *
     * @return {@code false} if the call was already complete or cancelled.
     * @throws IllegalStateException for a plain call.
     * @throws IpcException          if the channel failed to send.
     */
    boolean end() throws IpcException;

    /**
     * Fails the call: the client sees an {@link IpcRemoteException} with this message, cut to
     * {@link IpcRemoteException#MAX_MESSAGE_BYTES} bytes of UTF-8.
     *
     * @param message the message, {@code null} for none.
     * @return {@code false} if the call was already complete or cancelled.
     * @throws IpcException if the channel failed to send.
     */
    boolean fail(String message) throws IpcException;

    /**
     * Whether the client no longer waits: it cancelled, timed out, or its connection closed.
     *
     * @return {@code true} once cancelled.
     */
    boolean isCancelled();
}
