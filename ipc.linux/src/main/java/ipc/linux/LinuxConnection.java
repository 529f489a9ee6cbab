package ipc.linux;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.linux.os.EventFd;
import ipc.linux.os.FileStatus;
import ipc.linux.os.Posix;
import ipc.linux.os.SharedMemory;
import ipc.shared.ring.Direction;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.WakeSignal;

/**
 * One connection's Linux resources: a memfd segment mapped shared, an eventfd doorbell for the server's inbound
 * ring (so its dispatcher can watch thousands of connections with epoll), and futexes on the three other wait
 * words.
 */
final class LinuxConnection implements ConnectionResources
{
    private final ByteBuffer segment;
    private final int doorbellFd;
    private int memFd;
    private final WakeSignal[] readerSignals = new WakeSignal[2];
    private final WakeSignal[] writerSignals = new WakeSignal[2];
    private final boolean sizeSealed;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LinuxConnection(final SegmentLayout layout, final ByteBuffer segment, final int memFd,
        final int doorbellFd, final boolean sizeSealed)
    {
        this.segment = segment;
        this.sizeSealed = sizeSealed;
        this.memFd = memFd;
        this.doorbellFd = doorbellFd;
        final long base = SharedMemory.address(segment);
        readerSignals[Direction.CLIENT_TO_SERVER.ordinal()] = new EventFdSignal(doorbellFd);
        readerSignals[Direction.SERVER_TO_CLIENT.ordinal()] =
            new FutexSignal(base + layout.readerWaitOffset(Direction.SERVER_TO_CLIENT));
        writerSignals[Direction.CLIENT_TO_SERVER.ordinal()] =
            new FutexSignal(base + layout.writerWaitOffset(Direction.CLIENT_TO_SERVER));
        writerSignals[Direction.SERVER_TO_CLIENT.ordinal()] =
            new FutexSignal(base + layout.writerWaitOffset(Direction.SERVER_TO_CLIENT));
    }

    /**
     * Server side: a new memfd of the segment's length, size-sealed before anybody else can hold it (see
     * {@link SharedMemory#create}), mapped, and a new eventfd.
     */
    static LinuxConnection create(final SegmentLayout layout) throws IpcException
    {
        final long segmentLength = layout.segmentLength();
        final int memFd = SharedMemory.create("ipc-segment", segmentLength);
        int doorbell = -1;
        ByteBuffer segment = null;
        try
        {
            segment = SharedMemory.map(memFd, segmentLength);
            doorbell = EventFd.create();
            return new LinuxConnection(layout, segment, memFd, doorbell, SharedMemory.sizeSealed(memFd));
        }
        catch (final IpcException | RuntimeException ex)
        {
            Posix.closeQuietly(doorbell);
            unmapQuietly(segment);
            Posix.closeQuietly(memFd);
            throw ex;
        }
    }

    /**
     * Client side: maps the received memfd after checking that it is a regular file of the announced size (a short
     * file would SIGBUS on access) and reading its seals (see {@link #sizeSealed()}), and keeps the received
     * doorbell. Takes ownership of both descriptors.
     */
    static LinuxConnection attach(final SegmentLayout layout, final int memFd, final int doorbellFd)
        throws IpcException
    {
        final long segmentLength = layout.segmentLength();
        ByteBuffer segment = null;
        try
        {
            final FileStatus status = Posix.fstat(memFd);
            if (!status.isRegularFile())
            {
                // A socket, pipe or device would map as something else than memory, or not at all.
                throw new IpcProtocolException("segment is not a regular file: mode=0" +
                    Integer.toOctalString(status.mode()));
            }
            if (status.size() != segmentLength || segmentLength > Integer.MAX_VALUE)
            {
                throw new IpcProtocolException("segment size does not match WELCOME: fileSize=" + status.size() +
                    " segmentLength=" + segmentLength);
            }
            final boolean sealed = SharedMemory.sizeSealed(memFd);
            segment = SharedMemory.map(memFd, segmentLength);
            final LinuxConnection connection = new LinuxConnection(layout, segment, -1, doorbellFd, sealed);
            Posix.closeQuietly(memFd);
            return connection;
        }
        catch (final IpcException | RuntimeException ex)
        {
            unmapQuietly(segment);
            Posix.closeQuietly(memFd);
            Posix.closeQuietly(doorbellFd);
            throw ex;
        }
    }

    @Override
    public ByteBuffer segment()
    {
        return segment;
    }

    @Override
    public long[] handlesForPeer()
    {
        return new long[] {memFd, doorbellFd};
    }

    @Override
    public void handlesSent()
    {
        Posix.closeQuietly(memFd);
        memFd = -1;
    }

    @Override
    public WakeSignal readerSignal(final Direction direction)
    {
        return readerSignals[direction.ordinal()];
    }

    @Override
    public WakeSignal writerSignal(final Direction direction)
    {
        return writerSignals[direction.ordinal()];
    }

    /**
     * Whether the segment's size is sealed ({@code F_SEAL_SHRINK} and {@code F_SEAL_GROW}, checked on the received
     * descriptor before it was mapped). {@code false} for a memfd without both seals and for a POSIX shared memory
     * object (the fallback of kernels without {@code memfd_create}), which any holder could still shrink.
     *
     * @return {@code true} if nobody can change the segment's size any more.
     */
    @Override
    public boolean sizeSealed()
    {
        return sizeSealed;
    }

    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            unmapQuietly(segment);
            Posix.closeQuietly(doorbellFd);
            if (memFd >= 0)
            {
                Posix.closeQuietly(memFd);
            }
        }
    }

    private static void unmapQuietly(final ByteBuffer segment)
    {
        if (null != segment)
        {
            try
            {
                SharedMemory.unmap(segment);
            }
            catch (final IpcException ignore)
            {
                // munmap fails only for a bad address, which would be our bug; nothing else to free.
            }
        }
    }
}
