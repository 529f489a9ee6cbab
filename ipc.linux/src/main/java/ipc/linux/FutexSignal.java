package ipc.linux;

import java.lang.System.Logger.Level;

import ipc.api.IpcException;
import ipc.linux.os.Futex;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;
import ipc.shared.wait.WaitProtocol;

/**
 * A futex on a wait word of the segment: the waiter sleeps only while the word still says
 * {@link WaitProtocol#WAITING}, which the kernel checks atomically with going to sleep. Shared (not private)
 * futex operations, since the peer process wakes it.
 *
 * <p>The client's signal for the server's outbound writer word also rings the server's doorbell on {@link #wake()}
 * (see {@link ipc.shared.spi.ConnectionResources#writerSignal}): a server thread blocked in a send sleeps on the
 * futex, while a dispatcher that stopped reading a client whose ring was full learns through its epoll that room
 * appeared.
 */
final class FutexSignal implements WakeSignal
{
    private static final System.Logger LOGGER = System.getLogger(FutexSignal.class.getName());

    private final long address;
    private final int doorbellFd;
    /** The word's value while its waiter sleeps on it. */
    private final int sleepingValue;

    FutexSignal(final long address)
    {
        this(address, -1);
    }

    /**
     * A futex signal for a word whose waiter announces {@code sleepingValue} (see
     * {@link WaitProtocol#WAITING_ON_WORD}).
     *
     * @param address       the wait word.
     * @param sleepingValue the value the futex waits on.
     * @return the signal.
     */
    static FutexSignal onWord(final long address, final int sleepingValue)
    {
        return new FutexSignal(address, -1, sleepingValue);
    }

    /**
     * A futex signal whose wake also rings a doorbell.
     *
     * @param address    the wait word.
     * @param doorbellFd the ringer end of the peer's doorbell, or -1 for none; owned by the connection.
     */
    FutexSignal(final long address, final int doorbellFd)
    {
        this(address, doorbellFd, WaitProtocol.WAITING);
    }

    private FutexSignal(final long address, final int doorbellFd, final int sleepingValue)
    {
        this.address = address;
        this.doorbellFd = doorbellFd;
        this.sleepingValue = sleepingValue;
    }

    @Override
    public void await(final long timeoutNanos) throws IpcException
    {
        Futex.futexWait(address, sleepingValue, Math.max(0, timeoutNanos));
    }

    @Override
    public void wake()
    {
        try
        {
            Futex.futexWake(address, Integer.MAX_VALUE);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.ERROR, "futex wake failed: " + ex.getMessage());
        }
        if (doorbellFd >= 0)
        {
            DoorbellRinger.ring(doorbellFd);
        }
    }

    @Override
    public long wordAddress()
    {
        return address;
    }

    @Override
    public Selectable selectable()
    {
        return null;
    }

    @Override
    public boolean drain()
    {
        return true;
    }
}
