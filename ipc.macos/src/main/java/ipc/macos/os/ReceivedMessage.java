package ipc.macos.os;

/**
 * The result of {@link UnixSocket#receiveMessage}.
 *
 * @param bytes   bytes received; 0 at end of stream; -1 when nothing was available.
 * @param fdCount descriptors received, stored from index 0 of the caller's array; the caller owns them.
 */
public record ReceivedMessage(int bytes, int fdCount)
{
    /**
     * Whether the peer closed its end.
     *
     * @return whether {@link #bytes()} is 0.
     */
    public boolean endOfStream()
    {
        return bytes == 0;
    }

    /**
     * Whether a non-blocking receive found nothing.
     *
     * @return whether {@link #bytes()} is -1.
     */
    public boolean wouldBlock()
    {
        return bytes < 0;
    }
}
