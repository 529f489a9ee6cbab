package ipc.windows;

import ipc.api.IpcException;
import ipc.shared.spi.Selectable;

/**
 * What {@link WindowsMultiplexer} can watch: an object with one overlapped operation kept pending on a handle of
 * its own (a pipe read, or the listener's {@code ConnectNamedPipe}). The operation's {@code OVERLAPPED} address is
 * fixed for the object's life and identifies its completion packets; readiness is the operation's state (complete
 * and not yet consumed), never the mere arrival of a packet, so stale or duplicate packets do no harm.
 */
interface PortSelectable extends Selectable
{
    /**
     * Associates the handle(s) with the multiplexer's port, re-issues a pending operation so that its completion is
     * queued there, and hints the multiplexer if it is complete already. A handle belongs to one port for life: a
     * second multiplexer is refused.
     *
     * @param multiplexer the multiplexer.
     * @throws IpcException if the association fails.
     */
    void attach(WindowsMultiplexer multiplexer) throws IpcException;

    /** Stops hinting the multiplexer (it may close). */
    void detach();

    /**
     * The fixed address of the operation's {@code OVERLAPPED}.
     *
     * @return the address.
     */
    long overlapped();

    /**
     * Whether the operation completed and its result is not consumed yet.
     *
     * @return {@code true} if ready.
     */
    boolean isReady();

    /**
     * Whether the completed operation reports that the other end is gone.
     *
     * @return {@code true} on a broken pipe.
     */
    boolean isHungUp();
}
