package ipc.api;

/**
 * A snapshot of the counters of a channel, or the sum over the connections of a server. The counters are
 * kept on every channel; reading them does not disturb the hot path.
 *
 * @param messagesSent      messages sent (a fragmented message counts once).
 * @param messagesReceived  messages received.
 * @param bytesSent         payload bytes sent.
 * @param bytesReceived     payload bytes received.
 * @param fragmentsSent     records sent as parts of fragmented messages.
 * @param fragmentsReceived records received as parts of fragmented messages.
 * @param wakeupsSent       times this side woke a sleeping peer (a system call each).
 * @param parks             times this side went to sleep on the wake primitive.
 * @param spinHits          waits that ended while still spinning, without a system call.
 * @param fullRingWaits     sends that found the ring full and had to wait for the reader.
 * @param protocolErrors    protocol violations seen from the peer.
 */
public record IpcStats(
    long messagesSent,
    long messagesReceived,
    long bytesSent,
    long bytesReceived,
    long fragmentsSent,
    long fragmentsReceived,
    long wakeupsSent,
    long parks,
    long spinHits,
    long fullRingWaits,
    long protocolErrors)
{
    /** All counters zero. */
    public static final IpcStats ZERO = new IpcStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * The counter-wise sum of this snapshot and another.
     *
     * @param other the snapshot to add.
     * @return a new snapshot.
     */
    public IpcStats plus(final IpcStats other)
    {
        return new IpcStats(
            messagesSent + other.messagesSent,
            messagesReceived + other.messagesReceived,
            bytesSent + other.bytesSent,
            bytesReceived + other.bytesReceived,
            fragmentsSent + other.fragmentsSent,
            fragmentsReceived + other.fragmentsReceived,
            wakeupsSent + other.wakeupsSent,
            parks + other.parks,
            spinHits + other.spinHits,
            fullRingWaits + other.fullRingWaits,
            protocolErrors + other.protocolErrors);
    }
}
