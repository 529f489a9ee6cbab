package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Memory;

import ipc.api.IpcException;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Poll;
import ipc.linux.os.Posix;
import ipc.linux.os.SharedMemory;
import ipc.linux.os.UnixSocket;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.posix.ReceivedMessage;
import ipc.shared.ring.Direction;
import ipc.shared.ring.RecordDescriptor;
import ipc.shared.ring.SegmentLayout;

/**
 * A client written with raw sockets that follows the handshake far enough to hold a live connection's segment and
 * doorbell, and then does to them what no honest client would: the attacker of the containment tests.
 */
final class HostileClient implements AutoCloseable
{
    final int control;
    final int memFd;
    final int doorbell;
    final Frame.Welcome welcome;
    /** The minor its HELLO said: from {@link FrameDescriptor#MINOR_OPENS_AT_WELCOME} on, WELCOME ended the handshake. */
    final int protocolMinor;
    final SegmentLayout layout;
    final ByteBuffer segment;
    private final Memory ring = new Memory(8);
    private final Memory taken = new Memory(8);

    private HostileClient(final int control, final int memFd, final int doorbell, final Frame.Welcome welcome,
        final int protocolMinor) throws IpcException
    {
        this.control = control;
        this.memFd = memFd;
        this.doorbell = doorbell;
        this.welcome = welcome;
        this.protocolMinor = protocolMinor;
        this.layout = SegmentLayout.forCapacity(welcome.ringCapacity());
        this.segment = SharedMemory.map(memFd, welcome.segmentLength()).order(ByteOrder.nativeOrder());
        ring.setLong(0, 1);
    }

    /** Connects, greets and takes the WELCOME with its descriptors; READY is up to the caller. */
    static HostileClient welcomed(final String path) throws IpcException
    {
        return welcomed(path, FrameDescriptor.PROTOCOL_MINOR);
    }

    /** As {@link #welcomed(String)}, saying an older protocol minor in its HELLO. */
    static HostileClient welcomed(final String path, final short protocolMinor) throws IpcException
    {
        final int fd = UnixSocket.connect(path);
        try
        {
            send(fd, frame(new Frame.Hello(FrameDescriptor.PROTOCOL_MAJOR, protocolMinor, Posix.getpid())));
            final int[] fds = new int[2];
            final Frame answer = readFrame(fd, 2, fds);
            if (!(answer instanceof Frame.Welcome))
            {
                throw new IllegalStateException("expected WELCOME: got=" + answer);
            }
            return new HostileClient(fd, fds[0], fds[1], (Frame.Welcome)answer, protocolMinor);
        }
        catch (final IpcException | RuntimeException ex)
        {
            Posix.closeQuietly(fd);
            throw ex;
        }
    }

    /**
     * Completes the handshake: the server now serves this connection. Sends READY only where the protocol has one: a
     * client of {@link FrameDescriptor#MINOR_OPENS_AT_WELCOME} or later was served from its WELCOME on.
     */
    HostileClient ready()
    {
        if (protocolMinor < FrameDescriptor.MINOR_OPENS_AT_WELCOME)
        {
            send(control, frame(new Frame.Ready()));
        }
        return this;
    }

    /** Rings the server's doorbell; eight bytes, so that it works for an eventfd and for a socket alike. */
    void ringDoorbell()
    {
        LibC.write(doorbell, com.sun.jna.Pointer.nativeValue(ring), 8);
    }

    /** Reads back what is pending on this end of the doorbell, if anything (an eventfd's count; a socket's bytes). */
    void takeBackRing() throws IpcException
    {
        if (UnixSocket.poll(doorbell, Poll.POLLIN, 0) != 0)
        {
            LibC.read(doorbell, com.sun.jna.Pointer.nativeValue(taken), 8);
        }
    }

    int dataOffset()
    {
        return layout.dataOffset(Direction.CLIENT_TO_SERVER);
    }

    /** Writes a record header into the client-to-server ring, length last, as a writer would commit it. */
    void putRecord(final int position, final int type, final int length)
    {
        final int index = dataOffset() + (position & (layout.ringCapacity() - 1));
        segment.putInt(index + RecordDescriptor.TYPE_OFFSET, type);
        segment.putInt(index + RecordDescriptor.LENGTH_OFFSET, length);
    }

    void publishTail(final long tail)
    {
        segment.putLong(layout.tailOffset(Direction.CLIENT_TO_SERVER), tail);
    }

    /** Waits until the server closes the control connection. */
    void awaitDropped(final long timeoutMillis) throws IpcException
    {
        final ByteBuffer sink = ByteBuffer.allocate(64);
        final int[] none = new int[1];
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true)
        {
            final int left = (int)Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
            assertTrue(System.nanoTime() - deadline < 0 && UnixSocket.poll(control, Poll.POLLIN, left) != 0,
                "the server did not drop the connection within " + timeoutMillis + " ms");
            sink.clear();
            if (UnixSocket.receiveMessage(control, sink, none, 0).endOfStream())
            {
                return;
            }
        }
    }

    @Override
    public void close()
    {
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
        Posix.closeQuietly(control);
    }

    static ByteBuffer frame(final Frame frame)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        FrameCodec.encode(frame, buffer);
        return buffer.flip();
    }

    static void send(final int fd, final ByteBuffer bytes)
    {
        try
        {
            while (bytes.hasRemaining())
            {
                UnixSocket.sendMessage(fd, bytes, null);
            }
        }
        catch (final IpcException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Reads one whole frame from a blocking socket, with up to maxFds descriptors. */
    static Frame readFrame(final int fd, final int maxFds, final int[] fds) throws IpcException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        while (true)
        {
            final ByteBuffer view = buffer.duplicate().flip();
            final int length = FrameCodec.frameLength(view);
            if (length >= 0 && view.remaining() >= length)
            {
                return FrameCodec.decode(view);
            }
            assertTrue(UnixSocket.poll(fd, Poll.POLLIN, 5_000) != 0, "no frame within 5 s");
            final ReceivedMessage received = UnixSocket.receiveMessage(fd, buffer, fds, maxFds);
            assertTrue(received.bytes() > 0, "end of stream before a whole frame");
        }
    }
}
