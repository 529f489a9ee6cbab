package ipc.api;

/**
 * The process at the other end of a channel, as the operating system reports it when it connects.
 *
 * @param pid the peer's process id, or {@link #UNKNOWN} where the operating system does not tell.
 * @param uid the peer's user id, or {@link #UNKNOWN} where the operating system does not tell (Windows).
 */
public record IpcPeer(long pid, long uid)
{
    /** Marks a value the operating system does not report. */
    public static final long UNKNOWN = -1;
}
