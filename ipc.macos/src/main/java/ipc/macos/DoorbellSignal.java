package ipc.macos;

import java.lang.System.Logger.Level;

import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.macos.jna.Poll;
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
 * <p>The server's inbound doorbell is a waiter's end watched by the dispatcher's multiplexer. A waiter's end
 * cannot be rung from its own process (a byte written there goes to the peer): a local {@link #wake()} on it does
 * nothing, and a local waiter learns of a local close within {@code WaitProtocol.MAX_PARK_NANOS} (the dispatcher
 * is woken by its owner instead). Once the peer's end is closed the waiter sleeps in short naps rather than spin on
 * the end of stream.
 */
final class DoorbellSignal implements WakeSignal, Selectable
{
    private static final System.Logger LOGGER = System.getLogger(DoorbellSignal.class.getName());

    private final int waitFd;
    private final int ringFd;
    private volatile boolean peerClosed;

    /**
     * Binds a doorbell end.
     *
     * @param waitFd the end this process reads to wait, or -1.
     * @param ringFd the end this process writes to wake the peer, or -1.
     */
    DoorbellSignal(final int waitFd, final int ringFd)
    {
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
        if (peerClosed || UnixSocket.poll(waitFd, Poll.POLLIN, UnixSocket.toMillis(timeoutNanos)) != 0 && !consume())
        {
            // The other end is closed: the doorbell would read as ready forever (see WakeSignal).
            throw new IpcPeerClosedException("doorbell closed by the peer: " + this);
        }
    }

    @Override
    public void wake()
    {
        if (ringFd < 0)
        {
            return;
        }
        try
        {
            UnixSocket.ring(ringFd);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.ERROR, "doorbell ring failed: " + ex.getMessage());
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
            if (!UnixSocket.drainRings(waitFd))
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
