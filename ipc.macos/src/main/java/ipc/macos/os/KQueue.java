package ipc.macos.os;

import static ipc.macos.jna.Event.EVFILT_READ;
import static ipc.macos.jna.Event.EV_ADD;
import static ipc.macos.jna.Event.EV_DELETE;
import static ipc.macos.jna.Event.EV_DISABLE;
import static ipc.macos.jna.Event.KEVENT_DATA_OFFSET;
import static ipc.macos.jna.Event.KEVENT_FFLAGS_OFFSET;
import static ipc.macos.jna.Event.KEVENT_FILTER_OFFSET;
import static ipc.macos.jna.Event.KEVENT_FLAGS_OFFSET;
import static ipc.macos.jna.Event.KEVENT_IDENT_OFFSET;
import static ipc.macos.jna.Event.KEVENT_UDATA_OFFSET;
import static ipc.macos.jna.Event.SIZEOF_KEVENT;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Native;

import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.macos.jna.Errno;
import ipc.macos.jna.LibC;
import ipc.macos.jna.Time;

/**
 * A kqueue watching descriptors for readability ({@code EVFILT_READ}, level-triggered: no {@code EV_CLEAR}), and
 * the native array its ready events are read into. {@link #await(long)} fills the array; the accessors read it;
 * nothing allocates.
 *
 * <p>Threads: everything but {@link #close()} belongs to one thread. Closing a descriptor removes its events from
 * every kqueue (unlike epoll, kqueue watches the descriptor number), but callers still remove them first.
 */
public final class KQueue implements AutoCloseable
{
    private final int kq;
    private final int maxEvents;
    private final ByteBuffer events;
    private final long eventsAddress;
    private volatile boolean closed;

    /**
     * Creates a kqueue (close-on-exec) able to report up to {@code maxEvents} events per {@link #await(long)}.
     *
     * @param maxEvents the capacity of the events array, greater than zero.
     * @throws IpcException when the kernel refuses.
     */
    public KQueue(final int maxEvents) throws IpcException
    {
        if (maxEvents <= 0)
        {
            throw new IllegalArgumentException("maxEvents must be positive: maxEvents=" + maxEvents);
        }
        this.maxEvents = maxEvents;
        this.events = ByteBuffer.allocateDirect(maxEvents * SIZEOF_KEVENT).order(ByteOrder.nativeOrder());
        this.eventsAddress = NativeScratch.addressOf(events);
        final int fd = LibC.kqueue();
        if (fd < 0)
        {
            throw MacErrors.exception("kqueue", Native.getLastError(), null);
        }
        try
        {
            Posix.setCloseOnExec(fd);
        }
        catch (final IpcException ex)
        {
            Posix.closeQuietly(fd);
            throw ex;
        }
        this.kq = fd;
    }

    /**
     * Watches a descriptor for readability ({@code EV_ADD}, {@code EVFILT_READ}).
     *
     * @param fd   the descriptor.
     * @param data returned by {@link #eventData(int)} (the {@code udata} of the event).
     * @throws IpcException when the kernel refuses.
     */
    public void addRead(final int fd, final long data) throws IpcException
    {
        change(fd, EV_ADD, data, "kevent(EV_ADD)");
    }

    /**
     * Stops reporting a descriptor but keeps it registered ({@code EV_DISABLE}).
     *
     * @param fd the descriptor.
     * @throws IpcException when the kernel refuses.
     */
    public void disableRead(final int fd) throws IpcException
    {
        change(fd, EV_DISABLE, 0L, "kevent(EV_DISABLE)");
    }

    /**
     * Stops watching a descriptor ({@code EV_DELETE}).
     *
     * @param fd the descriptor.
     * @throws IpcException when the kernel refuses (e.g. {@code ENOENT}).
     */
    public void removeRead(final int fd) throws IpcException
    {
        change(fd, EV_DELETE, 0L, "kevent(EV_DELETE)");
    }

    private void change(final int fd, final short flags, final long data, final String call) throws IpcException
    {
        ensureOpen();
        final NativeScratch scratch = NativeScratch.get();
        final ByteBuffer b = scratch.buffer;
        b.putLong(NativeScratch.KEVENT + KEVENT_IDENT_OFFSET, fd);
        b.putShort(NativeScratch.KEVENT + KEVENT_FILTER_OFFSET, EVFILT_READ);
        b.putShort(NativeScratch.KEVENT + KEVENT_FLAGS_OFFSET, flags);
        b.putInt(NativeScratch.KEVENT + KEVENT_FFLAGS_OFFSET, 0);
        b.putLong(NativeScratch.KEVENT + KEVENT_DATA_OFFSET, 0L);
        b.putLong(NativeScratch.KEVENT + KEVENT_UDATA_OFFSET, data);
        while (LibC.kevent(kq, scratch.address + NativeScratch.KEVENT, 1, 0L, 0, 0L) < 0)
        {
            final int errno = Native.getLastError();
            if (errno != Errno.EINTR)
            {
                throw MacErrors.exception(call, errno, "kq=" + kq + " fd=" + fd);
            }
        }
    }

    /**
     * Waits for events.
     *
     * @param timeoutNanos how long; negative waits without limit, zero polls.
     * @return how many events were stored; 0 on timeout or {@code EINTR}.
     * @throws IpcException when the queue is closed or the kernel refuses.
     */
    public int await(final long timeoutNanos) throws IpcException
    {
        ensureOpen();
        long timeout = 0L;
        if (timeoutNanos >= 0)
        {
            final NativeScratch scratch = NativeScratch.get();
            scratch.buffer.putLong(NativeScratch.TIMESPEC + Time.TIMESPEC_TV_SEC_OFFSET, timeoutNanos / 1_000_000_000L);
            scratch.buffer.putLong(NativeScratch.TIMESPEC + Time.TIMESPEC_TV_NSEC_OFFSET, timeoutNanos % 1_000_000_000L);
            timeout = scratch.address + NativeScratch.TIMESPEC;
        }
        final int ready = LibC.kevent(kq, 0L, 0, eventsAddress, maxEvents, timeout);
        if (ready < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EINTR)
            {
                return 0;
            }
            throw MacErrors.exception("kevent", errno, "kq=" + kq);
        }
        return ready;
    }

    /**
     * The descriptor of the {@code index}-th event of the last {@link #await(long)}.
     *
     * @param index from 0.
     * @return the {@code ident}.
     */
    public int eventIdent(final int index)
    {
        return (int)events.getLong(index * SIZEOF_KEVENT + KEVENT_IDENT_OFFSET);
    }

    /**
     * The {@code udata} of the {@code index}-th event.
     *
     * @param index from 0.
     * @return the value given to {@link #addRead}.
     */
    public long eventData(final int index)
    {
        return events.getLong(index * SIZEOF_KEVENT + KEVENT_UDATA_OFFSET);
    }

    /**
     * The {@code flags} of the {@code index}-th event, e.g. {@code EV_EOF}.
     *
     * @param index from 0.
     * @return the flags, unsigned.
     */
    public int eventFlags(final int index)
    {
        return events.getShort(index * SIZEOF_KEVENT + KEVENT_FLAGS_OFFSET) & 0xFFFF;
    }

    private void ensureOpen() throws IpcClosedException
    {
        if (closed)
        {
            throw new IpcClosedException("kqueue closed: kq=" + kq);
        }
    }

    /** Closes the queue. Idempotent; the watched descriptors stay open. */
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
        LibC.close(kq);
    }
}
