package ipc.windows;

import java.nio.ByteBuffer;

import ipc.api.IpcException;
import ipc.api.IpcPlatform;
import ipc.api.IpcProtocolException;
import ipc.conformance.BackendProbe;
import ipc.conformance.RawSegment;
import ipc.windows.os.FileMapping;
import ipc.windows.os.Handles;

/**
 * The shared suite's view of this backend ({@link BackendProbe}): {@link WindowsPlatform} for raw peers, which map
 * the WELCOME's section themselves (no commit check) and ring or close the doorbell pipe's write end, and the
 * process's handle count ({@code GetProcessHandleCount}) for {@link ipc.conformance.HostResources}.
 */
public final class WindowsBackendProbe implements BackendProbe
{
    @Override
    public IpcPlatform platform()
    {
        return IpcPlatform.WINDOWS;
    }

    @Override
    public Object primitives()
    {
        return new WindowsPlatform();
    }

    @Override
    public RawSegment attach(final long segmentLength, final long[] handles) throws IpcException
    {
        // WindowsConnection's order: the section, the doorbell pipe's write end, three events.
        if (handles.length != WindowsConnection.HANDLE_COUNT)
        {
            for (final long handle : handles)
            {
                Handles.closeQuietly(handle);
            }
            throw new IpcProtocolException("expected " + WindowsConnection.HANDLE_COUNT + " handles: received=" +
                handles.length);
        }
        ByteBuffer segment = null;
        try
        {
            segment = FileMapping.map(handles[0], segmentLength);
            return new Attachment(handles, segment, new DoorbellWriter(handles[1]));
        }
        catch (final IpcException | RuntimeException ex)
        {
            if (null != segment)
            {
                FileMapping.unmap(segment);
            }
            for (final long handle : handles)
            {
                Handles.closeQuietly(handle);
            }
            throw ex;
        }
    }

    @Override
    public String noShrinkCall()
    {
        // CreateFileMapping fixes a section's size; no Win32 call shrinks a section (NtExtendSection only grows).
        return "a Windows section cannot be shrunk: its size is fixed when it is created";
    }

    @Override
    public String shortSegmentRefusal()
    {
        // WindowsConnection.attach asks MapViewOfFile for the WELCOME's length: a view longer than its section is
        // refused (NtMapViewOfSection's STATUS_INVALID_VIEW_SIZE, reported as ERROR_ACCESS_DENIED).
        return "segment does not fit the WELCOME";
    }

    @Override
    public String foreignDoorbellRefusal()
    {
        // WindowsConnection.attach asks the doorbell for its file mode: a section is no file object.
        return "doorbell handle is not a pipe";
    }

    @Override
    public long processHandles()
    {
        return ProcessHandleCount.current();
    }

    /** A section mapped without checks, the doorbell's write end with an overlapped writer, and the events. */
    private static final class Attachment implements RawSegment
    {
        private static final int DOORBELL = 1;

        private final long[] handles;
        private final ByteBuffer segment;
        private final DoorbellWriter doorbell;
        private boolean closed;

        Attachment(final long[] handles, final ByteBuffer segment, final DoorbellWriter doorbell)
        {
            this.handles = handles;
            this.segment = segment;
            this.doorbell = doorbell;
        }

        @Override
        public ByteBuffer segment()
        {
            return segment;
        }

        @Override
        public void ringDoorbell()
        {
            doorbell.wake();
        }

        @Override
        public void closeDoorbell()
        {
            // The writer first: it cancels a pending ring and waits until the kernel let go of its buffer.
            doorbell.close();
            Handles.closeQuietly(handles[DOORBELL]);
            handles[DOORBELL] = Handles.NULL;
        }

        @Override
        public boolean shrink()
        {
            throw new UnsupportedOperationException("no call shrinks a Windows section");
        }

        @Override
        public void close()
        {
            if (closed)
            {
                return;
            }
            closed = true;
            try
            {
                FileMapping.unmap(segment);
            }
            catch (final IpcException ignore)
            {
                // Only an address that is no view fails, which would be this helper's bug.
            }
            doorbell.close();
            for (final long handle : handles)
            {
                Handles.closeQuietly(handle);
            }
        }
    }
}
