package ipc.macos;

import java.lang.System.Logger.Level;

import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.macos.os.UnixSocket;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;

/**
 * One end of a doorbell socket pair, in one of two roles. The waiter's end ({@code waitFd}) is read: a ring stays
 * pending as a byte until drained, so a ring that lands before the wait is not lost. The waker's end
 * ({@code ringFd}) is written: one byte per ring, {@code MSG_DONTWAIT}; a full socket means rings are already
 * pending. Both use per-call non-blocking flags, never the descriptor's own, so a peer that re-flags the open file
 * it shares cannot make either side block (containment, DESIGN.md section 6).
 *
 * <p>On a waiter's end, {@link #wake()} wakes a thread of this process blocked in {@link #await(long)} (a local close
 * of the channel, such as the server's end of an accepted channel): a byte written to the doorbell itself would go
 * to the peer. It rings a private socket pair that {@link #await(long)} polls beside the doorbell, created only once a
 * thread first awaits (the dispatcher, which watches the doorbell with kqueue, never does, so a server with many
 * clients spends no descriptors on it), and a flag covers a wake that comes before that. A local wake-up ends an
 * await without an exception even when the peer's end is closed too: the channel reports its own close then.
 */
final class DoorbellSignal implements WakeSignal, Selectable
{
    private static final System.Logger LOGGER = System.getLogger(DoorbellSignal.class.getName());

    /** Index of the end of the local pair that {@link #await(long)} polls and drains. */
    private static final int LOCAL_READ = 0;
    /** Index of the end of the local pair that {@link #wake()} rings. */
    private static final int LOCAL_RING = 1;

    private final DoorbellSystemCalls calls;
    private final int waitFd;
    private final int ringFd;
    /** Guards {@link #localPair} and {@link #closed}, so that no wake-up writes to a closed descriptor. */
    private final Object lifecycle = new Object();
    /** The private pair of local wake-ups, or {@code null} until a thread first awaits. */
    private int[] localPair;
    private boolean closed;
    /** A local wake-up not yet consumed by an await. */
    private volatile boolean localWakePending;
    private volatile boolean peerClosed;

    /**
     * Binds a doorbell end to the real system calls.
     *
     * @param waitFd the end this process reads to wait, or -1.
     * @param ringFd the end this process writes to wake the peer, or -1.
     */
    DoorbellSignal(final int waitFd, final int ringFd)
    {
        this(DoorbellSystemCalls.NATIVE, waitFd, ringFd);
    }

    /**
     * Binds a doorbell end.
     *
     * @param calls  the system calls to make.
     * @param waitFd the end this process reads to wait, or -1.
     * @param ringFd the end this process writes to wake the peer, or -1.
     */
    DoorbellSignal(final DoorbellSystemCalls calls, final int waitFd, final int ringFd)
    {
        this.calls = calls;
        this.waitFd = waitFd;
        this.ringFd = ringFd;
    }

    @Override
    public void await(final long timeoutNanos) throws IpcException
    {
        if (waitFd < 0 || timeoutNanos <= 0)
        {
            return;
        }
        final int local = localReadFd();
        if (local < 0 || localWakePending)
        {
            // Closed, or woken before this thread could wait: the caller re-checks its condition.
            localWakePending = false;
            return;
        }
        if (peerClosed)
        {
            throw peerClosedException();
        }
        final int ready = calls.pollEither(waitFd, local, UnixSocket.toMillis(timeoutNanos));
        boolean woken = false;
        if ((ready & UnixSocket.SECOND_READY) != 0)
        {
            localWakePending = false;
            calls.drainRings(local);
            woken = true;
        }
        if ((ready & UnixSocket.FIRST_READY) != 0 && !consume() && !woken)
        {
            // The other end is closed: the doorbell would read as ready forever (see WakeSignal).
            throw peerClosedException();
        }
    }

    /**
     * On a waker's end, rings the peer; on a waiter's end, wakes a thread of this process blocked in
     * {@link #await(long)} and sends nothing to the peer. Never blocks.
     */
    @Override
    public void wake()
    {
        if (ringFd >= 0)
        {
            ring(ringFd, "doorbell ring failed: ");
            return;
        }
        if (waitFd < 0)
        {
            return;
        }
        localWakePending = true;
        synchronized (lifecycle)
        {
            if (!closed && null != localPair)
            {
                ring(localPair[LOCAL_RING], "doorbell local wake failed: ");
            }
        }
    }

    private void ring(final int fd, final String failure)
    {
        try
        {
            calls.ring(fd);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.ERROR, failure + ex.getMessage());
        }
    }

    @Override
    public Selectable selectable()
    {
        return waitFd >= 0 ? this : null;
    }

    @Override
    public boolean drain()
    {
        return consume();
    }

    /**
     * Consumes pending rings.
     *
     * @return {@code false} once the peer's end is closed, {@code true} otherwise (also for a ringing-only end).
     */
    boolean consume()
    {
        if (waitFd < 0)
        {
            return true;
        }
        try
        {
            if (!calls.drainRings(waitFd))
            {
                peerClosed = true;
            }
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.WARNING, "doorbell drain failed: " + ex.getMessage());
            peerClosed = true;
        }
        return !peerClosed;
    }

    /**
     * Closes the private pair of local wake-ups, if any; the doorbell's descriptors belong to the connection. Called
     * by the connection's owner once no thread waits on this signal any more (the channel's lease guarantees it); a
     * {@link #wake()} after it is a no-op and an {@link #await(long)} returns at once.
     */
    void close()
    {
        synchronized (lifecycle)
        {
            if (!closed)
            {
                closed = true;
                if (null != localPair)
                {
                    calls.closeQuietly(localPair[LOCAL_READ]);
                    calls.closeQuietly(localPair[LOCAL_RING]);
                }
            }
        }
    }

    /** The read end of the local pair, created on first use; -1 once closed. */
    private int localReadFd() throws IpcException
    {
        synchronized (lifecycle)
        {
            if (closed)
            {
                return -1;
            }
            if (null == localPair)
            {
                localPair = calls.socketPair();
            }
            return localPair[LOCAL_READ];
        }
    }

    private IpcPeerClosedException peerClosedException()
    {
        return new IpcPeerClosedException("doorbell closed by the peer: " + this);
    }

    @Override
    public long selectHandle()
    {
        return waitFd;
    }

    @Override
    public String toString()
    {
        return "doorbell{waitFd=" + waitFd + " ringFd=" + ringFd + "}";
    }
}
