package ipc.linux.jna;

/**
 * Constants of {@code <sys/eventfd.h>}.
 */
public final class EventFd
{
    /** Provide semaphore-like semantics for reads. */
    public static final int EFD_SEMAPHORE = 00000001;
    /** Set close-on-exec on the new descriptor. */
    public static final int EFD_CLOEXEC = 02000000;
    /** Set {@code O_NONBLOCK} on the new descriptor. */
    public static final int EFD_NONBLOCK = 00004000;

    private EventFd()
    {
    }
}
