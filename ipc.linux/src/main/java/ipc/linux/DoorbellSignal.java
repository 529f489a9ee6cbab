package ipc.linux;

import java.lang.System.Logger.Level;

import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.linux.os.Doorbell;
import ipc.linux.os.EventFd;
import ipc.linux.os.Posix;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;

/**
 * The server's end of a connection's doorbell ({@link Doorbell}, a socketpair): the wake signal of its inbound ring,
 * so that one epoll can watch every connection. The client rings the other end; this end is the server's own file
 * description, read with {@code MSG_DONTWAIT}, so nothing the client does with its end can make a drain or an await
 * block past its timeout (DESIGN.md section 6). A ring stays pending until drained, so a ring that lands before the
 * wait is not lost. Once the client's end is closed or shut down, {@link #drain()} returns {@code false} and
 * {@link #await(long)} throws {@link IpcPeerClosedException} (unless a local wake-up, such as the transport's
 * peer-gone notice, ends it first), after any ring that came before the close was reported.
 *
 * <p>{@link #wake()} on this end wakes a thread of this process blocked in {@link #await(long)} (a local close of
 * the channel): the client's end is of no use for that, since bytes sent from here go to the client. It uses a
 * private eventfd, created only once a thread first awaits (a dispatcher that watches the doorbell with epoll never
 * does), and a flag for a wake that comes before that.
 */
final class DoorbellSignal implements WakeSignal, Selectable
{
    private static final System.Logger LOGGER = System.getLogger(DoorbellSignal.class.getName());

    private final int fd;
    /** Guards {@link #localWakeFd} and {@link #closed}, so that no wake-up writes to a closed eventfd. */
    private final Object lifecycle = new Object();
    private int localWakeFd = -1;
    private boolean closed;
    /** A local wake-up not yet consumed by an await. */
    private volatile boolean localWakePending;

    DoorbellSignal(final int fd)
    {
        this.fd = fd;
    }

    @Override
    public void await(final long timeoutNanos) throws IpcException
    {
        final int local = localWakeFd();
        if (local < 0 || localWakePending)
        {
            // Closed, or woken before this thread could wait: the caller re-checks its condition.
            localWakePending = false;
            return;
        }
        final int ready = Posix.pollEither(fd, local, Posix.toMillis(Math.max(0, timeoutNanos)));
        boolean woken = false;
        if ((ready & Posix.SECOND_READY) != 0)
        {
            localWakePending = false;
            EventFd.drain(local);
            woken = true;
        }
        if ((ready & Posix.FIRST_READY) != 0 && Doorbell.drain(fd) == Doorbell.CLOSED && !woken)
        {
            // The channel that waits here marks its peer gone on this exception and reports the close as its own.
            throw new IpcPeerClosedException("doorbell closed by the peer: fd=" + fd);
        }
    }

    /** Wakes a thread of this process blocked in {@link #await(long)}; sends nothing to the client. */
    @Override
    public void wake()
    {
        localWakePending = true;
        synchronized (lifecycle)
        {
            if (closed || localWakeFd < 0)
            {
                return;
            }
            try
            {
                EventFd.signal(localWakeFd);
            }
            catch (final IpcException ex)
            {
                LOGGER.log(Level.ERROR, "doorbell local wake failed: " + ex.getMessage());
            }
        }
    }

    @Override
    public Selectable selectable()
    {
        return this;
    }

    /**
     * Consumes pending rings: at most {@link Doorbell#DRAIN_READS} reads of {@link Doorbell#DRAIN_CHUNK} bytes, never
     * blocking; a flood stays readable for the next call.
     *
     * @return {@code false} once the client's end is closed or shut down (or the descriptor fails): the doorbell
     *         will read as ready for ever, so the owner stops watching it and closes the connection.
     */
    @Override
    public boolean drain()
    {
        try
        {
            return Doorbell.drain(fd) != Doorbell.CLOSED;
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.ERROR, "doorbell drain failed: " + ex.getMessage());
            return false;
        }
    }

    @Override
    public long selectHandle()
    {
        return fd;
    }

    /**
     * Closes the private eventfd of local wake-ups, if any; the doorbell descriptor belongs to the connection. Called
     * by the connection's owner once no thread waits on this signal any more (the channel's lease guarantees it); a
     * {@link #wake()} after it is a no-op.
     */
    void close()
    {
        synchronized (lifecycle)
        {
            if (!closed)
            {
                closed = true;
                Posix.closeQuietly(localWakeFd);
                localWakeFd = -1;
            }
        }
    }

    private int localWakeFd() throws IpcException
    {
        synchronized (lifecycle)
        {
            if (closed)
            {
                return -1;
            }
            if (localWakeFd < 0)
            {
                localWakeFd = EventFd.create();
            }
            return localWakeFd;
        }
    }
}
