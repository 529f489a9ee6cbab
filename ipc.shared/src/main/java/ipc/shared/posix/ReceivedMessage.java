package ipc.shared.posix;

/**
 * The result of a backend's {@code recvmsg} of a control message ({@link UnixSocketCalls#receiveMessage}).
 *
 * @param bytes   the number of bytes received; 0 at end of stream (the peer closed); -1 when the socket is
 *                non-blocking and nothing was available.
 * @param fdCount the number of file descriptors received, stored from index 0 of the caller's array; the caller
 *                owns and must close them.
 */
public record ReceivedMessage(int bytes, int fdCount)
{
    /**
     * Tells whether the peer closed its end.
     *
     * @return whether {@link #bytes()} is 0.
     */
    public boolean endOfStream()
    {
        return bytes == 0;
    }

    /**
     * Tells whether a non-blocking receive found nothing.
     *
     * @return whether {@link #bytes()} is -1.
     */
    public boolean wouldBlock()
    {
        return bytes < 0;
    }
}
