package ipc.macos.os;

/**
 * The identity of the process at the other end of a Unix socket, as the kernel recorded it when it connected
 * ({@code LOCAL_PEERCRED} for the uid, {@code LOCAL_PEERPID} for the pid); the peer cannot forge it.
 *
 * @param pid the peer's process ID.
 * @param uid the peer's effective user ID.
 */
public record PeerCredentials(int pid, int uid)
{
}
