package ipc.shared.codec;

import ipc.api.IpcServerStats;

/**
 * A decoded control-channel frame.
 */
public sealed interface Frame permits Frame.Hello, Frame.Welcome, Frame.Ready, Frame.Reject, Frame.Stats,
    Frame.StatsReply
{
    /**
     * Client's greeting.
     *
     * @param protocolMajor the client's protocol major version.
     * @param protocolMinor the client's protocol minor version.
     * @param pid           the pid the client claims (informational; identity comes from the OS).
     */
    record Hello(int protocolMajor, int protocolMinor, long pid) implements Frame
    {
    }

    /**
     * Server's acceptance.
     *
     * @param protocolMajor  the server's protocol major version.
     * @param protocolMinor  the server's protocol minor version.
     * @param ringCapacity   capacity of each ring.
     * @param maxMessageSize largest message of the connection.
     * @param handleCount    how many handles travel with this frame.
     * @param segmentLength  length of the shared segment.
     * @param pid            the server's pid.
     */
    record Welcome(int protocolMajor, int protocolMinor, int ringCapacity, int maxMessageSize, int handleCount,
        long segmentLength, long pid) implements Frame
    {
    }

    /** Client attached the segment. */
    record Ready() implements Frame
    {
    }

    /**
     * Refusal.
     *
     * @param reason why, one of {@link RejectReason}.
     * @param text   details for the other side's error message.
     */
    record Reject(RejectReason reason, String text) implements Frame
    {
    }

    /**
     * Client's request for the server's counters, sent instead of HELLO; the server answers with
     * {@link StatsReply} and closes.
     *
     * @param protocolMajor the client's protocol major version.
     * @param protocolMinor the client's protocol minor version.
     */
    record Stats(int protocolMajor, int protocolMinor) implements Frame
    {
    }

    /**
     * Server's counters, the answer to {@link Stats}.
     *
     * @param protocolMajor the server's protocol major version.
     * @param protocolMinor the server's protocol minor version.
     * @param stats         the counters; none negative.
     */
    record StatsReply(int protocolMajor, int protocolMinor, IpcServerStats stats) implements Frame
    {
    }
}
