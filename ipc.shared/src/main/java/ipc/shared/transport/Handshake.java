package ipc.shared.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcServerStats;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.codec.RejectReason;
import ipc.shared.ring.AttachedSegment;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.Platform;

/**
 * The connection handshake, both sides:
 * <pre>
 *  client                                  server
 *    | ---- connect ------------------------> |  peer identity checked (uid)
 *    | ---- HELLO(version, pid) ------------> |  version checked, segment created and initialized
 *    | <--- WELCOME(geometry) + handles ----- |
 *    |  map, validate header                  |
 *    | ---- READY --------------------------> |  connection open
 *    | <--- REJECT(reason, text) ------------ |  (instead, on any refusal)
 * </pre>
 * When both sides speak protocol minor 3 or later ({@link FrameDescriptor#MINOR_OPENS_AT_WELCOME}), the server opens
 * the connection as it sends WELCOME and the client sends no READY: the server builds its side of the channel while
 * the client maps the segment, and the client's first message is not held up behind READY.
 * and the counters' query, on a connection of its own:
 * <pre>
 *    | ---- connect ------------------------> |  peer identity checked (uid), as above
 *    | ---- STATS(version) -----------------> |  version checked; nothing created
 *    | <--- STATS_REPLY(counters) ----------- |  then the server closes
 * </pre>
 */
final class Handshake
{
    private Handshake()
    {
    }

    /**
     * The client's side: connects, greets, attaches the segment the server sent.
     */
    static SharedChannel connect(final Platform platform, final String name, final IpcOptions options)
        throws IpcException
    {
        final long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        final ControlChannel control = platform.connect(name, options.connectTimeout().toNanos());
        ConnectionResources resources = null;
        try (FrameReader frames = new FrameReader(platform, control, platform.handlesPerConnection()))
        {
            final IpcPeer peer = control.peer();
            try
            {
                send(control, new Frame.Hello(FrameDescriptor.PROTOCOL_MAJOR, FrameDescriptor.PROTOCOL_MINOR,
                    platform.pid()));
            }
            catch (final IpcPeerClosedException ex)
            {
                // A server that refuses our uid sends REJECT and closes as soon as it accepts, possibly before our
                // HELLO: the refusal is waiting to be read, and it is the error to report.
                final Frame early = awaitQuietly(frames, deadline, name);
                if (early instanceof Frame.Reject)
                {
                    throw rejected(name, (Frame.Reject)early);
                }
                throw ex;
            }

            final Frame answer = frames.await(deadline, "WELCOME from server=" + name);
            if (answer instanceof Frame.Reject)
            {
                throw rejected(name, (Frame.Reject)answer);
            }
            if (!(answer instanceof Frame.Welcome))
            {
                throw new IpcProtocolException("expected WELCOME from server=" + name + " got=" + answer);
            }
            final Frame.Welcome welcome = (Frame.Welcome)answer;
            final SegmentLayout layout = checkWelcome(platform, welcome, frames.handles().count());

            resources = platform.attachConnection(layout, frames.handles());
            if (!resources.sizeSealed() && peer.uid() != platform.uid())
            {
                // A server of another user could shrink the segment under our mapping and fault our threads.
                throw new IpcProtocolException("segment size is not sealed by server=" + name + " of another user: " +
                    "serverUid=" + peer.uid() + " uid=" + platform.uid());
            }
            final ByteBuffer segment = resources.segment();
            final AttachedSegment attached = SegmentHeader.attach(segment, segment.capacity());
            if (!attached.layout().equals(layout) || attached.maxMessageSize() != welcome.maxMessageSize())
            {
                throw new IpcProtocolException("segment header does not match WELCOME: segment=" + attached +
                    " welcome=" + welcome);
            }

            // The smaller limit of the two sides: what the server accepts, and what this client agreed to reassemble.
            final int maxMessageSize = Math.min(welcome.maxMessageSize(), options.maxMessageSize());
            final SharedChannel channel = new SharedChannel(resources, layout, maxMessageSize, false, control,
                new IpcPeer(welcome.pid() > 0 && peer.pid() == IpcPeer.UNKNOWN ? welcome.pid() : peer.pid(), peer.uid()),
                options, welcome.protocolMinor() >= FrameDescriptor.MINOR_WAKES_WORDS, platform.processBarrier(), true);
            if (welcome.protocolMinor() < FrameDescriptor.MINOR_OPENS_AT_WELCOME)
            {
                send(control, new Frame.Ready());
            }
            return channel;
        }
        catch (final IpcException | RuntimeException ex)
        {
            if (ex instanceof IpcProtocolException)
            {
                trySend(control, new Frame.Reject(RejectReason.PROTOCOL_ERROR, ex.getMessage()));
            }
            if (null != resources)
            {
                resources.close();
            }
            control.close();
            if (ex instanceof RuntimeException)
            {
                // Nothing unchecked leaves the library: a platform bug or hostile input ends as a protocol error.
                throw new IpcProtocolException("handshake with server=" + name + " failed: " + ex, ex);
            }
            throw ex;
        }
    }

    /**
     * The counters' query: connects, sends STATS, reads the one reply.
     */
    static IpcServerStats stats(final Platform platform, final String name, final Duration timeout)
        throws IpcException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final ControlChannel control = platform.connect(name, timeout.toNanos());
        try (FrameReader frames = new FrameReader(platform, control, 0))
        {
            try
            {
                send(control, new Frame.Stats(FrameDescriptor.PROTOCOL_MAJOR, FrameDescriptor.PROTOCOL_MINOR));
            }
            catch (final IpcPeerClosedException ex)
            {
                // As in connect: a server that refuses our uid may have answered and closed before our request.
                final Frame early = awaitQuietly(frames, deadline, name);
                if (early instanceof Frame.Reject)
                {
                    throw statsRejected(name, (Frame.Reject)early);
                }
                throw ex;
            }
            final Frame answer;
            try
            {
                answer = frames.await(deadline, "STATS reply from server=" + name);
            }
            catch (final IpcPeerClosedException ex)
            {
                throw new IpcProtocolException("server=" + name + " has no STATS support: it closed the connection " +
                    "without a reply (a server older than control protocol 1.1)", ex);
            }
            if (answer instanceof Frame.Reject)
            {
                throw statsRejected(name, (Frame.Reject)answer);
            }
            if (!(answer instanceof Frame.StatsReply))
            {
                throw new IpcProtocolException("expected STATS_REPLY from server=" + name + " got=" + answer);
            }
            final Frame.StatsReply reply = (Frame.StatsReply)answer;
            if (reply.protocolMajor() != FrameDescriptor.PROTOCOL_MAJOR)
            {
                throw new IpcProtocolException("protocol version mismatch: app=" + FrameDescriptor.PROTOCOL_MAJOR + "." +
                    FrameDescriptor.PROTOCOL_MINOR + " server=" + reply.protocolMajor() + "." + reply.protocolMinor());
            }
            return reply.stats();
        }
        catch (final RuntimeException ex)
        {
            // Nothing unchecked leaves the library: a platform bug or hostile input ends as a protocol error.
            throw new IpcProtocolException("STATS query of server=" + name + " failed: " + ex, ex);
        }
        finally
        {
            control.close();
        }
    }

    private static IpcException statsRejected(final String name, final Frame.Reject reject)
    {
        if (reject.reason() == RejectReason.PROTOCOL_ERROR)
        {
            // What a server older than protocol 1.1 answers to a frame type it does not know.
            return new IpcProtocolException("server=" + name + " has no STATS support: it answered reason=" +
                reject.reason() + " " + reject.text());
        }
        return rejected(name, reject);
    }

    private static Frame awaitQuietly(final FrameReader frames, final long deadline, final String name)
    {
        try
        {
            return frames.await(deadline, "REJECT from server=" + name);
        }
        catch (final IpcException | RuntimeException ignore)
        {
            // Nothing readable: the send's failure is what the caller reports.
            return null;
        }
    }

    private static SegmentLayout checkWelcome(final Platform platform, final Frame.Welcome welcome,
        final int handlesReceived) throws IpcProtocolException
    {
        if (welcome.protocolMajor() != FrameDescriptor.PROTOCOL_MAJOR)
        {
            throw new IpcProtocolException("protocol version mismatch: app=" + FrameDescriptor.PROTOCOL_MAJOR + "." +
                FrameDescriptor.PROTOCOL_MINOR + " server=" + welcome.protocolMajor() + "." + welcome.protocolMinor());
        }
        if (welcome.handleCount() != platform.handlesPerConnection() || handlesReceived != welcome.handleCount())
        {
            throw new IpcProtocolException("WELCOME handle count mismatch: announced=" + welcome.handleCount() +
                " received=" + handlesReceived + " expected=" + platform.handlesPerConnection());
        }
        if (welcome.maxMessageSize() < 1 || welcome.maxMessageSize() > IpcOptions.MAX_MESSAGE_SIZE_LIMIT)
        {
            throw new IpcProtocolException("WELCOME maxMessageSize out of range: maxMessageSize=" +
                welcome.maxMessageSize());
        }
        final SegmentLayout layout;
        try
        {
            layout = SegmentLayout.forCapacity(welcome.ringCapacity());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IpcProtocolException("WELCOME ring capacity invalid: " + ex.getMessage(), ex);
        }
        if (layout.segmentLength() != welcome.segmentLength())
        {
            throw new IpcProtocolException("WELCOME segment length does not match its ring capacity: segmentLength=" +
                welcome.segmentLength() + " expected=" + layout.segmentLength() + " ringCapacity=" +
                welcome.ringCapacity());
        }
        return layout;
    }

    private static IpcException rejected(final String name, final Frame.Reject reject)
    {
        final String message = "server=" + name + " rejected the connection: reason=" + reject.reason() + " " +
            reject.text();
        switch (reject.reason())
        {
            case ACCESS_DENIED:
                return new IpcAccessDeniedException(message);
            case SHUTTING_DOWN:
            case TOO_MANY_CONNECTIONS:
                return new IpcClosedException(message);
            default:
                return new IpcProtocolException(message);
        }
    }

    static void send(final ControlChannel control, final Frame frame) throws IpcException
    {
        send(control, frame, new long[0]);
    }

    static void send(final ControlChannel control, final Frame frame, final long[] handles) throws IpcException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        FrameCodec.encode(frame, buffer);
        buffer.flip();
        control.send(buffer, handles);
    }

    /** Best effort: the peer may already be gone, and we are failing anyway. */
    static void trySend(final ControlChannel control, final Frame frame)
    {
        try
        {
            send(control, frame);
        }
        catch (final IpcException | RuntimeException ignore)
        {
            // The original failure is what the caller reports.
        }
    }
}
