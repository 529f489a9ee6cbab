package ipc.windows;

import ipc.api.IpcException;

/**
 * A {@link PortSelectable}'s tie to the multiplexer watching it: associates its handles once, and forwards hints for
 * operations that completed without queuing a packet (an error reported at once, {@code ERROR_PIPE_CONNECTED}).
 */
final class PortLink
{
    private WindowsMultiplexer associated;
    private volatile WindowsMultiplexer watching;

    /**
     * Associates a handle with the multiplexer's port unless this link did so already.
     *
     * @param multiplexer the multiplexer.
     * @param handle      the handle.
     * @return {@code true} if newly associated.
     * @throws IpcException if another multiplexer holds the handle, or the OS refuses.
     */
    synchronized boolean attach(final WindowsMultiplexer multiplexer, final long handle) throws IpcException
    {
        if (null != associated && associated != multiplexer)
        {
            throw new IpcException("a Windows handle belongs to one completion port for life: handle=" + handle +
                " port=" + associated + " requested=" + multiplexer);
        }
        final boolean fresh = null == associated;
        if (fresh)
        {
            multiplexer.associate(handle);
            associated = multiplexer;
        }
        watching = multiplexer;
        return fresh;
    }

    /**
     * Associates another handle of the same selectable (a new listener instance) with the port already in use.
     *
     * @param handle the handle.
     * @throws IpcException if the OS refuses.
     */
    synchronized void associateMore(final long handle) throws IpcException
    {
        if (null != associated)
        {
            associated.associate(handle);
        }
    }

    /**
     * Records that a handle of the selectable was associated with a port by another selectable (a listener
     * instance that became a control channel), so that the same port is not asked twice.
     *
     * @param multiplexer the multiplexer whose port holds the handle, or {@code null} if none does.
     */
    synchronized void inherit(final WindowsMultiplexer multiplexer)
    {
        associated = multiplexer;
    }

    /**
     * The multiplexer whose port holds this selectable's handles.
     *
     * @return the multiplexer, or {@code null} if none.
     */
    synchronized WindowsMultiplexer associated()
    {
        return associated;
    }

    void detach()
    {
        watching = null;
    }

    /**
     * Tells the watching multiplexer to look at an operation.
     *
     * @param overlapped the operation's address.
     */
    void hint(final long overlapped)
    {
        final WindowsMultiplexer multiplexer = watching;
        if (null != multiplexer)
        {
            multiplexer.hint(overlapped);
        }
    }
}
