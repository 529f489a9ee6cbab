package ipc.shared.call;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * A streamed call: the subscription of its one subscriber. Items arrive only against credits the client granted,
 * and the client grants at most {@code min(demand, maxCredits)} ahead, so the inbox below never holds more than
 * {@code maxCredits} items. Signals reach the subscriber one at a time, in order ({@code onNext}* then
 * {@code onComplete} or {@code onError}), on the executor or on the reading thread.
 *
 * <p>Fields {@link #demand}, {@link #outstanding} and {@link #creditsOwed} are guarded by the client's lock; the
 * inbox and delivery state by this object's monitor.
 */
final class StreamCall extends ClientCall implements Flow.Subscription
{
    /** Items the subscriber requested and has not been given; {@link Long#MAX_VALUE} means unbounded. */
    long demand;
    /** Credits granted to the server and not yet used by an item. */
    int outstanding;
    /** Whether it waits in the client's queue of credits to send. */
    boolean creditsOwed;
    /**
     * Whether the REQUEST is in the ring: no CREDIT or CANCEL for this id may be written before it, or the server,
     * which does not know the id yet, drops it (a lost credit leaves both sides waiting for each other).
     */
    boolean started;
    /** Given up before its REQUEST was in the ring: the thread that writes the REQUEST sends the CANCEL after it. */
    boolean cancelAfterRequest;

    private final ChannelCallClient client;
    private final Flow.Subscriber<? super byte[]> subscriber;
    private final Executor executor;
    private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
    private Throwable terminalFailure;
    private boolean terminalEnd;
    private boolean scheduled;
    private boolean terminated;
    private volatile boolean cancelled;

    StreamCall(final ChannelCallClient client, final Flow.Subscriber<? super byte[]> subscriber,
        final long idleTimeoutNanos, final Executor executor)
    {
        super(idleTimeoutNanos);
        this.client = client;
        this.subscriber = subscriber;
        this.executor = executor;
    }

    @Override
    public void request(final long n)
    {
        if (n <= 0)
        {
            // Reactive Streams rule 3.9: a non-positive request fails the stream.
            cancelled = true;
            client.cancel(this);
            synchronized (this)
            {
                if (null == terminalFailure && !terminalEnd)
                {
                    terminalFailure = new IllegalArgumentException("request must be positive: n=" + n);
                }
            }
            schedule();
            return;
        }
        client.addDemand(this, n);
    }

    @Override
    public void cancel()
    {
        if (!cancelled)
        {
            cancelled = true;
            client.cancel(this);
        }
    }

    boolean isCancelled()
    {
        return cancelled;
    }

    /** An item arrived, on the reading thread. */
    synchronized void recordItem(final byte[] item)
    {
        inbox.add(item);
    }

    /** The stream ended, on the reading thread. */
    synchronized void recordEnd()
    {
        terminalEnd = true;
    }

    @Override
    synchronized void recordFailure(final Throwable failure)
    {
        if (null == terminalFailure && !terminalEnd)
        {
            terminalFailure = failure;
        }
    }

    @Override
    void fire()
    {
        schedule();
    }

    @Override
    void failNow(final Throwable failure)
    {
        recordFailure(failure);
        schedule();
    }

    /** Items waiting for the subscriber (for tests of the bound). */
    synchronized int inboxSize()
    {
        return inbox.size();
    }

    private void schedule()
    {
        synchronized (this)
        {
            if (scheduled || terminated)
            {
                return;
            }
            scheduled = true;
        }
        Completions.run(executor, this::drain);
    }

    private void drain()
    {
        while (true)
        {
            final byte[] item;
            final Throwable failure;
            final boolean end;
            synchronized (this)
            {
                item = cancelled ? null : inbox.poll();
                if (cancelled)
                {
                    inbox.clear();
                }
                failure = null == item ? terminalFailure : null;
                end = null == item && null == failure && terminalEnd;
                if (null == item && null == failure && !end)
                {
                    scheduled = false;
                    return;
                }
                if (null == item)
                {
                    terminated = true;
                    scheduled = false;
                }
            }
            if (null != item)
            {
                try
                {
                    subscriber.onNext(item);
                }
                catch (final RuntimeException | Error ex)
                {
                    // Reactive Streams rule 2.13: a subscriber that throws is considered cancelled.
                    cancel();
                    synchronized (this)
                    {
                        terminated = true;
                        scheduled = false;
                        inbox.clear();
                    }
                    throw ex;
                }
            }
            else
            {
                // A cancelled subscription gets no further signal, except the error of a non-positive request.
                if (null != failure && (!cancelled || failure instanceof IllegalArgumentException))
                {
                    subscriber.onError(failure);
                }
                else if (end && !cancelled)
                {
                    subscriber.onComplete();
                }
                return;
            }
        }
    }
}
