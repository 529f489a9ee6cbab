package ipc.macos;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.macos.os.FileStatus;
import ipc.macos.os.Posix;
import ipc.macos.os.SharedMemory;
import ipc.macos.os.UnixSocket;
import ipc.macos.os.WaitMechanism;
import ipc.shared.ring.Direction;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.ring.SegmentPages;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.RingingWakeSignal;
import ipc.shared.spi.WakeSignal;

/**
 * One connection's macOS resources: a POSIX shared memory segment (unlinked at creation, mapped shared by both
 * sides), an inbound doorbell socket pair for the server's dispatcher (its kqueue watches the server's end, the
 * client rings the other), and the three other wait words:
 * <ul>
 *   <li>with {@link WaitMechanism#OS_SYNC} or {@link WaitMechanism#ULOCK}: waits on the words themselves; the
 *       client receives 2 descriptors (segment, doorbell end);</li>
 *   <li>with {@link WaitMechanism#SOCKETPAIR}: the inbound pair also carries the server's rings of the client's
 *       reader (its other direction), and a second pair carries the rings of both writers; 3 descriptors.</li>
 * </ul>
 * The segment's pages are touched when the shared transport zeroes it ({@code SegmentHeader.initialize}); the client
 * pre-faults its own mapping ({@link SegmentPages#prefault}). Every
 * doorbell end this side reads can be woken locally (a local close), through a private pair it closes with the rest.
 */
final class MacConnection implements ConnectionResources
{
    private static final int SEGMENT = 0;
    private static final int READER_PAIR = 1;
    private static final int WRITER_PAIR = 2;

    private final ByteBuffer segment;
    /** Descriptors this side keeps until close: server ends, or the client's received ends. */
    private final int[] ownFds;
    /** Server side, until {@link #handlesSent()}: the segment and the client's ends. */
    private final int[] peerFds;
    private final WakeSignal[] readerSignals = new WakeSignal[2];
    private final WakeSignal[] writerSignals = new WakeSignal[2];
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean handlesSent;

    private MacConnection(final ByteBuffer segment, final int[] ownFds, final int[] peerFds)
    {
        this.segment = segment;
        this.ownFds = ownFds;
        this.peerFds = peerFds;
    }

    /**
     * How many descriptors a WELCOME carries with a mechanism.
     *
     * @param mechanism the wait mechanism.
     * @return 2 for address waits, 3 for socket pairs.
     */
    static int handleCount(final WaitMechanism mechanism)
    {
        return mechanism.waitsOnAddress() ? 2 : 3;
    }

    /** Server side: a new segment, mapped, and the doorbell pair(s). */
    static MacConnection create(final SegmentLayout layout, final WaitMechanism mechanism) throws IpcException
    {
        final long segmentLength = layout.segmentLength();
        final int count = handleCount(mechanism);
        final int[] own = {-1, -1, -1};
        final int[] peer = {-1, -1, -1};
        ByteBuffer mapping = null;
        try
        {
            peer[SEGMENT] = SharedMemory.create(segmentLength);
            mapping = SharedMemory.map(peer[SEGMENT], segmentLength);
            for (int pair = READER_PAIR; pair < count; pair++)
            {
                final int[] ends = UnixSocket.socketPair();
                own[pair] = ends[0];
                peer[pair] = ends[1];
            }
            final MacConnection connection = new MacConnection(mapping, own, peer);
            connection.bindServerSignals(layout, mechanism);
            return connection;
        }
        catch (final IpcException | RuntimeException ex)
        {
            unmapQuietly(mapping);
            closeAll(own);
            closeAll(peer);
            throw ex;
        }
    }

    /**
     * Client side: checks every received descriptor's type (and the segment's size: a short object would raise
     * {@code SIGBUS} on access) before use, maps the segment and keeps the doorbell ends. Takes ownership of the
     * descriptors.
     */
    static MacConnection attach(final SegmentLayout layout, final WaitMechanism mechanism, final long[] handles)
        throws IpcException
    {
        final int[] own = {-1, -1, -1};
        for (int i = 0; i < handles.length; i++)
        {
            if (i < own.length)
            {
                own[i] = (int)handles[i];
            }
            else
            {
                Posix.closeQuietly((int)handles[i]);
            }
        }
        ByteBuffer mapping = null;
        try
        {
            if (handles.length != handleCount(mechanism))
            {
                throw new IpcProtocolException("expected " + handleCount(mechanism) + " descriptors: received=" +
                    handles.length + " waitMechanism=" + mechanism.propertyValue());
            }
            final long segmentLength = layout.segmentLength();
            if (segmentLength > Integer.MAX_VALUE)
            {
                throw new IpcProtocolException("segment too large: segmentLength=" + segmentLength);
            }
            final String problem = SharedMemory.checkReceived(own[SEGMENT], segmentLength);
            if (null != problem)
            {
                throw new IpcProtocolException(problem);
            }
            for (int pair = READER_PAIR; pair < handles.length; pair++)
            {
                final FileStatus status = Posix.fstat(own[pair]);
                if (!status.isSocket())
                {
                    throw new IpcProtocolException("doorbell descriptor is not a socket: fd=" + own[pair] + " type=0" +
                        Integer.toOctalString(status.type()));
                }
                // Our own protection, whatever the server set on the socket.
                UnixSocket.setNoSigPipe(own[pair]);
            }
            mapping = SharedMemory.map(own[SEGMENT], segmentLength);
            // macOS has no MAP_POPULATE: fault every page in now, not on the hot path.
            SegmentPages.prefault(mapping, segmentLength);
            Posix.closeQuietly(own[SEGMENT]);
            own[SEGMENT] = -1;
            final MacConnection connection = new MacConnection(mapping, own, new int[] {-1, -1, -1});
            connection.bindClientSignals(layout, mechanism);
            return connection;
        }
        catch (final IpcException | RuntimeException ex)
        {
            unmapQuietly(mapping);
            closeAll(own);
            throw ex;
        }
    }

    private void bindServerSignals(final SegmentLayout layout, final WaitMechanism mechanism)
    {
        final long base = SharedMemory.address(segment);
        final int c2s = Direction.CLIENT_TO_SERVER.ordinal();
        final int s2c = Direction.SERVER_TO_CLIENT.ordinal();
        readerSignals[c2s] = new DoorbellSignal(ownFds[READER_PAIR], -1);
        if (mechanism.waitsOnAddress())
        {
            readerSignals[s2c] = new AddressSignal(mechanism, base + layout.readerWaitOffset(Direction.SERVER_TO_CLIENT));
            writerSignals[c2s] = new AddressSignal(mechanism, base + layout.writerWaitOffset(Direction.CLIENT_TO_SERVER));
            writerSignals[s2c] = new AddressSignal(mechanism, base + layout.writerWaitOffset(Direction.SERVER_TO_CLIENT));
        }
        else
        {
            readerSignals[s2c] = new DoorbellSignal(-1, ownFds[READER_PAIR]);
            writerSignals[c2s] = new DoorbellSignal(-1, ownFds[WRITER_PAIR]);
            writerSignals[s2c] = new DoorbellSignal(ownFds[WRITER_PAIR], -1);
        }
    }

    private void bindClientSignals(final SegmentLayout layout, final WaitMechanism mechanism)
    {
        final long base = SharedMemory.address(segment);
        final int c2s = Direction.CLIENT_TO_SERVER.ordinal();
        final int s2c = Direction.SERVER_TO_CLIENT.ordinal();
        readerSignals[c2s] = new DoorbellSignal(-1, ownFds[READER_PAIR]);
        if (mechanism.waitsOnAddress())
        {
            readerSignals[s2c] = new AddressSignal(mechanism, base + layout.readerWaitOffset(Direction.SERVER_TO_CLIENT));
            writerSignals[c2s] = new AddressSignal(mechanism, base + layout.writerWaitOffset(Direction.CLIENT_TO_SERVER));
            // Also rings the server's doorbell: a back-pressured dispatcher learns of room there.
            writerSignals[s2c] = new RingingWakeSignal(
                new AddressSignal(mechanism, base + layout.writerWaitOffset(Direction.SERVER_TO_CLIENT)),
                readerSignals[c2s]);
        }
        else
        {
            readerSignals[s2c] = new DoorbellSignal(ownFds[READER_PAIR], -1);
            writerSignals[c2s] = new DoorbellSignal(ownFds[WRITER_PAIR], -1);
            writerSignals[s2c] = new RingingWakeSignal(new DoorbellSignal(-1, ownFds[WRITER_PAIR]), readerSignals[c2s]);
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
        int count = 0;
        while (count < peerFds.length && peerFds[count] >= 0)
        {
            count++;
        }
        final long[] handles = new long[count];
        for (int i = 0; i < count; i++)
        {
            handles[i] = peerFds[i];
        }
        return handles;
    }

    @Override
    public synchronized void handlesSent()
    {
        // The mapping keeps the memory; the client holds its own references to its ends now.
        handlesSent = true;
        closeAll(peerFds);
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

    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            unmapQuietly(segment);
            closeLocalWakeUps(readerSignals);
            closeLocalWakeUps(writerSignals);
            closeAll(ownFds);
            synchronized (this)
            {
                if (!handlesSent)
                {
                    closeAll(peerFds);
                }
            }
        }
    }

    /** Closes the private local wake-up pairs of the doorbell ends among the signals (see {@link DoorbellSignal}). */
    private static void closeLocalWakeUps(final WakeSignal[] signals)
    {
        for (final WakeSignal signal : signals)
        {
            if (signal instanceof DoorbellSignal)
            {
                ((DoorbellSignal)signal).close();
            }
        }
    }

    private static void closeAll(final int[] fds)
    {
        for (int i = 0; i < fds.length; i++)
        {
            Posix.closeQuietly(fds[i]);
            fds[i] = -1;
        }
    }

    private static void unmapQuietly(final ByteBuffer mapping)
    {
        if (null != mapping)
        {
            try
            {
                SharedMemory.unmap(mapping);
            }
            catch (final IpcException ignore)
            {
                // munmap fails only for a bad address, which would be our bug; nothing else to free.
            }
        }
    }
}
