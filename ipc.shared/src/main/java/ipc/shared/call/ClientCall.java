package ipc.shared.call;

import java.nio.ByteBuffer;

/**
 * One call of a {@link ChannelCallClient} in flight: a plain call ({@link PlainCall}) or a stream
 * ({@link StreamCall}). Its fields are guarded by the client's lock unless said otherwise.
 */
abstract class ClientCall
{
    /** The correlation id; 0 until the request is registered. */
    long id;
    /** When the call times out, in {@link System#nanoTime()} terms; {@link Long#MAX_VALUE} for never. */
    long deadlineNanos = Long.MAX_VALUE;
    /** Whether it left the pending set (completed, failed, timed out or cancelled). */
    boolean done;
    /** Whether it sits in the client's list of calls to signal after the current batch (reading thread only). */
    boolean readied;
    /** Whether a timer of the client's timer queue refers to it. */
    boolean timerQueued;

    /** The timeout the call was made with, for messages; set again only when an owned call's object is reused. */
    long timeoutNanos;

    ClientCall(final long timeoutNanos)
    {
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Delivers what the reading thread recorded for this call (its result, items, failure) to the caller, on the
     * completion thread. Called without the client's lock.
     */
    abstract void fire();

    /**
     * Records the reply of a call that takes one, on the reading thread, delivered by {@link #fire()}.
     *
     * @param reply the reply's payload, a copy.
     * @return {@code false} if this call takes no single reply (a stream): the reply does not fit it.
     */
    boolean recordReply(final byte[] reply)
    {
        return false;
    }

    /**
     * Records the reply of a call that takes one, read from the frame that carries it: by default as a copy in a new
     * array ({@link #recordReply(byte[])}). On the reading thread, under the client's lock.
     *
     * @param frame  the frame, a view of the channel valid only during this call.
     * @param index  where the reply starts in it.
     * @param length the reply's length.
     * @return {@code false} if this call takes no single reply (a stream): the reply does not fit it.
     */
    boolean recordReply(final ByteBuffer frame, final int index, final int length)
    {
        final byte[] reply = new byte[length];
        frame.get(index, reply);
        return recordReply(reply);
    }

    /**
     * Records a failure on the reading thread, delivered by {@link #fire()}.
     *
     * @param failure the failure.
     */
    abstract void recordFailure(Throwable failure);

    /**
     * Fails the call from outside the reading thread's batch (close, timeout, send failure). Called without the
     * client's lock, after the call left the pending set.
     *
     * @param failure the failure.
     */
    abstract void failNow(Throwable failure);
}
