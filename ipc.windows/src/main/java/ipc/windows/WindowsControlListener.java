package ipc.windows;

import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;

import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.windows.jna.Win32;
import ipc.windows.jna.WinBaseExt;
import ipc.windows.os.Events;
import ipc.windows.os.Handles;
import ipc.windows.os.NamedPipes;
import ipc.windows.os.OverlappedBuffer;
import ipc.windows.os.PipeNames;
import ipc.windows.os.SecurityDescriptors;
import ipc.windows.os.Timeouts;

/**
 * A server name on Windows: the named pipe {@code \\.\pipe\ipc-<user SID>-<name>}. The first instance is created
 * with {@code FILE_FLAG_FIRST_PIPE_INSTANCE}, so a name that exists (a live server, or a squatter) is refused with
 * {@link ipc.api.IpcAlreadyBoundException} and our clients never reach a pipe we did not create; the pipes vanish
 * with the server's last handle, so a crashed server leaves nothing to reclaim. Every instance has the explicit
 * DACL of {@link SecurityDescriptors#pipeSddl} and rejects remote clients.
 *
 * <p>One instance at a time waits for a client with an overlapped {@code ConnectNamedPipe}; {@link #accept()} hands
 * the connected instance to a {@link WindowsControlChannel} and starts waiting on a new one. Clients that find
 * every instance busy wait with {@code WaitNamedPipeW}. Thread-safe.
 */
final class WindowsControlListener implements ControlListener, PortSelectable
{
    private final String pipeName;
    private final String userSid;
    private final SecurityDescriptors.Attributes security;
    private final long event;
    private final OverlappedBuffer connect;
    private final PortLink link = new PortLink();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long instance;

    private WindowsControlListener(final String pipeName, final String userSid,
        final SecurityDescriptors.Attributes security, final long event, final long instance)
    {
        this.pipeName = pipeName;
        this.userSid = userSid;
        this.security = security;
        this.event = event;
        this.connect = new OverlappedBuffer(0, event);
        this.instance = instance;
    }

    /**
     * Creates the first instance of the server's pipe and starts waiting for a client.
     *
     * @throws ipc.api.IpcAlreadyBoundException if the name exists.
     */
    static WindowsControlListener bind(final String userSid, final String name) throws IpcException
    {
        final String pipeName = PipeNames.serverPipe(userSid, name);
        final SecurityDescriptors.Attributes security =
            SecurityDescriptors.fromSddl(SecurityDescriptors.pipeSddl(userSid));
        long event = Handles.NULL;
        long first = Handles.NULL;
        try
        {
            event = Events.createManualReset();
            first = NamedPipes.createInstance(pipeName, WinBase.PIPE_ACCESS_DUPLEX |
                WinBaseExt.FILE_FLAG_FIRST_PIPE_INSTANCE, WinBase.PIPE_UNLIMITED_INSTANCES, NamedPipes.CONTROL_BUFFER,
                NamedPipes.CONTROL_BUFFER, security);
            final WindowsControlListener listener = new WindowsControlListener(pipeName, userSid, security, event,
                first);
            listener.postConnect();
            return listener;
        }
        catch (final IpcException | RuntimeException ex)
        {
            Handles.closeQuietly(first);
            Handles.closeQuietly(event);
            security.close();
            throw ex;
        }
    }

    /** Starts waiting for a client on the current instance; true if one is connected (or failed) already. */
    private synchronized boolean postConnect()
    {
        Win32.Kernel32.ResetEvent(event);
        connect.begin();
        if (Win32.Kernel32.ConnectNamedPipe(instance, connect.overlapped()) != 0)
        {
            connect.complete(0, 0);
            return true;
        }
        final int error = Native.getLastError();
        if (error == WinError.ERROR_IO_PENDING)
        {
            return false;
        }
        // ERROR_PIPE_CONNECTED: a client came between CreateNamedPipe and now. No packet follows either way.
        connect.complete(0, error == WinError.ERROR_PIPE_CONNECTED ? 0 : error);
        return true;
    }

    private synchronized boolean connectDone()
    {
        if (connect.kernelDone())
        {
            connect.complete(0, overlappedError());
        }
        return connect.state() == OverlappedBuffer.State.DONE;
    }

    private int overlappedError()
    {
        try (Memory count = new Memory(4))
        {
            if (Win32.Kernel32.GetOverlappedResult(instance, connect.overlapped(), Pointer.nativeValue(count), 0) != 0)
            {
                return 0;
            }
            final int error = Native.getLastError();
            return error == WinError.ERROR_PIPE_CONNECTED ? 0 : error;
        }
    }

    @Override
    public ControlChannel accept() throws IpcException
    {
        while (true)
        {
            final long connected;
            final int error;
            final boolean hint;
            synchronized (this)
            {
                if (closed.get() || !connectDone())
                {
                    return null;
                }
                // The next instance first: if it cannot be made, the connected one stays for the next accept.
                final long next = NamedPipes.createInstance(pipeName, WinBase.PIPE_ACCESS_DUPLEX,
                    WinBase.PIPE_UNLIMITED_INSTANCES, NamedPipes.CONTROL_BUFFER, NamedPipes.CONTROL_BUFFER, security);
                try
                {
                    link.associateMore(next);
                }
                catch (final IpcException ex)
                {
                    Handles.closeQuietly(next);
                    throw ex;
                }
                connected = instance;
                error = connect.error();
                connect.reset();
                instance = next;
                hint = postConnect();
            }
            if (hint)
            {
                link.hint(connect.overlapped());
            }
            if (error != 0)
            {
                // ERROR_NO_DATA: the client connected and left before we looked.
                Handles.closeQuietly(connected);
                continue;
            }
            try
            {
                return WindowsControlChannel.accepted(connected, userSid, link.associated());
            }
            catch (final IpcPeerClosedException ex)
            {
                // Gone before it could be identified: nothing to serve.
                continue;
            }
        }
    }

    @Override
    public boolean awaitPending(final long timeoutNanos) throws IpcException
    {
        if (connectDone())
        {
            return true;
        }
        Events.await(event, Timeouts.toMillis(timeoutNanos));
        return connectDone();
    }

    @Override
    public String address()
    {
        return pipeName;
    }

    @Override
    public long selectHandle()
    {
        return instance;
    }

    @Override
    public void attach(final WindowsMultiplexer multiplexer) throws IpcException
    {
        final boolean hint;
        synchronized (this)
        {
            if (!link.attach(multiplexer, instance))
            {
                hint = connectDone();
            }
            else
            {
                // Re-issue a wait that started before the association, so that its completion is queued to the port.
                if (connect.state() == OverlappedBuffer.State.PENDING)
                {
                    Win32.Kernel32.CancelIoEx(instance, connect.overlapped());
                    NamedPipes.awaitKernel(event, connect);
                    connectDone();
                    if (connect.state() == OverlappedBuffer.State.DONE &&
                        connect.error() == WinError.ERROR_OPERATION_ABORTED)
                    {
                        connect.reset();
                    }
                }
                hint = connect.state() == OverlappedBuffer.State.IDLE ? postConnect() : connectDone();
            }
        }
        if (hint)
        {
            link.hint(connect.overlapped());
        }
    }

    @Override
    public void detach()
    {
        link.detach();
    }

    @Override
    public long overlapped()
    {
        return connect.overlapped();
    }

    @Override
    public boolean isReady()
    {
        return connectDone();
    }

    @Override
    public boolean isHungUp()
    {
        return false;
    }

    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            link.detach();
            synchronized (this)
            {
                if (connect.state() == OverlappedBuffer.State.PENDING)
                {
                    Win32.Kernel32.CancelIoEx(instance, connect.overlapped());
                    NamedPipes.awaitKernel(event, connect);
                    connectDone();
                }
                connect.release();
                Handles.closeQuietly(instance);
                if (connect.state() != OverlappedBuffer.State.PENDING)
                {
                    Handles.closeQuietly(event);
                }
                security.close();
            }
        }
    }

    @Override
    public String toString()
    {
        return "named-pipe-listener{pipe=" + pipeName + "}";
    }
}
