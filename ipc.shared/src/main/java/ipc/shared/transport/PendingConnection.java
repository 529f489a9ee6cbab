package ipc.shared.transport;

import java.util.function.Supplier;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.api.IpcProtocolException;
import ipc.api.IpcServerStats;
import ipc.api.IpcTimeoutException;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.codec.RejectReason;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.Platform;

/**
 * The server's side of one handshake ({@link Handshake}), as a non-blocking state machine: the dispatcher advances
 * it whenever the control channel is readable, so a slow or hostile client never stalls the other connections;
 * {@code accept} drives the same machine with blocking waits.
 *
 * <p>A client may send STATS instead of HELLO: it is answered with the server's counters and the handshake ends
 * there ({@link #isAnswered()}), having created nothing.
 */
final class PendingConnection
{
    private final Platform platform;
    private final ControlChannel control;
    private final IpcOptions options;
    private final FrameReader frames;
    private final long deadlineNanos;
    private final IpcPeer peer;
    private final PreparedSegments segments;
    private ConnectionResources resources;
    private SegmentLayout layout;
    private boolean welcomed;
    /** The client's HELLO said that it wakes a reader asleep on its word ({@link FrameDescriptor#MINOR_WAKES_WORDS}). */
    private boolean clientWakesWords;
    /** The client's HELLO said that it sends no READY ({@link FrameDescriptor#MINOR_OPENS_AT_WELCOME}). */
    private boolean opensAtWelcome;
    private boolean answered;
    /** Whether the channel's waits run the process barrier (see {@link HandshakeAdmission}). */
    private final boolean waitsRunBarrier;

    /**
     * Checks the client's identity at once.
     *
     * @throws IpcAccessDeniedException if the peer's uid is not allowed, or the platform refuses its identity (a
     *                                  Windows client of another user SID): a REJECT was sent either way.
     */
    PendingConnection(final Platform platform, final ControlChannel control, final IpcOptions options,
        final PreparedSegments segments, final boolean waitsRunBarrier) throws IpcException
    {
        this.platform = platform;
        this.waitsRunBarrier = waitsRunBarrier;
        this.segments = segments;
        this.control = control;
        this.options = options;
        this.frames = new FrameReader(platform, control, 0);
        this.deadlineNanos = System.nanoTime() + options.connectTimeout().toNanos();
        this.peer = identify(control);
        final long ownUid = platform.uid();
        if (ownUid != IpcPeer.UNKNOWN && peer.uid() != ownUid && !options.allowedPeerUids().contains(peer.uid()))
        {
            final String text = "peer uid not allowed: uid=" + peer.uid() + " pid=" + peer.pid() + " serverUid=" +
                ownUid + " allowedPeerUids=" + options.allowedPeerUids();
            throw reject(RejectReason.ACCESS_DENIED, new IpcAccessDeniedException(text));
        }
    }

    /**
     * The peer as the platform reports it; a platform that refuses the peer's identity (Windows checks the client's
     * user SID there) gets the same REJECT as a uid that is not allowed, before the channel is closed, so that the
     * client reads why rather than a bare end of stream.
     */
    private IpcPeer identify(final ControlChannel channel) throws IpcException
    {
        try
        {
            return channel.peer();
        }
        catch (final IpcAccessDeniedException ex)
        {
            throw reject(RejectReason.ACCESS_DENIED, ex);
        }
    }

    ControlChannel control()
    {
        return control;
    }

    long deadlineNanos()
    {
        return deadlineNanos;
    }

    IpcPeer peer()
    {
        return peer;
    }

    /** Whether a WELCOME went out: the handshake holds a segment. */
    boolean isWelcomed()
    {
        return welcomed;
    }

    /** Whether a STATS request was answered: the handshake is over, the caller calls {@link #abandon()}. */
    boolean isAnswered()
    {
        return answered;
    }

    /**
     * Reads what arrived and moves the handshake on.
     *
     * @param openConnections connections the server holds now, checked against its limit.
     * @param stats           the server's counters, read only to answer a STATS request.
     * @return the open channel once the handshake is over (READY arrived, or WELCOME went out to a client that sends
     *         none: {@link FrameDescriptor#MINOR_OPENS_AT_WELCOME}), else {@code null} (also once a STATS request was
     *         answered).
     * @throws IpcException if the handshake failed; a REJECT was sent where it makes sense. The caller then calls
     *                      {@link #abandon()}.
     */
    SharedChannel advance(final int openConnections, final Supplier<IpcServerStats> stats) throws IpcException
    {
        while (!answered)
        {
            final Frame frame;
            try
            {
                frame = frames.poll();
            }
            catch (final IpcProtocolException ex)
            {
                // Malformed, or a frame type of a later protocol version: say so, so that its client can tell.
                throw reject(RejectReason.PROTOCOL_ERROR, ex);
            }
            if (null == frame)
            {
                return null;
            }
            if (!welcomed && frame instanceof Frame.Stats)
            {
                onStats((Frame.Stats)frame, stats);
            }
            else if (!welcomed)
            {
                onHello(frame, openConnections);
                if (opensAtWelcome)
                {
                    return open();
                }
            }
            else
            {
                return onReady(frame);
            }
        }
        return null;
    }

    /** Releases everything after a failure. */
    void abandon()
    {
        frames.close();
        if (null != resources)
        {
            resources.close();
            resources = null;
        }
        control.close();
    }

    /** Refuses the client (server closing, handshake timed out). */
    void reject(final RejectReason reason, final String text)
    {
        Handshake.trySend(control, new Frame.Reject(reason, text));
        abandon();
    }

    private void onStats(final Frame.Stats request, final Supplier<IpcServerStats> stats) throws IpcException
    {
        if (request.protocolMajor() != FrameDescriptor.PROTOCOL_MAJOR)
        {
            throw reject(RejectReason.VERSION_MISMATCH, new IpcProtocolException("protocol version mismatch: app=" +
                FrameDescriptor.PROTOCOL_MAJOR + "." + FrameDescriptor.PROTOCOL_MINOR + " client=" +
                request.protocolMajor() + "." + request.protocolMinor()));
        }
        if (frames.hasPartialFrame())
        {
            throw reject(RejectReason.PROTOCOL_ERROR, new IpcProtocolException("bytes after STATS: peerPid=" +
                peer.pid()));
        }
        Handshake.send(control, new Frame.StatsReply(FrameDescriptor.PROTOCOL_MAJOR, FrameDescriptor.PROTOCOL_MINOR,
            stats.get()));
        answered = true;
    }

    private void onHello(final Frame frame, final int openConnections) throws IpcException
    {
        if (!(frame instanceof Frame.Hello))
        {
            throw reject(RejectReason.PROTOCOL_ERROR, new IpcProtocolException("expected HELLO: got=" + frame +
                " peerPid=" + peer.pid()));
        }
        final Frame.Hello hello = (Frame.Hello)frame;
        if (hello.protocolMajor() != FrameDescriptor.PROTOCOL_MAJOR)
        {
            throw reject(RejectReason.VERSION_MISMATCH, new IpcProtocolException("protocol version mismatch: app=" +
                FrameDescriptor.PROTOCOL_MAJOR + "." + FrameDescriptor.PROTOCOL_MINOR + " client=" +
                hello.protocolMajor() + "." + hello.protocolMinor()));
        }
        clientWakesWords = hello.protocolMinor() >= FrameDescriptor.MINOR_WAKES_WORDS;
        opensAtWelcome = hello.protocolMinor() >= FrameDescriptor.MINOR_OPENS_AT_WELCOME;
        if (opensAtWelcome && frames.hasPartialFrame())
        {
            // Such a client sends nothing after HELLO: what follows could only be read as the end of the peer.
            throw reject(RejectReason.PROTOCOL_ERROR, new IpcProtocolException("bytes after HELLO: peerPid=" +
                peer.pid()));
        }
        if (openConnections >= options.maxConnections())
        {
            throw reject(RejectReason.TOO_MANY_CONNECTIONS, new IpcClosedException(
                "too many connections: open=" + openConnections + " maxConnections=" + options.maxConnections()));
        }

        layout = segments.layout();
        try
        {
            resources = segments.take();
        }
        catch (final IpcException ex)
        {
            throw reject(RejectReason.SERVER_ERROR, ex);
        }
        final long[] handles = resources.handlesForPeer();
        Handshake.send(control, new Frame.Welcome(FrameDescriptor.PROTOCOL_MAJOR, FrameDescriptor.PROTOCOL_MINOR,
            layout.ringCapacity(), options.maxMessageSize(), handles.length, layout.segmentLength(), platform.pid()),
            handles);
        resources.handlesSent();
        welcomed = true;
    }

    private SharedChannel onReady(final Frame frame) throws IpcException
    {
        if (frame instanceof Frame.Reject)
        {
            final Frame.Reject reject = (Frame.Reject)frame;
            throw new IpcProtocolException("client refused the connection: reason=" + reject.reason() + " " +
                reject.text() + " peerPid=" + peer.pid());
        }
        if (!(frame instanceof Frame.Ready))
        {
            throw new IpcProtocolException("expected READY: got=" + frame + " peerPid=" + peer.pid());
        }
        if (frames.hasPartialFrame())
        {
            throw new IpcProtocolException("bytes after READY: peerPid=" + peer.pid());
        }
        return open();
    }

    /** The handshake is over: the server's side of the channel, which now owns the segment and the control channel. */
    private SharedChannel open()
    {
        frames.close();
        final SharedChannel channel = new SharedChannel(resources, layout, options.maxMessageSize(), true, control,
            peer, options, clientWakesWords, platform.processBarrier(), waitsRunBarrier);
        resources = null;
        return channel;
    }

    private IpcException reject(final RejectReason reason, final IpcException ex)
    {
        Handshake.trySend(control, new Frame.Reject(reason, ex.getMessage()));
        return ex;
    }
}
