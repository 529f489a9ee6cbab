package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import ipc.api.IpcException;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.ring.Direction;
import ipc.shared.ring.RecordDescriptor;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;

/**
 * A client built from the host backend's primitives ({@link BackendProbe}) instead of its transport: it follows the
 * handshake only as far as a test wants, sends whatever bytes it is given, and once welcomed holds the connection's
 * segment and doorbell to do to them what no honest client would. The attacker of the containment tests, the same
 * on every OS: the backend decides only how a control connection is opened and how the WELCOME's handles are mapped.
 * A {@link FakeServer} uses the same raw reads and writes on the server's end of a connection it accepted.
 */
public final class RawClient implements AutoCloseable
{
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** The host backend's probe. */
    public final BackendProbe probe;
    private final Platform platform;
    private final ControlChannel control;
    private final ByteBuffer inbound = ByteBuffer.allocate(2 * FrameDescriptor.MAX_FRAME_LENGTH)
        .order(ByteOrder.LITTLE_ENDIAN);
    private Frame.Welcome welcome;
    private SegmentLayout layout;
    private RawSegment attached;

    RawClient(final BackendProbe probe, final Platform platform, final ControlChannel control)
    {
        this.probe = probe;
        this.platform = platform;
        this.control = control;
    }

    /**
     * Opens a control connection to a server and sends nothing.
     *
     * @param server       the server's name.
     * @param timeoutNanos how long the OS may take to connect.
     * @return the connected raw client.
     * @throws IpcException if the connection cannot be made.
     */
    public static RawClient connect(final String server, final long timeoutNanos) throws IpcException
    {
        final BackendProbe probe = BackendProbe.require();
        final Platform platform = (Platform)probe.primitives();
        return new RawClient(probe, platform, platform.connect(server, timeoutNanos));
    }

    /**
     * Connects, greets as a client of protocol minor 0 and takes the WELCOME with its handles, mapped raw; READY is up
     * to the caller.
     *
     * @param server the server's name.
     * @return the welcomed raw client.
     * @throws IpcException if the server refuses or the OS fails.
     */
    public static RawClient welcomed(final String server) throws IpcException
    {
        return welcomed(server, 0);
    }

    /**
     * As {@link #welcomed(String)}, greeting as a client of a protocol minor: from
     * {@link FrameDescriptor#MINOR_OPENS_AT_WELCOME} on, the server opens the connection as it sends WELCOME, and a
     * READY would be a byte after the handshake.
     *
     * @param server        the server's name.
     * @param protocolMinor the minor its HELLO says.
     * @return the welcomed raw client.
     * @throws IpcException if the server refuses or the OS fails.
     */
    public static RawClient welcomed(final String server, final int protocolMinor) throws IpcException
    {
        final RawClient client = connect(server, CONNECT_TIMEOUT_NANOS);
        try
        {
            client.send(client.hello(FrameDescriptor.PROTOCOL_MAJOR, protocolMinor));
            try (ReceivedHandles handles = new ReceivedHandles(client.platform, client.platform.handlesPerConnection()))
            {
                final Frame answer = client.readFrame(handles, 5_000);
                if (!(answer instanceof Frame.Welcome))
                {
                    throw new IllegalStateException("expected WELCOME: got=" + answer);
                }
                client.welcome = (Frame.Welcome)answer;
                client.layout = SegmentLayout.forCapacity(client.welcome.ringCapacity());
                client.attached = client.probe.attach(client.layout.segmentLength(), handles.takeAll());
            }
            return client;
        }
        catch (final IpcException | RuntimeException ex)
        {
            client.close();
            throw ex;
        }
    }

    /**
     * A HELLO of this process with a protocol major version.
     *
     * @param major the version to claim.
     * @return the frame.
     */
    public Frame hello(final int major)
    {
        return hello(major, 0);
    }

    /**
     * A HELLO of this process with a protocol version.
     *
     * @param major the major version to claim.
     * @param minor the minor version to claim.
     * @return the frame.
     */
    public Frame hello(final int major, final int minor)
    {
        return new Frame.Hello(major, minor, platform.pid());
    }

    /**
     * Completes the handshake: the server now serves this connection.
     *
     * @return this client.
     */
    public RawClient ready()
    {
        send(new Frame.Ready());
        return this;
    }

    /**
     * Sends a frame whole.
     *
     * @param frame the frame.
     */
    public void send(final Frame frame)
    {
        send(frame, new long[0]);
    }

    /**
     * Sends a frame whole with handles of this process, which stay this process's (the backend makes them the
     * peer's as an honest side does).
     *
     * @param frame   the frame.
     * @param handles the handles.
     */
    public void send(final Frame frame, final long[] handles)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        FrameCodec.encode(frame, buffer);
        send(buffer.flip(), handles);
    }

    /**
     * Sends raw bytes on the control connection, frames or not.
     *
     * @param bytes from position to limit.
     */
    public void send(final ByteBuffer bytes)
    {
        send(bytes, new long[0]);
    }

    private void send(final ByteBuffer bytes, final long[] handles)
    {
        try
        {
            control.send(bytes, handles);
        }
        catch (final IpcException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Reads one whole frame, with the handles that come with it.
     *
     * @param handles       where received handles go.
     * @param timeoutMillis how long to wait for the whole frame.
     * @return the frame.
     * @throws IpcException if the bytes are no frame or the OS fails.
     */
    public Frame readFrame(final ReceivedHandles handles, final long timeoutMillis) throws IpcException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true)
        {
            final ByteBuffer view = inbound.duplicate().flip().order(ByteOrder.LITTLE_ENDIAN);
            final int length = FrameCodec.frameLength(view);
            if (length >= 0 && view.remaining() >= length)
            {
                final Frame frame = FrameCodec.decode(view);
                inbound.flip().position(length);
                inbound.compact();
                return frame;
            }
            final long left = deadline - System.nanoTime();
            assertTrue(left > 0 && control.awaitReadable(left), "no whole frame within " + timeoutMillis + " ms");
            assertTrue(control.receive(inbound, handles) >= 0, "end of stream before a whole frame");
        }
    }

    /**
     * Reads until the peer closes the control connection.
     *
     * @param timeoutMillis how long the peer may take to close it.
     * @return every byte that arrived since the last whole frame read, in order.
     * @throws IpcException if the OS fails.
     */
    public byte[] readToEnd(final long timeoutMillis) throws IpcException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (ReceivedHandles none = new ReceivedHandles(platform, 0))
        {
            while (true)
            {
                inbound.flip();
                final byte[] chunk = new byte[inbound.remaining()];
                inbound.get(chunk).clear();
                all.writeBytes(chunk);
                final long left = deadline - System.nanoTime();
                assertTrue(left > 0 && control.awaitReadable(left),
                    "the peer did not close the connection within " + timeoutMillis + " ms");
                if (control.receive(inbound, none) < 0)
                {
                    return all.toByteArray();
                }
            }
        }
    }

    /**
     * Waits until the server closes the control connection, discarding whatever it sends before.
     *
     * @param timeoutMillis how long to wait.
     * @throws IpcException if the OS fails.
     */
    public void awaitDropped(final long timeoutMillis) throws IpcException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final ByteBuffer sink = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH);
        try (ReceivedHandles none = new ReceivedHandles(platform, 0))
        {
            while (true)
            {
                final long left = deadline - System.nanoTime();
                assertTrue(left > 0 && control.awaitReadable(left),
                    "the server did not drop the connection within " + timeoutMillis + " ms");
                sink.clear();
                if (control.receive(sink, none) < 0)
                {
                    return;
                }
            }
        }
    }

    /**
     * Whether bytes or the end of the stream arrived within a time.
     *
     * @param timeoutNanos how long to wait.
     * @return {@code true} if readable.
     * @throws IpcException if the OS fails.
     */
    public boolean awaitReadable(final long timeoutNanos) throws IpcException
    {
        return control.awaitReadable(timeoutNanos);
    }

    /** The WELCOME received, or {@code null} before. */
    public Frame.Welcome welcome()
    {
        return welcome;
    }

    /** The segment's geometry, once welcomed. */
    public SegmentLayout layout()
    {
        return layout;
    }

    /** The raw attachment, once welcomed. */
    public RawSegment attached()
    {
        return attached;
    }

    /** The mapped segment, once welcomed. */
    public ByteBuffer segment()
    {
        return attached.segment();
    }

    /** Where the client-to-server ring's records start in the segment. */
    public int dataOffset()
    {
        return layout.dataOffset(Direction.CLIENT_TO_SERVER);
    }

    /**
     * Writes a record header into the client-to-server ring, length last, as a writer would commit it.
     *
     * @param position the ring position (wrapped here).
     * @param type     the record type.
     * @param length   the record length.
     */
    public void putRecord(final int position, final int type, final int length)
    {
        final int index = dataOffset() + (position & (layout.ringCapacity() - 1));
        segment().putInt(index + RecordDescriptor.TYPE_OFFSET, type);
        segment().putInt(index + RecordDescriptor.LENGTH_OFFSET, length);
    }

    /**
     * Publishes the client-to-server ring's tail.
     *
     * @param tail the position.
     */
    public void publishTail(final long tail)
    {
        segment().putLong(layout.tailOffset(Direction.CLIENT_TO_SERVER), tail);
    }

    /** Rings the server's doorbell. */
    public void ringDoorbell()
    {
        attached.ringDoorbell();
    }

    @Override
    public void close()
    {
        if (null != attached)
        {
            attached.close();
        }
        control.close();
    }
}
