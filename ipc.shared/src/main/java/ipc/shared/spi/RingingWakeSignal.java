package ipc.shared.spi;

import ipc.api.IpcException;

/**
 * A wake signal that also rings a doorbell when it wakes: the client's signal for the server's outbound writer
 * word, which must reach a server dispatcher that watches only the doorbell (see
 * {@link ConnectionResources#writerSignal}). Waiting, selecting and draining are the wrapped signal's.
 */
public final class RingingWakeSignal implements WakeSignal
{
    private final WakeSignal signal;
    private final WakeSignal doorbell;

    /**
     * Wraps a signal.
     *
     * @param signal   the signal of the wait word itself.
     * @param doorbell rung after every wake of {@code signal}.
     */
    public RingingWakeSignal(final WakeSignal signal, final WakeSignal doorbell)
    {
        this.signal = signal;
        this.doorbell = doorbell;
    }

    @Override
    public void await(final long timeoutNanos) throws IpcException
    {
        signal.await(timeoutNanos);
    }

    @Override
    public void wake()
    {
        signal.wake();
        doorbell.wake();
    }

    @Override
    public Selectable selectable()
    {
        return signal.selectable();
    }

    @Override
    public boolean drain()
    {
        return signal.drain();
    }
}
