package ipc.shared.call;

/**
 * A call answered by one reply (or one failure), as opposed to a stream: the reading thread records the outcome
 * during its batch, and {@link #fire()} delivers it after the batch, to a future ({@link PlainCall}) or to a caller
 * that drives the channel itself ({@link SyncCall}).
 */
abstract class OneReplyCall extends ClientCall
{
    /** Recorded by the reading thread during its batch, delivered by {@link #fire()}. */
    private byte[] reply;
    private Throwable failure;

    OneReplyCall(final long timeoutNanos)
    {
        super(timeoutNanos);
    }

    @Override
    final boolean recordReply(final byte[] reply)
    {
        this.reply = reply;
        return true;
    }

    @Override
    final void recordFailure(final Throwable failure)
    {
        this.failure = failure;
    }

    @Override
    final void fire()
    {
        final byte[] value = reply;
        final Throwable cause = failure;
        reply = null;
        failure = null;
        complete(value, cause);
    }

    @Override
    final void failNow(final Throwable cause)
    {
        complete(null, cause);
    }

    /**
     * Hands the outcome to whoever waits for it, on the completion thread.
     *
     * @param value the reply, when {@code cause} is {@code null}.
     * @param cause the failure, or {@code null}.
     */
    abstract void complete(byte[] value, Throwable cause);
}
