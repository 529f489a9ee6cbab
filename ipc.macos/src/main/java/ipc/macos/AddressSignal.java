package ipc.macos;

import java.lang.System.Logger.Level;

import ipc.api.IpcException;
import ipc.macos.os.AddressWait;
import ipc.macos.os.WaitMechanism;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;
import ipc.shared.wait.WaitProtocol;

/**
 * A wait on a wait word of the segment itself ({@code os_sync_wait_on_address} or {@code __ulock_wait2}, shared):
 * the waiter sleeps only while the word still says {@link WaitProtocol#WAITING}, which the kernel checks atomically
 * with going to sleep. The macOS counterpart of Linux's futex signal.
 */
final class AddressSignal implements WakeSignal
{
    private static final System.Logger LOGGER = System.getLogger(AddressSignal.class.getName());

    private final WaitMechanism mechanism;
    private final long address;

    AddressSignal(final WaitMechanism mechanism, final long address)
    {
        this.mechanism = mechanism;
        this.address = address;
    }

    @Override
    public void await(final long timeoutNanos) throws IpcException
    {
        // A zero timeout means "no limit" to __ulock_wait2 and EINVAL to os_sync: return at once instead.
        if (timeoutNanos > 0)
        {
            AddressWait.await(mechanism, address, WaitProtocol.WAITING, timeoutNanos);
        }
    }

    @Override
    public void wake()
    {
        try
        {
            AddressWait.wake(mechanism, address);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.ERROR, "address wake failed: " + ex.getMessage());
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
