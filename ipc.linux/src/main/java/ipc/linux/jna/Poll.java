package ipc.linux.jna;

/**
 * Constants and layout of {@code <poll.h>}.
 */
public final class Poll
{
    /** There is data to read. */
    public static final short POLLIN = 0x001;
    /** Writing is now possible. */
    public static final short POLLOUT = 0x004;
    /** Error condition (output only). */
    public static final short POLLERR = 0x008;
    /** Hang up (output only). */
    public static final short POLLHUP = 0x010;
    /** Invalid request: the descriptor is not open (output only). */
    public static final short POLLNVAL = 0x020;
    /** Stream socket peer closed the connection, or shut down its writing half. */
    public static final short POLLRDHUP = 0x2000;

    /** {@code sizeof(struct pollfd)}: {@code int fd; short events; short revents;}. */
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
