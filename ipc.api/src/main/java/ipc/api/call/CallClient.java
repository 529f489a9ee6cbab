package ipc.api.call;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

import ipc.api.IpcException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The calling side of a call channel: sends requests and matches the replies, which may come in any order, to their
 * callers by a correlation id the user never sees. Any number of calls may be in flight (pipelining). Thread-safe.
 *
 * <p>A call client owns its channel: every message on it is a call frame (a plain message from the peer is a protocol
 * violation), and {@link #close()} closes the channel.
 *
 * <h2>Who reads the channel</h2>
 * Either a {@link CallDispatcher} (the default, {@link CallOptions#dispatcher()}), whose one thread reads every
 * channel it serves and completes the futures; or the caller, through {@link #poll(Duration)} and the synchronous
 * {@link #call(byte[], Duration)} ({@link CallOptions.Builder#callerDriven()}). Completions run on that thread, or on
 * {@link CallOptions#completionExecutor()} when one is given. A dispatcher reads a channel only while calls are pending
 * on it (or CANCEL/CREDIT frames are owed): a late reply that arrives after the last pending call is read, dropped and
 * counted with the next call, and a peer that dies while nothing is pending is noticed by the next call, which fails
 * with {@link ipc.api.IpcPeerClosedException}.
 *
 * <h2>Cost</h2>
 * The header is 16 bytes per message. A request is written into the ring with one copy (a claim, when it fits one
 * record); a reply is copied once out of the ring into the array the caller gets. With a dispatcher, each completion
 * is a hand-off from the dispatcher thread to the waiting caller (a wake-up); a caller-driven {@link #call} reads the
 * reply on the calling thread and has no hand-off: use it for the lowest sequential latency.
 *
 * <h2>Failures</h2>
 * A call that times out completes with {@link ipc.api.IpcTimeoutException}; its late reply is dropped and counted
 * ({@link CallStats#lateReplies()}). Cancelling a future (or a stream's subscription) tells the server, best effort,
 * that nobody waits any more. When the peer closes or dies every pending call fails at once with
 * {@link ipc.api.IpcPeerClosedException}; a protocol violation by the peer closes the channel and fails every pending
 * call with {@link ipc.api.IpcProtocolException}; a failure the server's handler reports is an
 * {@link IpcRemoteException}.
 */
@ProviderType
public interface CallClient extends AutoCloseable
{
    /**
     * Sends a request; the future completes with the reply.
     *
     * <p>The reply is a new array the caller owns. Sending waits for room in the ring like {@link
     * ipc.api.IpcChannel#send(byte[])}, so do not call this on the dispatcher thread (in a completion) without a
     * {@link CallOptions#completionExecutor() completion executor}.
     *
     * @param request the request's bytes; the whole array, copied before this returns.
     * @param timeout how long to wait for the reply, positive.
     * @return the reply's future; failed (never thrown) if the request could not be sent.
     */
    CompletableFuture<byte[]> request(byte[] request, Duration timeout);

    /**
     * Sends a request and waits for its reply. With a caller-driven client the calling thread reads the channel
     * meanwhile (the cheapest sequential call: no hand-off between threads).
     *
     * @param request the request's bytes.
     * @param timeout how long to wait for the reply.
     * @return the reply, a new array.
     * @throws ipc.api.IpcTimeoutException if no reply came in time.
     * @throws IpcRemoteException          if the server's handler failed the call.
     * @throws IpcException                if the channel failed or closed, or the wait was interrupted.
     * @throws IllegalStateException       if called from a completion on the thread that reads this client (the
     *                                     dispatcher's, or a caller-driven client's polling thread): the reply could
     *                                     only be read by this very thread. Use {@link #request} there.
     */
    byte[] call(byte[] request, Duration timeout) throws IpcException;

    /**
     * Sends a request from a buffer and copies its reply into another: a call that makes no array. With a
     * caller-driven client the reply goes from the ring straight into {@code reply} (the cheapest call there is);
     * with a dispatcher it is copied out of the array the dispatcher received.
     *
     * @param request the request, from position to limit; on success the position is at the limit (on failure it is
     *                unchanged, whether or not the request was sent).
     * @param reply   where the reply is copied, from its position; on success the position has advanced by the
     *                reply's length. Not touched by this client once this method has returned or thrown.
     * @param timeout how long to wait for the reply.
     * @return the reply's length.
     * @throws ipc.api.IpcMessageTooLargeException if the reply does not fit {@code reply}'s remaining bytes (the
     *                                             reply is dropped: the call is over).
     * @throws ipc.api.IpcTimeoutException         if no reply came in time.
     * @throws IpcRemoteException                  if the server's handler failed the call.
     * @throws IpcException                        if the channel failed or closed, or the wait was interrupted.
     * @throws IllegalArgumentException            if {@code reply} is read-only.
     * @since 1.1
     */
    int call(ByteBuffer request, ByteBuffer reply, Duration timeout) throws IpcException;

    /**
     * A request whose reply is a stream of items, consumed as a publisher. The request is sent when a subscriber
     * subscribes (one subscriber; a second one gets {@code onError}). Credits for what the subscriber requests travel
     * to the server (at most {@link CallOptions#maxCredits()} outstanding at a time), so a slow subscriber slows the
     * producer; items are new arrays, delivered in order, one at a time.
     *
     * @param request     the request's bytes, copied before this returns.
     * @param idleTimeout how long to wait for the next item while the subscriber has requested some; the stream
     *                    fails with {@link ipc.api.IpcTimeoutException} after that.
     * @return a publisher for one subscriber.
     */
    Flow.Publisher<byte[]> stream(byte[] request, Duration idleTimeout);

    /**
     * Reads the channel once, for a caller-driven client: waits up to the timeout for a first frame, handles every
     * frame already waiting, sends owed credits and cancels, and expires timed-out calls. One thread at a time.
     *
     * @param timeout how long to wait; zero does not wait.
     * @return the number of frames handled.
     * @throws IllegalStateException if a dispatcher drives this client, or if called from a completion that this
     *                               client's own poll is running.
     * @throws IpcException          if the channel closed or the peer broke the protocol (every pending call has
     *                               failed with the same exception).
     */
    int poll(Duration timeout) throws IpcException;

    /**
     * A snapshot of this client's counters.
     *
     * @return the counters.
     */
    CallStats stats();

    /**
     * Whether the client and its channel are open.
     *
     * @return {@code true} while open.
     */
    boolean isOpen();

    /**
     * Fails every pending call with {@link ipc.api.IpcClosedException}, leaves the dispatcher, and closes the
     * channel. Idempotent; safe from any thread.
     */
    @Override
    void close();
}
