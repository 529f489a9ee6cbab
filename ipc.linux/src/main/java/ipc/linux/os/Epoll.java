package ipc.linux.os;

import static ipc.linux.jna.Epoll.EPOLL_CLOEXEC;
import static ipc.linux.jna.Epoll.EPOLL_CTL_ADD;
import static ipc.linux.jna.Epoll.EPOLL_CTL_DEL;
import static ipc.linux.jna.Epoll.EPOLL_CTL_MOD;
import static ipc.linux.jna.Epoll.EPOLL_EVENT_DATA_OFFSET;
import static ipc.linux.jna.Epoll.EPOLL_EVENT_EVENTS_OFFSET;
import static ipc.linux.jna.Epoll.SIZEOF_EPOLL_EVENT;

import com.sun.jna.Native;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An epoll instance and the native array its ready events are read into. {@link #wait(int)} fills the array;
 * {@link #eventData(int)} and {@link #eventFlags(int)} read it; nothing allocates.
 *
 * <p>Threads: {@link #wait(int)} and the event accessors belong to one thread (the dispatcher). {@link #add},
 * {@link #modify} and {@link #remove} may be called from any thread, also while another one waits (the kernel
 * allows it). {@link #close()} is idempotent; call it once the waiting thread has stopped, since closing an epoll
 * descriptor does not wake a thread blocked on it.
 */
public final class Epoll implements AutoCloseable
{
    private final int epfd;
    private final int maxEvents;
    private final ByteBuffer events;
    private final long eventsAddress;
    private volatile boolean closed;

    /**
     * Creates an epoll instance ({@code epoll_create1(EPOLL_CLOEXEC)}) able to report up to {@code maxEvents}
     * ready descriptors per {@link #wait(int)}.
     *
     * @param maxEvents the capacity of the events array, greater than zero.
     * @throws IpcException when the kernel refuses (e.g. {@code EMFILE}).
     */
    public Epoll(final int maxEvents) throws IpcException
    {
        if (maxEvents <= 0)
        {
            throw new IllegalArgumentException("maxEvents must be positive: maxEvents=" + maxEvents);
        }
        this.maxEvents = maxEvents;
        this.events = ByteBuffer.allocateDirect(maxEvents * SIZEOF_EPOLL_EVENT).order(ByteOrder.nativeOrder());
        this.eventsAddress = NativeScratch.addressOf(events);
        this.epfd = LibC.epoll_create1(EPOLL_CLOEXEC);
        if (epfd < 0)
        {
            throw LinuxErrors.exception("epoll_create1", Native.getLastError(), null);
        }
    }

    /**
     * Returns the epoll file descriptor (for example to nest it in another poll set).
     *
     * @return the descriptor, owned by this object.
     */
    public int fd()
    {
        return epfd;
    }

    /**
     * Registers a file descriptor ({@code EPOLL_CTL_ADD}).
     *
     * @param fd     the descriptor to watch.
     * @param events the events wanted, e.g. {@code EPOLLIN | EPOLLRDHUP}; {@code EPOLLERR}/{@code EPOLLHUP} are
     *               always reported.
     * @param data   a value returned by {@link #eventData(int)} when {@code fd} is ready (e.g. a connection id).
     * @throws IpcException when the kernel refuses (e.g. {@code EEXIST}, {@code EBADF}).
     */
    public void add(final int fd, final int events, final long data) throws IpcException
    {
        control(EPOLL_CTL_ADD, "epoll_ctl(EPOLL_CTL_ADD)", fd, events, data);
    }

    /**
     * Changes the events and data of a registered descriptor ({@code EPOLL_CTL_MOD}).
     *
     * @param fd     the registered descriptor.
     * @param events the events wanted.
     * @param data   the value returned by {@link #eventData(int)}.
     * @throws IpcException when the kernel refuses (e.g. {@code ENOENT}).
     */
    public void modify(final int fd, final int events, final long data) throws IpcException
    {
        control(EPOLL_CTL_MOD, "epoll_ctl(EPOLL_CTL_MOD)", fd, events, data);
    }

    /**
     * Deregisters a descriptor ({@code EPOLL_CTL_DEL}). Do it before closing the descriptor if it may have been
     * duplicated (e.g. sent to another process): epoll watches the open file, not the number.
     *
     * @param fd the registered descriptor.
     * @throws IpcException when the kernel refuses (e.g. {@code ENOENT}).
     */
    public void remove(final int fd) throws IpcException
    {
        control(EPOLL_CTL_DEL, "epoll_ctl(EPOLL_CTL_DEL)", fd, 0, 0L);
    }

    private void control(final int op, final String call, final int fd, final int events, final long data)
        throws IpcException
    {
        ensureOpen();
        final NativeScratch scratch = NativeScratch.get();
        scratch.buffer.putInt(NativeScratch.EPOLL_EVENT + EPOLL_EVENT_EVENTS_OFFSET, events);
        scratch.buffer.putLong(NativeScratch.EPOLL_EVENT + EPOLL_EVENT_DATA_OFFSET, data);
        if (LibC.epoll_ctl(epfd, op, fd, scratch.address + NativeScratch.EPOLL_EVENT) < 0)
        {
            throw LinuxErrors.exception(call, Native.getLastError(),
                "epfd=" + epfd + " fd=" + fd + " events=0x" + Integer.toHexString(events));
        }
    }

    /**
     * Waits for ready descriptors and stores them in the events array.
     *
     * @param timeoutMillis the timeout in milliseconds; -1 waits forever, 0 returns at once.
     * @return the number of ready descriptors, readable with {@link #eventData(int)} and {@link #eventFlags(int)}
     *         from index 0; 0 on timeout or when interrupted by a signal ({@code EINTR}).
     * @throws IpcException when the instance is closed or the kernel refuses the call.
     */
    public int wait(final int timeoutMillis) throws IpcException
    {
        ensureOpen();
        final int ready = LibC.epoll_wait(epfd, eventsAddress, maxEvents, timeoutMillis);
        if (ready < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EINTR)
            {
                return 0;
            }
            throw LinuxErrors.exception("epoll_wait", errno, "epfd=" + epfd + " timeoutMillis=" + timeoutMillis);
        }
        return ready;
    }

    /**
     * Returns the data registered with the {@code index}-th ready descriptor of the last {@link #wait(int)}.
     *
     * @param index from 0 to the last result of {@link #wait(int)} minus one.
     * @return the {@code data} given to {@link #add} or {@link #modify}.
     */
    public long eventData(final int index)
    {
        return events.getLong(index * SIZEOF_EPOLL_EVENT + EPOLL_EVENT_DATA_OFFSET);
    }

    /**
     * Returns the ready events of the {@code index}-th ready descriptor of the last {@link #wait(int)}.
     *
     * @param index from 0 to the last result of {@link #wait(int)} minus one.
     * @return the events, e.g. {@code EPOLLIN | EPOLLHUP}.
     */
    public int eventFlags(final int index)
    {
        return events.getInt(index * SIZEOF_EPOLL_EVENT + EPOLL_EVENT_EVENTS_OFFSET);
    }

    /**
     * Returns the capacity of the events array.
     *
     * @return the most descriptors one {@link #wait(int)} reports.
     */
    public int maxEvents()
    {
        return maxEvents;
    }

    private void ensureOpen() throws IpcClosedException
    {
        if (closed)
        {
            throw new IpcClosedException("epoll closed: epfd=" + epfd);
        }
    }

    /**
     * Closes the epoll descriptor. Idempotent; the registered descriptors stay open.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        LibC.close(epfd);
    }
}
