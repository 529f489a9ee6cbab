package ipc.macos;

import java.nio.ByteBuffer;

import ipc.api.IpcException;
import ipc.api.IpcPlatform;
import ipc.api.IpcProtocolException;
import ipc.conformance.BackendProbe;
import ipc.conformance.RawSegment;
import ipc.macos.jna.LibC;
import ipc.macos.os.Posix;
import ipc.macos.os.SharedMemory;
import ipc.macos.os.UnixSocket;

/**
 * The shared suite's view of this backend ({@link BackendProbe}): {@link MacPlatform} for raw peers, which map the
 * WELCOME's shm object themselves and ring or close the doorbell's socket end. Descriptors are counted by
 * {@link ipc.conformance.HostResources} from {@code /dev/fd}; that no shm name outlives its connection is
 * {@link ShmNameLifetimeTest}'s.
 */
public final class MacBackendProbe implements BackendProbe
{
    @Override
    public IpcPlatform platform()
    {
        return IpcPlatform.MACOS;
    }

    @Override
    public Object primitives()
    {
        return new MacPlatform();
    }

    @Override
    public RawSegment attach(final long segmentLength, final long[] handles) throws IpcException
    {
        // MacConnection's order: the shm object, the inbound doorbell pair's end, and with the socketpair wait
        // mechanism the writers' pair's end.
        if (handles.length < 2 || handles.length > 3)
        {
            for (final long handle : handles)
            {
                Posix.closeQuietly((int)handle);
            }
            throw new IpcProtocolException("expected 2 or 3 descriptors: received=" + handles.length);
        }
        final int[] fds = new int[handles.length];
        for (int i = 0; i < fds.length; i++)
        {
            fds[i] = (int)handles[i];
        }
        try
        {
            return new Attachment(fds, SharedMemory.map(fds[0], segmentLength));
        }
        catch (final IpcException | RuntimeException ex)
        {
            for (final int fd : fds)
            {
                Posix.closeQuietly(fd);
            }
            throw ex;
        }
    }

    @Override
    public String noShrinkCall()
    {
        // ftruncate exists; xnu refuses a second one on a shm object (pshm_truncate: EINVAL once sized).
        return null;
    }

    @Override
    public String shortSegmentRefusal()
    {
        // SharedMemory.checkReceived compares the shm object's size (fstat) with the WELCOME's.
        return "segment size does not match WELCOME";
    }

    @Override
    public String foreignDoorbellRefusal()
    {
        // MacConnection.attach checks each doorbell's file type (fstat: S_IFSOCK).
        return "doorbell descriptor is not a socket";
    }

    /** A shm object mapped without checks, the doorbell's end, and any other descriptor received. */
    private static final class Attachment implements RawSegment
    {
        private static final int SEGMENT = 0;
        private static final int DOORBELL = 1;

        private final int[] fds;
        private final ByteBuffer segment;
        private boolean closed;

        Attachment(final int[] fds, final ByteBuffer segment)
        {
            this.fds = fds;
            this.segment = segment;
        }

        @Override
        public ByteBuffer segment()
        {
            return segment;
        }

        @Override
        public void ringDoorbell()
        {
            try
            {
                UnixSocket.ring(fds[DOORBELL]);
            }
            catch (final IpcException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public void closeDoorbell()
        {
            Posix.closeQuietly(fds[DOORBELL]);
            fds[DOORBELL] = -1;
        }

        @Override
        public boolean shrink()
        {
            return LibC.ftruncate(fds[SEGMENT], 0) == 0;
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
                SharedMemory.unmap(segment);
            }
            catch (final IpcException ignore)
            {
                // Only a bad address fails, which would be this helper's bug.
            }
            for (final int fd : fds)
            {
                Posix.closeQuietly(fd);
            }
        }
    }
}
