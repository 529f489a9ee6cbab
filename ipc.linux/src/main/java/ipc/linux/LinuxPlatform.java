package ipc.linux;

import java.nio.file.Path;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.api.IpcProtocolException;
import ipc.linux.os.GlobalMembarrier;
import ipc.linux.os.Posix;
import ipc.linux.os.SharedMemory;
import ipc.linux.os.UnixSocket;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;
import ipc.shared.wait.ProcessBarrier;

/**
 * The Linux primitives behind the shared transport (DESIGN.md section 1, Linux column). Native code is loaded on
 * first use, not when the class is loaded.
 */
final class LinuxPlatform implements Platform
{
    /** A WELCOME carries the segment's memfd and the ringer end of the server's inbound doorbell. */
    static final int HANDLES_PER_CONNECTION = 2;

    /** Whether segments can be size-sealed; {@code null}: ask the kernel at the first {@link #listen}. */
    private final Boolean sealableSegments;
    private volatile long uid = -1;
    private volatile long pid = -1;

    /** The platform of this kernel. */
    LinuxPlatform()
    {
        this(null);
    }

    /**
     * A platform told whether segments can be sealed, for tests of the {@code shm_open} fallback.
     *
     * @param sealableSegments {@code null} to ask the kernel ({@link SharedMemory#sealableSegments()}).
     */
    LinuxPlatform(final Boolean sealableSegments)
    {
        this.sealableSegments = sealableSegments;
    }

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

    /**
     * Binds the name. A server that lets other users connect ({@link IpcOptions#allowedPeerUids()}) needs
     * size-sealed segments: on a kernel without {@code memfd_create} (the unsealable {@code shm_open} fallback) a
     * client of another user could shrink its segment and make the server fault, so such a server is refused.
     */
    @Override
    public ControlListener listen(final String name, final IpcOptions options) throws IpcException
    {
        final boolean sealable = null != sealableSegments ? sealableSegments : SharedMemory.sealableSegments();
        if (!options.allowedPeerUids().isEmpty() && !sealable)
        {
            throw new IpcException("cannot serve other users without sealed segments: this kernel lacks " +
                "memfd_create, and a client could shrink an unsealed shm_open segment under the server: name=" +
                name + " allowedPeerUids=" + options.allowedPeerUids());
        }
        final Path directory = SocketDirectory.resolve(uid());
        return LinuxControlListener.bind(directory, name, !options.allowedPeerUids().isEmpty());
    }

    @Override
    public ControlChannel connect(final String name, final long timeoutNanos) throws IpcException
    {
        final Path directory = SocketDirectory.resolve(uid());
        final String path = LinuxControlListener.socketPath(directory, name).toString();
        return LinuxSocketCalls.channel(UnixSocket.connect(path, timeoutNanos));
    }

    @Override
    public ConnectionResources createConnection(final SegmentLayout layout)
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
    public ProcessBarrier processBarrier()
    {
        return GlobalMembarrier.instance();
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
