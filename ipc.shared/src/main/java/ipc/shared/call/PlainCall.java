package ipc.shared.call;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A call with one reply: the future the caller holds. Cancelling it tells the client, which sends a best-effort
 * CANCEL to the server.
 */
final class PlainCall extends OneReplyCall
{
    private final CallFuture future;
    private final Executor executor;

    PlainCall(final ChannelCallClient client, final long timeoutNanos, final Executor executor)
    {
        super(timeoutNanos);
        this.future = new CallFuture(client, this);
        this.executor = executor;
    }

    CompletableFuture<byte[]> future()
    {
        return future;
    }

    @Override
    void complete(final byte[] value, final Throwable cause)
    {
        if (null == cause)
        {
            run(() -> future.complete(value));
        }
        else
        {
            run(() -> future.completeExceptionally(cause));
        }
    }

    private void run(final Runnable completion)
    {
        Completions.run(executor, completion);
    }

    /** The caller's future: cancelling it cancels the call. */
    private static final class CallFuture extends CompletableFuture<byte[]>
    {
        private final ChannelCallClient client;
        private final PlainCall call;

        CallFuture(final ChannelCallClient client, final PlainCall call)
        {
            this.client = client;
            this.call = call;
        }

        @Override
        public boolean cancel(final boolean mayInterruptIfRunning)
        {
            final boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled)
            {
                client.cancel(call);
            }
            return cancelled;
        }
    }
}
