package ipc.linux.jna;

import com.sun.jna.Platform;

/**
 * Constants and layout of {@code <sys/epoll.h>}.
 *
 * <p>{@code struct epoll_event { uint32_t events; epoll_data_t data; }} is declared
 * {@code __attribute__((packed))} on x86_64 only: there it is 12 bytes with {@code data} at offset 4; on aarch64
 * (and every other 64-bit architecture) it is 16 bytes with {@code data} at offset 8. The backend reads and
 * writes events arrays through these offsets rather than through a {@code Structure}, so that one array serves
 * every call without allocation.
 */
public final class Epoll
{
    /** The associated file is available for {@code read}. */
    public static final int EPOLLIN = 0x001;
    /** The associated file is available for {@code write}. */
    public static final int EPOLLOUT = 0x004;
    /** Error condition (always reported). */
    public static final int EPOLLERR = 0x008;
    /** Hang up (always reported). */
    public static final int EPOLLHUP = 0x010;
    /** Stream socket peer closed the connection, or shut down its writing half. */
    public static final int EPOLLRDHUP = 0x2000;
    /** Edge-triggered notification. */
    public static final int EPOLLET = 1 << 31;
    /** {@code epoll_create1}: set close-on-exec on the new descriptor. */
    public static final int EPOLL_CLOEXEC = 02000000;

    /** {@code epoll_ctl}: register the target file descriptor. */
    public static final int EPOLL_CTL_ADD = 1;
    /** {@code epoll_ctl}: deregister the target file descriptor. */
    public static final int EPOLL_CTL_DEL = 2;
    /** {@code epoll_ctl}: change the event of the target file descriptor. */
    public static final int EPOLL_CTL_MOD = 3;

    /** {@code sizeof(struct epoll_event)} on this architecture: 12 on x86_64 (packed), 16 elsewhere. */
    public static final int SIZEOF_EPOLL_EVENT;
    /** {@code offsetof(struct epoll_event, events)}. */
    public static final int EPOLL_EVENT_EVENTS_OFFSET = 0;
    /** {@code offsetof(struct epoll_event, data)} on this architecture: 4 on x86_64 (packed), 8 elsewhere. */
    public static final int EPOLL_EVENT_DATA_OFFSET;

    static
    {
        final boolean packed = Platform.isIntel() && Platform.is64Bit();
        SIZEOF_EPOLL_EVENT = packed ? 12 : 16;
        EPOLL_EVENT_DATA_OFFSET = packed ? 4 : 8;
    }

    private Epoll()
    {
    }
}
