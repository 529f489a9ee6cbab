package ipc.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import ipc.api.IpcException;
import ipc.api.IpcPlatform;
import ipc.api.IpcProtocolException;
import ipc.conformance.BackendProbe;
import ipc.conformance.RawSegment;
import ipc.linux.jna.LibC;
import ipc.linux.os.Posix;
import ipc.linux.os.SharedMemory;

/**
 * The shared suite's view of this backend ({@link BackendProbe}): {@link LinuxPlatform} for raw peers, which map the
 * WELCOME's memfd themselves and ring or close the doorbell's socket end; descriptors and memfd mappings are counted
 * by {@link ipc.conformance.HostResources} from {@code /proc}.
 */
public final class LinuxBackendProbe implements BackendProbe
{
    @Override
    public IpcPlatform platform()
    {
        return IpcPlatform.LINUX;
    }

    @Override
    public Object primitives()
    {
        return new LinuxPlatform();
    }

    @Override
    public RawSegment attach(final long segmentLength, final long[] handles) throws IpcException
    {
        // The WELCOME's descriptors, in LinuxConnection's order: the memfd, then the doorbell's ringer end.
        if (handles.length != 2)
        {
            for (final long handle : handles)
            {
                Posix.closeQuietly((int)handle);
            }
            throw new IpcProtocolException("expected 2 descriptors: received=" + handles.length);
        }
        final int memFd = (int)handles[0];
        final int doorbell = (int)handles[1];
        try
        {
            return new Attachment(memFd, doorbell, SharedMemory.map(memFd, segmentLength));
        }
        catch (final IpcException | RuntimeException ex)
        {
            Posix.closeQuietly(memFd);
            Posix.closeQuietly(doorbell);
            throw ex;
        }
    }

    @Override
    public String noShrinkCall()
    {
        return null;
    }

    @Override
    public String shortSegmentRefusal()
    {
        // LinuxConnection.attach compares the memfd's size (fstat) with the WELCOME's.
        return "segment size does not match WELCOME";
    }

    @Override
    public String foreignDoorbellRefusal()
    {
        // LinuxConnection.attach checks the doorbell's file type (fstat: S_IFSOCK).
        return "doorbell is not a socket";
    }

    /** A memfd mapped without checks and the doorbell's ringer end. */
    private static final class Attachment implements RawSegment
    {
        private final int memFd;
        private int doorbell;
        private final ByteBuffer segment;
        private final Memory ring = new Memory(8);
        private boolean closed;

        Attachment(final int memFd, final int doorbell, final ByteBuffer segment)
        {
            this.memFd = memFd;
            this.doorbell = doorbell;
            this.segment = segment.order(ByteOrder.nativeOrder());
            ring.setLong(0, 1);
        }

        @Override
        public ByteBuffer segment()
        {
            return segment;
        }

        @Override
        public void ringDoorbell()
        {
            // Eight bytes: an eventfd's counter and a socket alike take them.
            LibC.write(doorbell, Pointer.nativeValue(ring), 8);
        }

        @Override
        public void closeDoorbell()
        {
            Posix.closeQuietly(doorbell);
            doorbell = -1;
        }

        @Override
        public boolean shrink()
        {
            return LibC.ftruncate(memFd, 0) == 0;
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
            Posix.closeQuietly(memFd);
            Posix.closeQuietly(doorbell);
            ring.close();
        }
    }
}
