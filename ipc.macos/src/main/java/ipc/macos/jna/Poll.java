package ipc.macos.jna;

/**
 * Constants and layout of xnu {@code bsd/sys/poll.h}.
 */
public final class Poll
{
    /** Any readable data available ({@code poll.h:68}). */
    public static final short POLLIN = 0x0001;
    /** File descriptor is writeable ({@code poll.h:70}). */
    public static final short POLLOUT = 0x0004;
    /** Some poll error occurred ({@code poll.h:89}). */
    public static final short POLLERR = 0x0008;
    /** File descriptor was "hung up" ({@code poll.h:90}). */
    public static final short POLLHUP = 0x0010;
    /** Requested events "invalid" ({@code poll.h:91}). */
    public static final short POLLNVAL = 0x0020;

    /** {@code sizeof(struct pollfd)}: {@code int fd; short events; short revents;} ({@code poll.h:96-100}). */
    public static final int SIZEOF_POLLFD = 8;
    /** {@code offsetof(struct pollfd, fd)}. */
    public static final int POLLFD_FD_OFFSET = 0;
    /** {@code offsetof(struct pollfd, events)}. */
    public static final int POLLFD_EVENTS_OFFSET = 4;
    /** {@code offsetof(struct pollfd, revents)}. */
    public static final int POLLFD_REVENTS_OFFSET = 6;

    private Poll()
    {
    }
}
