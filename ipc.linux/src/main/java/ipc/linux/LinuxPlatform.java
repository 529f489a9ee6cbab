package ipc.linux;

import java.nio.file.Path;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.api.IpcProtocolException;
import ipc.linux.os.Posix;
import ipc.linux.os.UnixSocket;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;

/**
 * The Linux primitives behind the shared transport (DESIGN.md section 1, Linux column). Native code is loaded on
 * first use, not when the class is loaded.
 */
final class LinuxPlatform implements Platform
{
    /** A WELCOME carries the segment's memfd and the server's inbound eventfd doorbell. */
    static final int HANDLES_PER_CONNECTION = 2;

    private volatile long uid = -1;

    private volatile long pid = -1;

    @Override
    public IpcPlatform platform()
    {
        return IpcPlatform.LINUX;
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
        return LinuxControlListener.bind(directory, name, !options.allowedPeerUids().isEmpty());
    }

    @Override
    public ControlChannel connect(final String name, final long timeoutNanos) throws IpcException
    {
        final Path directory = SocketDirectory.resolve(uid());
        final String path = LinuxControlListener.socketPath(directory, name).toString();
        return new LinuxControlChannel(UnixSocket.connect(path, timeoutNanos));
    }

    @Override
    public ConnectionResources createConnection(final SegmentLayout layout, final ControlChannel client)
        throws IpcException
    {
        return LinuxConnection.create(layout);
    }

    @Override
    public ConnectionResources attachConnection(final SegmentLayout layout, final ReceivedHandles handles)
        throws IpcException
    {
        if (handles.count() != HANDLES_PER_CONNECTION)
        {
            throw new IpcProtocolException("expected " + HANDLES_PER_CONNECTION + " descriptors: received=" +
                handles.count());
        }
        final long[] fds = handles.takeAll();
        return LinuxConnection.attach(layout, (int)fds[0], (int)fds[1]);
    }

    @Override
    public Multiplexer newMultiplexer() throws IpcException
    {
        return new LinuxMultiplexer();
    }

    @Override
    public int handlesPerConnection()
    {
        return HANDLES_PER_CONNECTION;
    }

    @Override
    public void closeHandle(final long handle)
    {
        Posix.closeQuietly((int)handle);
    }

}
