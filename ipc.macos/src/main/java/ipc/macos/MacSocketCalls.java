package ipc.macos;

import ipc.api.IpcPeer;
import ipc.macos.os.PeerCredentials;
import ipc.macos.os.Posix;
import ipc.macos.os.UnixSocket;
import ipc.shared.posix.UnixControlChannel;
import ipc.shared.posix.UnixSocketCalls;

/**
 * macOS's system calls for the shared control channel ({@link UnixControlChannel}), over sockets that
 * {@link UnixSocket} made non-blocking, close-on-exec and {@code SO_NOSIGPIPE}.
 */
final class MacSocketCalls
{
    /**
     * xnu's {@code poll.h} values are those of {@link UnixSocketCalls#POLLIN} and {@code POLLOUT}; no descriptor bound
     * of its own: {@link UnixSocket#receiveMessage} sizes its control buffer for whatever a peer can send.
     */
    static final UnixSocketCalls CALLS = new UnixSocketCalls(UnixSocket::sendMessage, UnixSocket::receiveMessage,
        Integer.MAX_VALUE, (fd, events, timeoutNanos) -> UnixSocket.poll(fd, events, UnixSocket.toMillis(timeoutNanos)),
        fd -> peer(UnixSocket.peerCredentials(fd)), Posix::closeQuietly);

    private MacSocketCalls()
    {
    }

    /**
     * A control channel over a connected socket that {@link UnixSocket} made non-blocking.
     *
     * @param fd the socket; owned by the channel.
     * @return the channel.
     */
    static UnixControlChannel channel(final int fd)
    {
        return new UnixControlChannel(CALLS, fd);
    }

    private static IpcPeer peer(final PeerCredentials credentials)
    {
        return new IpcPeer(credentials.pid(), Integer.toUnsignedLong(credentials.uid()));
    }
}
