package ipc.linux;

import ipc.api.IpcException;
import ipc.api.IpcPeer;
import ipc.linux.os.PeerCredentials;
import ipc.linux.os.Posix;
import ipc.linux.os.UnixSocket;
import ipc.shared.posix.UnixControlChannel;
import ipc.shared.posix.UnixSocketCalls;

/** Linux's system calls for the shared control channel ({@link UnixControlChannel}). */
final class LinuxSocketCalls
{
    /** Linux's {@code poll.h} values are those of {@link UnixSocketCalls#POLLIN} and {@code POLLOUT}. */
    static final UnixSocketCalls CALLS = new UnixSocketCalls(UnixSocket::sendMessage, UnixSocket::receiveMessage,
        UnixSocket.MAX_FDS, (fd, events, timeoutNanos) -> Posix.poll(fd, events, Posix.toMillis(timeoutNanos)),
        fd -> peer(UnixSocket.peerCredentials(fd)), Posix::closeQuietly);

    private LinuxSocketCalls()
    {
    }

    /**
     * A control channel over a connected socket, made non-blocking here.
     *
     * @param fd the socket; owned by the channel, or closed if this fails.
     * @return the channel.
     * @throws IpcException when the socket cannot be made non-blocking.
     */
    static UnixControlChannel channel(final int fd) throws IpcException
    {
        try
        {
            Posix.setNonBlocking(fd, true);
        }
        catch (final IpcException ex)
        {
            Posix.closeQuietly(fd);
            throw ex;
        }
        return new UnixControlChannel(CALLS, fd);
    }

    private static IpcPeer peer(final PeerCredentials credentials)
    {
        return new IpcPeer(credentials.pid(), Integer.toUnsignedLong(credentials.uid()));
    }
}
