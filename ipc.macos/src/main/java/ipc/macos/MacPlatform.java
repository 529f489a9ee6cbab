package ipc.macos;

import java.nio.file.Path;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.macos.os.Posix;
import ipc.macos.os.UnixSocket;
import ipc.macos.os.WaitMechanism;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;

/**
 * The macOS primitives behind the shared transport (DESIGN.md section 1, macOS column). Native code is loaded on
 * first use, not when the class is loaded or instantiated.
 */
final class MacPlatform implements Platform
{
    private volatile long uid = -1;
    private volatile long pid = -1;

    @Override
    public IpcPlatform platform()
    {
        return IpcPlatform.MACOS;
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
        if (uid < 0)
        {
            uid = Integer.toUnsignedLong(Posix.getuid());
        }
        return uid;
    }

    @Override
    public ControlListener listen(final String name, final IpcOptions options) throws IpcException
    {
        final Path directory = SocketDirectory.resolve(uid());
        return MacControlListener.bind(directory, name, !options.allowedPeerUids().isEmpty());
    }

    @Override
    public ControlChannel connect(final String name, final long timeoutNanos) throws IpcException
    {
        final Path directory = SocketDirectory.resolve(uid());
        final String path = SocketDirectory.socketPath(directory, name).toString();
        return MacSocketCalls.channel(UnixSocket.connect(path, timeoutNanos));
    }

    @Override
    public ConnectionResources createConnection(final SegmentLayout layout)
        throws IpcException
    {
        return MacConnection.create(layout, WaitMechanism.current());
    }

    @Override
    public ConnectionResources attachConnection(final SegmentLayout layout, final ReceivedHandles handles)
        throws IpcException
    {
        return MacConnection.attach(layout, WaitMechanism.current(), handles.takeAll());
    }

    @Override
    public Multiplexer newMultiplexer() throws IpcException
    {
        return new MacMultiplexer();
    }

    @Override
    public int handlesPerConnection()
    {
        return MacConnection.handleCount(WaitMechanism.current());
    }

    @Override
    public void closeHandle(final long handle)
    {
        Posix.closeQuietly((int)handle);
    }
}
