package ipc.linux;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.linux.os.Doorbell;
import ipc.linux.os.FileStatus;
import ipc.linux.os.Posix;
import ipc.linux.os.SharedMemory;
import ipc.shared.ring.Direction;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.WakeSignal;
import ipc.shared.wait.WaitProtocol;

/**
 * One connection's Linux resources: a size-sealed memfd segment mapped shared, a socketpair doorbell for the
 * server's inbound ring (so its dispatcher can watch thousands of connections with epoll), and futexes on the three
 * other wait words.
 *
 * <p>Descriptors: the server creates the memfd and both ends of the doorbell, and sends the memfd and the doorbell's
 * ringer end with the WELCOME; once sent ({@link #handlesSent()}) it keeps only the mapping and the doorbell's reader
 * end, its own file description, so that the client's close of its end reads as end of stream. The client keeps the
 * mapping and the ringer end.
 */
final class LinuxConnection implements ConnectionResources
{
    private final ByteBuffer segment;
    /** Server: the doorbell's reader end; client: its ringer end. */
    private final int doorbellFd;
    /** Server: the memfd until sent; client: -1. */
    private int memFd;
    /** Server: the doorbell's ringer end until sent; client: -1. */
    private int peerDoorbellFd;
    private final DoorbellSignal serverDoorbell;
    private final WakeSignal[] readerSignals = new WakeSignal[2];
    private final WakeSignal[] writerSignals = new WakeSignal[2];
    /** The futex on the server's inbound reader word: accept mode sleeps on it, the client wakes it. */
    private final WakeSignal serverInboundWord;
    private final boolean sizeSealed;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LinuxConnection(final SegmentLayout layout, final ByteBuffer segment, final int memFd,
        final int doorbellFd, final int peerDoorbellFd, final boolean serverSide, final boolean sizeSealed)
    {
        this.segment = segment;
        this.sizeSealed = sizeSealed;
        this.memFd = memFd;
        this.doorbellFd = doorbellFd;
        this.peerDoorbellFd = peerDoorbellFd;
        final long base = SharedMemory.address(segment);
        serverDoorbell = serverSide ? new DoorbellSignal(doorbellFd) : null;
        readerSignals[Direction.CLIENT_TO_SERVER.ordinal()] =
            serverSide ? serverDoorbell : new DoorbellRinger(doorbellFd);
        readerSignals[Direction.SERVER_TO_CLIENT.ordinal()] =
            new FutexSignal(base + layout.readerWaitOffset(Direction.SERVER_TO_CLIENT));
        serverInboundWord = FutexSignal.onWord(base + layout.readerWaitOffset(Direction.CLIENT_TO_SERVER),
            WaitProtocol.WAITING_ON_WORD);
        writerSignals[Direction.CLIENT_TO_SERVER.ordinal()] =
            new FutexSignal(base + layout.writerWaitOffset(Direction.CLIENT_TO_SERVER));
        // The client's wake of the server's outbound writer also rings the server's doorbell (back-pressure).
        writerSignals[Direction.SERVER_TO_CLIENT.ordinal()] =
            new FutexSignal(base + layout.writerWaitOffset(Direction.SERVER_TO_CLIENT), serverSide ? -1 : doorbellFd);
    }

    /**
     * Server side: a new memfd of the segment's length, size-sealed before anybody else can hold it (see
     * {@link SharedMemory#create}), mapped, and a new doorbell.
     */
    static LinuxConnection create(final SegmentLayout layout) throws IpcException
    {
        final long segmentLength = layout.segmentLength();
        final int memFd = SharedMemory.create("ipc-segment", segmentLength);
        int[] doorbell = null;
        ByteBuffer segment = null;
        try
        {
            segment = SharedMemory.map(memFd, segmentLength);
            doorbell = Doorbell.create();
            return new LinuxConnection(layout, segment, memFd, doorbell[Doorbell.READER], doorbell[Doorbell.RINGER],
                true, SharedMemory.sizeSealed(memFd));
        }
        catch (final IpcException | RuntimeException ex)
        {
            if (null != doorbell)
            {
                Posix.closeQuietly(doorbell[Doorbell.READER]);
                Posix.closeQuietly(doorbell[Doorbell.RINGER]);
            }
            unmapQuietly(segment);
            Posix.closeQuietly(memFd);
            throw ex;
        }
    }

    /**
     * Client side: maps the received memfd after checking that it is a regular file of the announced size (a short
     * file would SIGBUS on access) and reading its seals (see {@link #sizeSealed()}), and keeps the received
     * doorbell end after checking that it is a socket. Takes ownership of both descriptors.
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
            final FileStatus doorbell = Posix.fstat(doorbellFd);
            if (!doorbell.isSocket())
            {
                // The client only ever sends on it (MSG_DONTWAIT): anything but a socket is a broken or hostile server.
                throw new IpcProtocolException("doorbell is not a socket: mode=0" +
                    Integer.toOctalString(doorbell.mode()));
            }
            final boolean sealed = SharedMemory.sizeSealed(memFd);
            // Pre-faulted: the server touched every page, so mapping them all now costs ~25 us once instead of a page
            // fault (~2 us each on these VMs) at the first use of each page on the hot path.
            segment = SharedMemory.map(memFd, segmentLength, true);
            final LinuxConnection connection =
                new LinuxConnection(layout, segment, -1, doorbellFd, -1, false, sealed);
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
        return new long[] {memFd, peerDoorbellFd};
    }

    /** The memfd and the doorbell's ringer end are the client's now: the server closes its copies. */
    @Override
    public void handlesSent()
    {
        Posix.closeQuietly(memFd);
        memFd = -1;
        Posix.closeQuietly(peerDoorbellFd);
        peerDoorbellFd = -1;
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
     * The server's inbound word is also a futex: a thread reading one accepted channel sleeps on it (no doorbell to
     * drain), while the dispatcher of event-driven servers watches the doorbell. The client's reader word is a
     * futex already.
     */
    @Override
    public WakeSignal readerWordSignal(final Direction direction)
    {
        return direction == Direction.CLIENT_TO_SERVER ? serverInboundWord : null;
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
            if (null != serverDoorbell)
            {
                serverDoorbell.close();
            }
            Posix.closeQuietly(doorbellFd);
            Posix.closeQuietly(peerDoorbellFd);
            Posix.closeQuietly(memFd);
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
