package ipc.windows;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.api.IpcPlatform;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;
import ipc.api.IpcUnsupportedPlatformException;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;
import ipc.windows.os.Handles;
import ipc.windows.os.NamedPipes;
import ipc.windows.os.PipeNames;
import ipc.windows.os.ProcessTokens;
import ipc.windows.os.WindowsErrors;

/**
 * The Windows primitives behind the shared transport (DESIGN.md section 1, Windows column). Native code is loaded
 * on first use, not when the class is loaded; 64-bit Windows only.
 *
 * <h2>Identity</h2>
 * Windows users are SIDs, not numbers: {@link #uid()} is {@link IpcPeer#UNKNOWN}, peers report an unknown uid, and
 * the backend itself admits only processes of the server's own user SID (checked on both ends from the process
 * token, besides the pipe's DACL). {@link IpcOptions#allowedPeerUids()} has no Windows meaning and is refused.
 */
final class WindowsPlatform implements Platform
{
    private volatile String userSid;
    private volatile long pid = -1;

    @Override
    public IpcPlatform platform()
    {
        return IpcPlatform.WINDOWS;
    }

    @Override
    public long pid()
    {
        if (pid < 0)
        {
            pid = ProcessHandle.current().pid();
        }
        return pid;
    }

    @Override
    public long uid()
    {
        return IpcPeer.UNKNOWN;
    }

    /** This process's user SID, read once. */
    String userSid() throws IpcException
    {
        String sid = userSid;
        if (null == sid)
        {
            checkSupported();
            sid = ProcessTokens.currentUserSid();
            userSid = sid;
        }
        return sid;
    }

    static void checkSupported() throws IpcException
    {
        if (!com.sun.jna.Platform.isWindows() || Native.POINTER_SIZE != 8)
        {
            throw new IpcUnsupportedPlatformException("the Windows backend needs 64-bit Windows: os.name=" +
                System.getProperty("os.name") + " os.arch=" + System.getProperty("os.arch"));
        }
    }

    @Override
    public ControlListener listen(final String name, final IpcOptions options) throws IpcException
    {
        if (!options.allowedPeerUids().isEmpty())
        {
            throw new IpcUnsupportedPlatformException("allowedPeerUids is not supported on Windows (users are SIDs; " +
                "only the server's own user may connect): allowedPeerUids=" + options.allowedPeerUids());
        }
        return WindowsControlListener.bind(userSid(), name);
    }

    @Override
    public ControlChannel connect(final String name, final long timeoutNanos) throws IpcException
    {
        final String sid = userSid();
        final String pipeName = PipeNames.serverPipe(sid, name);
        final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        while (true)
        {
            final long pipe = NamedPipes.openClient(pipeName, WinNT.GENERIC_READ | WinNT.GENERIC_WRITE, true);
            if (pipe != Handles.INVALID)
            {
                return WindowsControlChannel.connected(pipe, sid, name);
            }
            final int error = Native.getLastError();
            if (error != WinError.ERROR_PIPE_BUSY)
            {
                // Names are per user (the pipe name holds the user's SID): a server of another user, or a service,
                // is not found here, by design.
                throw WindowsErrors.exception(WindowsErrors.OPEN_PIPE, error, "server=" + name + " pipe=" +
                    pipeName + (error == WinError.ERROR_FILE_NOT_FOUND ? " (no server of this user has that name)" :
                    ""));
            }
            // Every instance is taken: the server makes a new one as soon as it accepts.
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                throw new IpcTimeoutException("server busy, no pipe instance free: server=" + name + " pipe=" +
                    pipeName);
            }
            NamedPipes.waitForInstance(pipeName, (int)Math.min(50, Math.max(1, remaining / 1_000_000)));
        }
    }

    @Override
    public ConnectionResources createConnection(final SegmentLayout layout)
        throws IpcException
    {
        return WindowsConnection.create(layout, userSid());
    }

    @Override
    public ConnectionResources attachConnection(final SegmentLayout layout, final ReceivedHandles handles)
        throws IpcException
    {
        if (handles.count() != WindowsConnection.HANDLE_COUNT)
        {
            throw new IpcProtocolException("expected " + WindowsConnection.HANDLE_COUNT + " handles: received=" +
                handles.count());
        }
        return WindowsConnection.attach(layout, handles.takeAll());
    }

    @Override
    public Multiplexer newMultiplexer() throws IpcException
    {
        checkSupported();
        return new WindowsMultiplexer();
    }

    @Override
    public int handlesPerConnection()
    {
        return WindowsConnection.HANDLE_COUNT;
    }

    @Override
    public void closeHandle(final long handle)
    {
        Handles.closeQuietly(handle);
    }
}
