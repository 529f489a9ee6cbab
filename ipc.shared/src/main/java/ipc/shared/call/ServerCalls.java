package ipc.shared.call;

import static ipc.shared.codec.CallFrameDescriptor.FLAG_STREAM;
import static ipc.shared.codec.CallFrameDescriptor.HEADER_LENGTH;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CANCEL;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CREDIT;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ERROR;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REQUEST;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.ConcurrentHashMap;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcMessageHandler;
import ipc.api.IpcProtocolException;
import ipc.api.call.RequestHandler;
import ipc.api.call.RequestViewHandler;
import ipc.shared.codec.CallFrameCodec;
import ipc.shared.codec.CallHeader;
import ipc.shared.transport.SharedChannel;

/**
 * The server side of the calls on one connection: decodes each frame the client sends, hands requests to the
 * {@link RequestHandler} with a {@link ServerReply}, routes CANCEL and CREDIT to the active call they name.
 *
 * <p>Frames are read by one thread (the server's dispatcher, or the thread serving an accepted channel); replies may be
 * sent from any thread, so the active calls sit in a concurrent map. Containment: a malformed header, a client sending
 * a server-to-client kind, or a REQUEST reusing the id of an active call is a protocol violation that fails this
 * connection alone; a REQUEST beyond {@code maxActiveCalls} is answered with an ERROR and nothing is kept for it; a
 * CANCEL or CREDIT for an unknown id is ignored (the call may have just completed); credits saturate, so a huge grant
 * only means the handler never has to wait. A handler that throws fails its call with the exception's message.
 */
final class ServerCalls
{
    /** Most frames handled per poll when serving an accepted channel. */
    private static final int BATCH = 256;
    /** Most CANCELs kept for requests still to come; more are dropped (a hostile client's only). */
    private static final int MAX_EARLY_CANCELS = 64;
    /**
     * How far below the highest id of its sequence a CANCEL is still kept for a REQUEST that may come: a client's
     * threads write their REQUESTs in any order, a few ids apart.
     */
    private static final long REORDER_WINDOW = 64;
    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

    private final IpcChannel channel;
    /** The channel again when it is ours, which writes a frame's header beside its payload; else {@code null}. */
    private final SharedChannel prefixed;
    private final RequestHandler handler;
    /** The handler again when it reads requests in place, else {@code null}. */
    private final RequestViewHandler views;
    private final int maxActiveCalls;
    private final ConcurrentHashMap<Long, ServerReply> active = new ConcurrentHashMap<>();
    private final CallHeader header = new CallHeader();
    private final IpcMessageHandler recording = this::onFrameRecording;
    private volatile Thread readingThread;
    /**
     * The thread inside {@link #onFrame} (one at a time: the channel has one reader), else null: written by that
     * thread only, so a thread finds itself here only while it is in there. Only it may use {@link #frameBuffer}: a
     * thread that read the channel earlier and answers a call later must not, as another thread may be reading now.
     */
    private Thread framing;
    /** Used by the {@link #framing} thread only; made at the first frame put together (never on our own channels). */
    private ByteBuffer frameBuffer = ByteBuffer.allocate(0);
    private IpcException failure;
    /**
     * The highest request id seen of each parity (reading thread only): a well-behaved client's ids only grow, the
     * calls its caller-driven caller makes (even) apart from the others (odd).
     */
    private final long[] highestOfParity = new long[2];
    /**
     * CANCELs for ids not active, which may have overtaken their REQUEST: a caller that gave a call up while another
     * thread was still writing the REQUEST, whose id may be above the highest seen or, as a client's threads write
     * their REQUESTs in any order, a little below it (reading thread only; the latest {@link #MAX_EARLY_CANCELS},
     * oldest dropped first; a cancel that came after its call was over is kept too, and matches nothing).
     */
    private final LinkedHashSet<Long> earlyCancels = new LinkedHashSet<>();
    /** The highest id in {@link #earlyCancels}: a REQUEST above it needs no look there (the common case). */
    private long highestEarlyCancel;
    /** The connection closed ({@link #closed()}): a call its handler kept is cancelled, not entered. */
    private boolean closed;
    /** Streams whose item the reading thread refused for want of room (reading thread only; see roomForItem). */
    private final ArrayList<ServerReply> waitingForRoom = new ArrayList<>();

    ServerCalls(final IpcChannel channel, final RequestHandler handler, final int maxActiveCalls)
    {
        this.channel = channel;
        this.prefixed = channel instanceof SharedChannel ? (SharedChannel)channel : null;
        this.handler = handler;
        this.views = handler instanceof RequestViewHandler ? (RequestViewHandler)handler : null;
        this.maxActiveCalls = maxActiveCalls;
        if (null != prefixed)
        {
            prefixed.onQueueWritten(this::onQueueWritten);
        }
    }

    /**
     * Whether a stream's item may be sent now. On the reading thread of our own channel, not while earlier replies
     * wait for room in the client's ring: sent, the item would queue behind them, and a producer that is told
     * nothing would queue without end until the connection is closed for it. The stream's credit listener runs again
     * when they are written.
     *
     * @param reply the stream.
     * @return {@code false} if the item must wait for room.
     */
    boolean roomForItem(final ServerReply reply)
    {
        if (null == prefixed || !isReadingThread() || !prefixed.hasQueuedReplies())
        {
            return true;
        }
        if (!reply.waitingForRoom)
        {
            reply.waitingForRoom = true;
            waitingForRoom.add(reply);
        }
        return false;
    }

    /** The dispatcher wrote the queued replies: the streams refused for room go on. */
    private void onQueueWritten()
    {
        if (waitingForRoom.isEmpty())
        {
            return;
        }
        final ServerReply[] waiting = waitingForRoom.toArray(new ServerReply[0]);
        waitingForRoom.clear();
        for (final ServerReply reply : waiting)
        {
            reply.waitingForRoom = false;
            reply.roomAgain();
        }
    }

    /**
     * One frame from the client, on the reading thread.
     *
     * @param frame the message, between position and limit.
     * @throws IpcProtocolException if it breaks the call protocol: the caller closes the connection.
     * @throws IpcException         if an ERROR answer could not be sent.
     */
    void onFrame(final ByteBuffer frame) throws IpcException
    {
        final Thread current = Thread.currentThread();
        if (readingThread != current)
        {
            readingThread = current;
        }
        framing = current;
        try
        {
            onFrameFraming(frame);
        }
        finally
        {
            framing = null;
        }
    }

    private void onFrameFraming(final ByteBuffer frame) throws IpcException
    {
        CallFrameCodec.decode(frame, header);
        final long id = header.id();
        switch (header.kind())
        {
            case KIND_REQUEST:
                onRequest(frame, id);
                break;
            case KIND_CANCEL:
                final ServerReply cancelled = active.remove(id);
                if (null != cancelled)
                {
                    cancelled.cancel();
                }
                else if (id > highestOfParity[(int)(id & 1)] - REORDER_WINDOW)
                {
                    // Its REQUEST may be still to come: nobody will wait for it.
                    keepEarlyCancel(id);
                }
                break;
            case KIND_CREDIT:
                final ServerReply granted = active.get(id);
                if (null != granted)
                {
                    granted.addCredits(header.credits());
                }
                break;
            default:
                throw new IpcProtocolException("a client sent a server-to-client call frame: kind=" + header.kind() +
                    " id=" + id);
        }
    }

    private void onRequest(final ByteBuffer frame, final long id) throws IpcException
    {
        // Only an id at or below the highest seen of its sequence can name an active call: the common case skips
        // the lookup.
        final int parity = (int)(id & 1);
        if (id <= highestOfParity[parity] && active.containsKey(id))
        {
            throw new IpcProtocolException("a client reused the id of an active call: id=" + id);
        }
        highestOfParity[parity] = Math.max(highestOfParity[parity], id);
        if (id <= highestEarlyCancel && !earlyCancels.isEmpty() && earlyCancels.remove(id))
        {
            // Given up before it was sent: the handler would answer (or hold a reply for) nobody.
            return;
        }
        final boolean streamed = header.flags() == FLAG_STREAM;
        final int credits = header.credits();
        if (active.size() >= maxActiveCalls)
        {
            send(KIND_ERROR, id, CallFrameCodec.errorText("too many active calls: maxActiveCalls=" + maxActiveCalls));
            return;
        }
        final ServerReply reply = new ServerReply(this, id, streamed, credits);
        try
        {
            if (null != views)
            {
                // The frame is a read-only view of the ring (or of the reassembly buffer) that the channel sets for each
                // message and the handler may only use during the call: past the header, it is the request's view.
                views.onRequest(frame.position(header.payloadIndex()), reply);
            }
            else
            {
                final byte[] request = new byte[header.payloadLength()];
                frame.get(header.payloadIndex(), request);
                handler.onRequest(request, reply);
            }
        }
        catch (final Exception | Error ex)
        {
            reply.failQuietly(null == ex.getMessage() ? ex.getClass().getName() : ex.getMessage());
        }
        finally
        {
            // A call answered inside its handler (the common case) never enters the table: CANCEL and CREDIT frames
            // for it can only come later, on this thread. One answered later is entered now, whatever the handler
            // did (it may have handed the reply to a worker and then thrown). Another thread finishing it meanwhile
            // removes it only if it saw it registered, which may be before the put: so look again after it.
            if (reply.register())
            {
                if (closed)
                {
                    // The handler's own sends closed the connection: nobody will cancel it later.
                    reply.cancel();
                }
                else
                {
                    active.put(id, reply);
                    if (reply.isOver())
                    {
                        active.remove(id, reply);
                    }
                }
            }
        }
    }

    private void keepEarlyCancel(final long id)
    {
        if (earlyCancels.size() >= MAX_EARLY_CANCELS)
        {
            final Iterator<Long> oldest = earlyCancels.iterator();
            oldest.next();
            oldest.remove();
        }
        earlyCancels.add(id);
        highestEarlyCancel = Math.max(highestEarlyCancel, id);
    }

    /**
     * Serves an accepted channel for one batch, on the calling thread.
     *
     * @param timeout how long to wait for a first frame.
     * @throws IpcException a protocol violation, or the channel's failure (closed, peer closed).
     */
    void pollOnce(final Duration timeout) throws IpcException
    {
        channel.poll(recording, BATCH, timeout);
        if (null != failure)
        {
            throw failure;
        }
    }

    private void onFrameRecording(final ByteBuffer frame)
    {
        if (null != failure)
        {
            return;
        }
        try
        {
            onFrame(frame);
        }
        catch (final IpcException ex)
        {
            failure = ex;
        }
    }

    /**
     * Sends a header-only or payload frame of this connection's calls. On our own channel the header is written beside
     * the payload in the ring ({@link SharedChannel#sendPrefixed}). On another channel, inside {@link #onFrame} (an
     * answer from the handler, on the reading thread) the frame is put together in this connection's frame buffer (no
     * allocation; it grows to the largest frame up to {@value FrameBuffers#MAX_REUSED_FRAME} bytes) and sent from
     * there; elsewhere, and for larger frames, it is a new array. Every way, the send never waits on the server's dispatcher thread (the
     * channel queues a copy behind what is queued already) and may wait elsewhere.
     *
     * @param kind    the frame's kind.
     * @param id      the call's id.
     * @param payload the payload, or {@code null} for none.
     * @throws IpcException if the channel fails.
     */
    void send(final byte kind, final long id, final byte[] payload) throws IpcException
    {
        send(kind, id, null == payload ? null : ByteBuffer.wrap(payload));
    }

    /**
     * As {@link #send(byte, long, byte[])}, with the payload's remaining bytes (its position is not moved).
     *
     * @param kind    the frame's kind.
     * @param id      the call's id.
     * @param payload the payload, or {@code null} for none.
     * @throws IpcException if the channel fails.
     */
    void send(final byte kind, final long id, final ByteBuffer payload) throws IpcException
    {
        if (null != prefixed)
        {
            // Our own channel writes the header beside the payload in the ring: no frame put together here.
            prefixed.sendPrefixed(CallFrameCodec.headerWord(kind, (byte)0, 0), id, null == payload ? NO_PAYLOAD :
                payload);
            return;
        }
        final int payloadLength = null == payload ? 0 : payload.remaining();
        final int length = HEADER_LENGTH + payloadLength;
        ByteBuffer frame;
        if (length <= FrameBuffers.MAX_REUSED_FRAME && Thread.currentThread() == framing)
        {
            frame = FrameBuffers.holding(frameBuffer, length);
            frameBuffer = frame;
            frame.clear();
        }
        else
        {
            frame = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        }
        CallFrameCodec.putHeader(frame, 0, kind, (byte)0, 0, id);
        if (payloadLength > 0)
        {
            frame.put(HEADER_LENGTH, payload, payload.position(), payloadLength);
        }
        frame.limit(length);
        channel.send(frame);
    }

    /** A registered call completed: forget it (a call answered inside its handler was never entered). */
    void completed(final long id, final ServerReply reply)
    {
        active.remove(id, reply);
    }

    /** Whether the current thread reads this connection (and so must never wait on its client). */
    boolean isReadingThread()
    {
        return Thread.currentThread() == readingThread;
    }

    /** Marks the reading thread before the first frame (the dispatcher's, at open). */
    void readBy(final Thread thread)
    {
        readingThread = thread;
    }

    /** The connection closed: every active call is cancelled, waiting senders wake. */
    void closed()
    {
        closed = true;
        for (final ServerReply reply : active.values())
        {
            // Never throws: a credit listener's failure stays with its own call (ServerReply.runListener).
            reply.cancel();
        }
        active.clear();
    }

    /** Calls active now (for tests). */
    int activeCalls()
    {
        return active.size();
    }
}
