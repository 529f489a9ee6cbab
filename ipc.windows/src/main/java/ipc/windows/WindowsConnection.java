package ipc.windows;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.shared.ring.Direction;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.ring.SegmentPages;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.RingingWakeSignal;
import ipc.shared.spi.WakeSignal;
import ipc.windows.jna.WinBaseExt;
import ipc.windows.os.Events;
import ipc.windows.os.FileModes;
import ipc.windows.os.FileMapping;
import ipc.windows.os.Handles;
import ipc.windows.os.NamedPipes;
import ipc.windows.os.PipeNames;
import ipc.windows.os.SecurityDescriptors;
import ipc.windows.os.WindowsErrors;

/**
 * One connection's Windows resources: an unnamed paging-file mapping, mapped by both sides; a doorbell pipe for
 * the server's inbound ring (so one completion port watches every connection); and auto-reset events for the three
 * other wait words. The server creates everything and the client receives, duplicated into its process, the
 * handles listed by {@link #handlesForPeer()} in this order:
 * <ol>
 *   <li>the mapping (closed on both sides once mapped; the views keep the memory);</li>
 *   <li>the doorbell's write end, opened overlapped (so that a ring never blocks the client);</li>
 *   <li>the event of the server-to-client reader's wait word;</li>
 *   <li>the event of the client-to-server writer's wait word;</li>
 *   <li>the event of the server-to-client writer's wait word.</li>
 * </ol>
 */
final class WindowsConnection implements ConnectionResources
{
    /** Handles a WELCOME carries. */
    static final int HANDLE_COUNT = 5;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ByteBuffer segment;
    private long mapping;
    private long doorbellWriteEnd;
    private final long doorbellReadEnd;
    private final DoorbellReader doorbellReader;
    private final DoorbellWriter doorbellWriter;
    private final long[] events;
    private final WakeSignal[] readerSignals = new WakeSignal[2];
    private final WakeSignal[] writerSignals = new WakeSignal[2];
    private final AtomicBoolean closed = new AtomicBoolean();

    private WindowsConnection(final ByteBuffer segment, final long mapping, final long doorbellReadEnd,
        final long doorbellWriteEnd, final long[] events) throws IpcException
    {
        this.segment = segment;
        this.mapping = mapping;
        this.doorbellReadEnd = doorbellReadEnd;
        this.doorbellWriteEnd = doorbellWriteEnd;
        this.events = events;
        final boolean server = doorbellReadEnd != Handles.NULL;
        this.doorbellReader = server ? new DoorbellReader(doorbellReadEnd) : null;
        this.doorbellWriter = server ? null : new DoorbellWriter(doorbellWriteEnd);
        readerSignals[Direction.CLIENT_TO_SERVER.ordinal()] = server ? doorbellReader : doorbellWriter;
        readerSignals[Direction.SERVER_TO_CLIENT.ordinal()] = new EventSignal(events[0]);
        writerSignals[Direction.CLIENT_TO_SERVER.ordinal()] = new EventSignal(events[1]);
        // The client's wake of the server's outbound writer word also rings the doorbell: a back-pressured
        // dispatcher learns of room there (see ConnectionResources#writerSignal).
        writerSignals[Direction.SERVER_TO_CLIENT.ordinal()] = server ? new EventSignal(events[2]) :
            new RingingWakeSignal(new EventSignal(events[2]), doorbellWriter);
    }

    /** Server side: creates the mapping (the shared transport zeroes, so touches, every page), the doorbell, the events. */
    static WindowsConnection create(final SegmentLayout layout, final String userSid) throws IpcException
    {
        final long length = layout.segmentLength();
        long mapping = Handles.NULL;
        ByteBuffer segment = null;
        long readEnd = Handles.NULL;
        long writeEnd = Handles.NULL;
        final long[] events = new long[3];
        try
        {
            mapping = FileMapping.create(length);
            segment = FileMapping.map(mapping, length);
            final long[] doorbell = createDoorbell(userSid);
            readEnd = doorbell[0];
            writeEnd = doorbell[1];
            for (int i = 0; i < events.length; i++)
            {
                events[i] = Events.createAutoReset();
            }
            return new WindowsConnection(segment, mapping, readEnd, writeEnd, events);
        }
        catch (final IpcException | RuntimeException ex)
        {
            for (final long event : events)
            {
                Handles.closeQuietly(event);
            }
            Handles.closeQuietly(writeEnd);
            Handles.closeQuietly(readEnd);
            unmapQuietly(segment);
            Handles.closeQuietly(mapping);
            throw ex;
        }
    }

    /**
     * A one-instance pipe whose inbound end the server keeps and whose outbound end, opened here, goes to the
     * client. Both ends are overlapped: neither side ever makes a call on the pipe that can block.
     *
     * @return {read end, write end}.
     */
    private static long[] createDoorbell(final String userSid) throws IpcException
    {
        final byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        final String name = PipeNames.doorbellPipe(userSid, HexFormat.of().formatHex(random));
        long readEnd = Handles.NULL;
        long writeEnd = Handles.INVALID;
        try (SecurityDescriptors.Attributes security =
            SecurityDescriptors.fromSddl(SecurityDescriptors.pipeSddl(userSid)))
        {
            readEnd = NamedPipes.createInstance(name, WinBase.PIPE_ACCESS_INBOUND |
                WinBaseExt.FILE_FLAG_FIRST_PIPE_INSTANCE, 1, DoorbellReader.CAPACITY, 0, security);
            writeEnd = NamedPipes.openClient(name, WinNT.GENERIC_WRITE, true);
            if (writeEnd == Handles.INVALID)
            {
                throw WindowsErrors.exception("CreateFileW", Native.getLastError(), "pipe=" + name);
            }
            // One instance, opened by us: nobody else can hold its client end.
            final long opener = NamedPipes.clientProcessId(readEnd);
            if (opener != ProcessHandle.current().pid())
            {
                throw new IpcException("doorbell pipe opened by another process: pipe=" + name + " pid=" + opener);
            }
            NamedPipes.connectOpened(readEnd);
            return new long[] {readEnd, writeEnd};
        }
        catch (final IpcException | RuntimeException ex)
        {
            Handles.closeQuietly(writeEnd);
            Handles.closeQuietly(readEnd);
            throw ex;
        }
    }

    /**
     * Client side: maps the received mapping (checked: committed, read-write, as long as announced) and keeps the
     * doorbell's write end (checked: overlapped, so that no ring can block) and the events. Takes ownership of every
     * handle, closing them all if this fails.
     */
    static WindowsConnection attach(final SegmentLayout layout, final long[] handles) throws IpcException
    {
        ByteBuffer segment = null;
        try
        {
            final boolean synchronous;
            try
            {
                synchronous = FileModes.isSynchronous(handles[1]);
            }
            catch (final IpcException ex)
            {
                // Not a file object at all (a section, an event): the server sent something else in its place.
                throw new IpcProtocolException("doorbell handle is not a pipe: handle=" + handles[1] + " " +
                    ex.getMessage(), ex);
            }
            if (synchronous)
            {
                throw new IpcProtocolException("doorbell handle does synchronous I/O, a ring could block: handle=" +
                    handles[1]);
            }
            try
            {
                segment = FileMapping.map(handles[0], layout.segmentLength());
            }
            catch (final IpcAccessDeniedException ex)
            {
                // MapViewOfFile reports a view longer than its section (STATUS_INVALID_VIEW_SIZE) and a handle
                // without map rights as ERROR_ACCESS_DENIED: either way the server sent what the WELCOME does not say.
                throw new IpcProtocolException("segment does not fit the WELCOME: handle=" + handles[0] +
                    " segmentLength=" + layout.segmentLength() + " " + ex.getMessage(), ex);
            }
            SegmentPages.prefault(segment, layout.segmentLength());
            final WindowsConnection connection = new WindowsConnection(segment, Handles.NULL, Handles.NULL,
                handles[1], new long[] {handles[2], handles[3], handles[4]});
            Handles.closeQuietly(handles[0]);
            return connection;
        }
        catch (final IpcException | RuntimeException ex)
        {
            unmapQuietly(segment);
            for (final long handle : handles)
            {
                Handles.closeQuietly(handle);
            }
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
        return new long[] {mapping, doorbellWriteEnd, events[0], events[1], events[2]};
    }

    @Override
    public synchronized void handlesSent()
    {
        // The client has its duplicates; the view keeps the memory, and the server never rings its own doorbell.
        Handles.closeQuietly(mapping);
        mapping = Handles.NULL;
        Handles.closeQuietly(doorbellWriteEnd);
        doorbellWriteEnd = Handles.NULL;
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
            if (null != doorbellReader)
            {
                doorbellReader.close();
            }
            if (null != doorbellWriter)
            {
                doorbellWriter.close();
            }
            Handles.closeQuietly(doorbellReadEnd);
            synchronized (this)
            {
                Handles.closeQuietly(doorbellWriteEnd);
                Handles.closeQuietly(mapping);
            }
            for (final long event : events)
            {
                Handles.closeQuietly(event);
            }
        }
    }

    private static void unmapQuietly(final ByteBuffer segment)
    {
        if (null != segment)
        {
            try
            {
                FileMapping.unmap(segment);
            }
            catch (final IpcException ignore)
            {
                // UnmapViewOfFile fails only for an address that is not a view, which would be our bug.
            }
        }
    }
}
