package ipc.api.call;

/**
 * A snapshot of a {@link CallClient}'s counters.
 *
 * @param requests     requests sent, streamed ones included.
 * @param replies      calls completed by the server: replies, stream ends and errors.
 * @param items        stream items received.
 * @param remoteErrors calls the server's handler failed.
 * @param timeouts     calls that timed out.
 * @param cancels      calls cancelled by the caller.
 * @param lateReplies  frames dropped because their call had already completed (timed out or cancelled).
 * @param pending      calls in flight now.
 */
public record CallStats(long requests, long replies, long items, long remoteErrors, long timeouts, long cancels,
    long lateReplies, int pending)
{
}
