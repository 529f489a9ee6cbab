package ipc.linux.os;

/**
 * The credentials of the process at the other end of a Unix socket, as the kernel recorded them when it
 * connected ({@code SO_PEERCRED}); they cannot be forged by the peer.
 *
 * @param pid the peer's process ID.
 * @param uid the peer's effective user ID.
 * @param gid the peer's effective group ID.
 */
public record PeerCredentials(int pid, int uid, int gid)
{
}
