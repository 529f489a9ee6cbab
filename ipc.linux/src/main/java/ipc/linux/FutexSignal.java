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
 */
final class FutexSignal implements WakeSignal
{
    private static final System.Logger LOGGER = System.getLogger(FutexSignal.class.getName());

    private final long address;

    FutexSignal(final long address)
    {
        this.address = address;
    }

    @Override
    public void await(final long timeoutNanos) throws IpcException
    {
        Futex.futexWait(address, WaitProtocol.WAITING, Math.max(0, timeoutNanos));
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
