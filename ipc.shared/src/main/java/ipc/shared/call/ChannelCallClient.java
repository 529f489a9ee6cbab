package ipc.shared.call;

import static ipc.shared.codec.CallFrameDescriptor.FLAG_STREAM;
import static ipc.shared.codec.CallFrameDescriptor.HEADER_LENGTH;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CANCEL;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CREDIT;
import static ipc.shared.codec.CallFrameDescriptor.KIND_END;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ERROR;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ITEM;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REPLY;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REQUEST;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import ipc.api.IpcChannel;
import ipc.api.IpcClaim;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcMessageHandler;
import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;
import ipc.api.call.CallClient;
import ipc.api.call.CallDispatcher;
import ipc.api.call.CallOptions;
import ipc.api.call.CallStats;
import ipc.api.call.IpcRemoteException;
import ipc.shared.codec.CallFrameCodec;
import ipc.shared.codec.CallHeader;
import ipc.shared.concurrent.ReleaseStoreLock;
import ipc.shared.transport.SharedChannel;

/**
 * A {@link CallClient} on one channel.
 *
 * <h2>State and threads</h2>
 * The pending calls (by correlation id), their timers, the counters, and the control frames still owed to the
 * server (CANCEL, CREDIT) are guarded by one lock, held only for bookkeeping, never across a send or a completion.
 * One thread at a time reads the channel (the dispatcher, or the caller holding the poll lock): it decodes a batch
 * of frames, records each result in its call, and after the batch, without the lock, fires the completions, sends
 * what is owed, and expires the calls whose deadline passed. A synchronous {@link #call} of a caller-driven client is
 * lighter: no future and no timer, since its caller keeps the deadline in its own loop ({@link SyncCall}); the pending
 * calls sit in a table keyed by primitive ids ({@link CallTable}), and a turn with nothing owed and no timer queued
 * takes the lock only for the frames it reads. When no other thread reads, a synchronous call does not enter the table
 * at all: its thread holds the poll lock from before its request goes out until the call is over, so nobody else can
 * see or complete it ({@link #callOwned}; even ids, where the table's are odd).
 *
 * <h2>Never waiting where it must not</h2>
 * A request is sent by the caller's thread, which may wait for room in the ring. CANCEL and CREDIT frames are sent
 * without waiting (a claim with a zero timeout); when the ring is full they stay owed and the reading thread sends
 * them on its next turn, so the dispatcher never waits on a server that does not read.
 *
 * <h2>Hostile input</h2>
 * A malformed header, a server-to-client kind that a server must not send, or an id this client never issued is a
 * protocol violation: the channel closes and every pending call fails with the {@link IpcProtocolException}. A frame
 * that does not fit its call (an ITEM beyond the credits granted, a stream frame on a plain call) fails only that
 * call, and a CANCEL tells the server. A frame for an id that has completed is dropped and counted as late.
 */
final class ChannelCallClient implements CallClient
{
    /** Most frames handled per poll: enough to amortize the poll, few enough to keep timers prompt. */
    private static final int BATCH = 256;
    /** The calling thread's reused request frame buffer ({@link FrameBuffers}). */
    private static final ThreadLocal<ByteBuffer> FRAME_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(0));
    /** Most CANCEL frames kept owed while the ring stays full; later ones are dropped (cancel is best effort). */
    private static final int MAX_OWED_CANCELS = 65_536;
    /** Longest single wait of a caller-driven {@link #call}: it re-checks the timers at least this often. */
    private static final long MAX_CALLER_BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How long past its timeout a blocking call on a dispatcher-driven client waits for the dispatcher to complete it
     * (it fails the call at the timeout itself), before it gives up on that dispatcher.
     */
    private static final long DISPATCHER_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration MAX_BLOCK = Duration.ofNanos(CallDispatcher.MAX_BLOCK_NANOS);
    private static final Duration MAX_CALLER_BLOCK = Duration.ofNanos(MAX_CALLER_BLOCK_NANOS);

    private static final VarHandle OWNED_REQUESTS;
    private static final VarHandle OWNED_REPLIES;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            OWNED_REQUESTS = lookup.findVarHandle(ChannelCallClient.class, "ownedRequests", long.class);
            OWNED_REPLIES = lookup.findVarHandle(ChannelCallClient.class, "ownedReplies", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final IpcChannel channel;
    /** The channel again when it is ours, which writes a frame's header beside its payload; else {@code null}. */
    private final SharedChannel prefixed;
    private final Executor executor;
    private final ClientDispatcher dispatcher;
    private final int maxCredits;

    private final ReleaseStoreLock lock = new ReleaseStoreLock();
    private final CallTable pending = new CallTable();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ArrayDeque<Long> owedCancels = new ArrayDeque<>();
    private final ArrayDeque<StreamCall> owedCredits = new ArrayDeque<>();
    /** The last id of a call in the table: odd ids (see {@link #owned}). */
    private long lastId = -1;
    /** Set once, with {@link #closeCause} written before it: read without the lock by a caller that owns the reader. */
    private volatile boolean closed;
    private IpcException closeCause;
    private long requests;
    private long replies;
    private long items;
    private long remoteErrors;
    private long timeouts;
    private long cancels;
    private long lateReplies;
    /** Pending calls plus owed control frames: what makes the dispatcher read this channel. */
    private volatile int work;
    /** Owed control frames, and timers queued: hints that let the reading thread skip the lock when both are 0. */
    private volatile int owedFrames;
    private volatile int timersQueued;

    private final ReleaseStoreLock pollLock = new ReleaseStoreLock();
    private final CallHeader header = new CallHeader();
    private final ArrayList<ClientCall> ready = new ArrayList<>();
    private final ArrayList<ClientCall> expired = new ArrayList<>();
    private final IpcMessageHandler frames = this::onFrame;
    /** See {@link #pollTimeout(long)}; reading thread only. */
    private Duration lastPollTimeout = Duration.ZERO;
    /**
     * The synchronous call of the thread that holds the poll lock for the whole call ({@link #callOwned}), or
     * {@code null}: it stays out of the table, and its reply is recorded without the lock. Its id comes from
     * {@link #lastOwnedId}, even numbers, so it can never clash with a table call's odd id. Both are guarded by the
     * poll lock.
     */
    private SyncCall owned;
    /**
     * The last owned call's object, kept for its caller's next owned call: a sequential caller allocates nothing per
     * call. Only the thread it was made for uses it again (it reads the outcome after it let go of the poll lock); a
     * call from another thread replaces it. Guarded by the poll lock.
     */
    private SyncCall spareOwned;
    private long lastOwnedId;
    /**
     * The frame buffer of owned calls' requests (as {@link #FRAME_BUFFER}, up to its bound): empty until the first
     * request is put together (never on our own channels), then grown as needed.
     */
    private ByteBuffer ownedFrame = ByteBuffer.allocate(0);
    /** Calls and replies of owned calls: written by the poll lock's holder, read by {@link #stats()} (opaque). */
    private long ownedRequests;
    private long ownedReplies;
    private IpcProtocolException violation;

    ChannelCallClient(final IpcChannel channel, final CallOptions options, final ClientDispatcher dispatcher)
    {
        this.channel = channel;
        this.prefixed = channel instanceof SharedChannel ? (SharedChannel)channel : null;
        this.executor = options.completionExecutor().orElse(null);
        this.dispatcher = dispatcher;
        this.maxCredits = options.maxCredits();
        if (null != dispatcher)
        {
            try
            {
                dispatcher.add(this);
            }
            catch (final IllegalStateException ex)
            {
                // The dispatcher closed: no client, and the channel it was given to own is closed as its close would.
                channel.close();
                throw ex;
            }
        }
    }

    // ---------------------------------------------------------------- calling

    @Override
    public CompletableFuture<byte[]> request(final byte[] request, final Duration timeout)
    {
        Objects.requireNonNull(request, "request");
        final PlainCall call = new PlainCall(this, positiveNanos(timeout, "timeout"), executor);
        final IpcException refused = register(call);
        if (null != refused)
        {
            call.future().completeExceptionally(refused);
            return call.future();
        }
        sendRequest(call, (byte)0, 0, ByteBuffer.wrap(request), timeout);
        return call.future();
    }

    @Override
    public byte[] call(final byte[] request, final Duration timeout) throws IpcException
    {
        if (null == dispatcher)
        {
            return callDriven(request, timeout);
        }
        refuseOnDispatcherThread();
        final CompletableFuture<byte[]> future = request(request, timeout);
        // A reply often comes within a channel's spin window: spin that long before parking this thread, so a
        // sequential caller does not pay a wake-up per call.
        final long start = System.nanoTime();
        while (!future.isDone() && System.nanoTime() - start < ClientDispatcher.IDLE_SPIN_NANOS)
        {
            Thread.onSpinWait();
        }
        try
        {
            // The dispatcher fails the call at its timeout; the bound here only keeps a caller from waiting for ever
            // on a dispatcher that can no longer do that.
            return future.get(saturatedAdd(positiveNanos(timeout, "timeout"), DISPATCHER_GRACE_NANOS),
                TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            future.cancel(false);
            throw new IpcTimeoutException("call not completed by its dispatcher within its timeout: channel=" +
                channel + " dispatcher=" + dispatcher, ex);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof IpcException)
            {
                throw (IpcException)cause;
            }
            throw new IpcException("call failed: " + cause, cause);
        }
        catch (final CancellationException ex)
        {
            throw new IpcException("call cancelled: channel=" + channel, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new IpcTimeoutException("call interrupted: channel=" + channel, ex);
        }
    }

    @Override
    public int call(final ByteBuffer request, final ByteBuffer reply, final Duration timeout) throws IpcException
    {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reply, "reply");
        if (reply.isReadOnly())
        {
            throw new IllegalArgumentException("the reply buffer is read-only");
        }
        if (null == dispatcher)
        {
            final int length = callDriven(request, timeout, reply).replyLength();
            request.position(request.limit());
            reply.position(reply.position() + length);
            return length;
        }
        final byte[] bytes = new byte[request.remaining()];
        request.get(request.position(), bytes);
        final byte[] answer = call(bytes, timeout);
        if (answer.length > reply.remaining())
        {
            throw new IpcMessageTooLargeException(tooLarge(answer.length, reply.remaining()));
        }
        request.position(request.limit());
        reply.put(answer);
        return answer.length;
    }

    static String tooLarge(final int length, final int room)
    {
        return "the reply does not fit the buffer: length=" + length + " remaining=" + room;
    }

    /**
     * A caller-driven call: this thread reads the channel until its reply comes (or waits for the thread that reads
     * it), and keeps its own deadline, so the call costs no future, no timer and one clock read when the reply comes
     * within the first wait.
     */
    private byte[] callDriven(final byte[] request, final Duration timeout) throws IpcException
    {
        Objects.requireNonNull(request, "request");
        return callDriven(ByteBuffer.wrap(request), timeout, null).result();
    }

    /**
     * A caller-driven call, owned ({@link #callOwned}) if no other thread reads, else through the table.
     *
     * @param destination where the reply goes, or {@code null} for a new array.
     * @return the call, over.
     */
    private SyncCall callDriven(final ByteBuffer request, final Duration timeout, final ByteBuffer destination)
        throws IpcException
    {
        if (pollLock.isHeldByCurrentThread())
        {
            throw new IllegalStateException("a call from a completion on the thread that reads this client would " +
                "wait for its own reading: use request, or a completion executor " + channel);
        }
        final SyncCall alone = callOwned(request, timeout, destination);
        if (null != alone)
        {
            return alone;
        }
        final SyncCall call = startDriven(timeout, destination);
        sendRequest(call, (byte)0, 0, request, timeout);
        awaitDriven(call, false);
        return call;
    }

    /**
     * A caller-driven call made while no other thread reads the channel (the common case of a sequential caller):
     * this thread keeps the poll lock from before the request goes out until the call is over, so the call is its
     * alone to complete. It stays out of the table (no lock to enter it, none to find it when its reply comes), which
     * saves two atomic instructions per call; every other frame read meanwhile is handled as usual.
     *
     * @return the call, over; {@code null} if another thread holds the poll lock (use the table then).
     */
    private SyncCall callOwned(final ByteBuffer request, final Duration timeout, final ByteBuffer destination)
        throws IpcException
    {
        final long timeoutNanos = positiveNanos(timeout, "timeout");
        if (!pollLock.tryLock())
        {
            return null;
        }
        try
        {
            if (closed)
            {
                throw closeCause;
            }
            final Thread caller = Thread.currentThread();
            SyncCall call = spareOwned;
            if (null != call && call.caller() == caller)
            {
                call.reuse(timeoutNanos, destination);
            }
            else
            {
                call = new SyncCall(timeoutNanos, caller, destination);
                spareOwned = call;
            }
            lastOwnedId += 2;
            call.id = lastOwnedId;
            owned = call;
            OWNED_REQUESTS.setOpaque(this, ownedRequests + 1);
            sendRequest(call, (byte)0, 0, request, timeout);
            awaitDriven(call, true);
            return call;
        }
        finally
        {
            owned = null;
            pollLock.unlock();
        }
    }

    /** Registers a caller-driven call, whose reply goes into {@code destination} (or a new array if null). */
    private SyncCall startDriven(final Duration timeout, final ByteBuffer destination) throws IpcException
    {
        final SyncCall call = new SyncCall(positiveNanos(timeout, "timeout"), Thread.currentThread(), destination);
        final IpcException refused;
        lock.lock();
        try
        {
            refused = registerLocked(call);
        }
        finally
        {
            lock.unlock();
        }
        if (null != refused)
        {
            throw refused;
        }
        return call;
    }

    /**
     * Reads the channel (or waits for the thread that does) until the call is over: its outcome recorded, or timed
     * out, or interrupted.
     *
     * @param call   the call.
     * @param reader whether this thread holds the poll lock throughout ({@link #callOwned}).
     */
    private void awaitDriven(final SyncCall call, final boolean reader) throws IpcException
    {
        final long timeoutNanos = call.timeoutNanos;
        // The clock is read only if the first wait does not end the call (a clock read costs a twentieth of a round
        // trip here). That wait is at most a sixteenth of the timeout: if it read the channel and ended with no frame
        // it took all of it, else (frames of other calls, or a park while another thread reads) at most all of it.
        // So the deadline is never early, and late by at most a sixteenth of the timeout.
        final long firstWait = Math.max(1, Math.min(timeoutNanos >> 4, MAX_CALLER_BLOCK_NANOS));
        final int firstFrames = reader ? readOwned(call, firstWait) : driveOnce(call, firstWait);
        if (call.isOver())
        {
            return;
        }
        final long afterFirst = System.nanoTime();
        final long left = 0 == firstFrames ? timeoutNanos - firstWait : timeoutNanos;
        final long deadline = saturatedAdd(afterFirst, left);
        long wait = Math.max(1, Math.min(left, MAX_CALLER_BLOCK_NANOS));
        while (true)
        {
            if (Thread.currentThread().isInterrupted())
            {
                if (reader ? abandonOwned(call, false) : abandon(call, false))
                {
                    throw new IpcTimeoutException("call interrupted: id=" + call.id + " channel=" + channel);
                }
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0 && (reader ? abandonOwned(call, true) : abandon(call, true)))
            {
                throw new IpcTimeoutException("call timed out: id=" + call.id + " timeoutMillis=" +
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " channel=" + channel);
            }
            // A call that another thread completed as it timed out has its outcome on the way: wait a little for it.
            wait = Math.max(1, Math.min(remaining, wait));
            if (reader)
            {
                readOwned(call, wait);
            }
            else
            {
                driveOnce(call, wait);
            }
            if (call.isOver())
            {
                return;
            }
            wait = MAX_CALLER_BLOCK_NANOS;
        }
    }

    /**
     * One turn of an owned call ({@link #callOwned}): this thread holds the poll lock and reads the channel for up to
     * {@code waitNanos}. A failure of the channel fails every call in the table and this one.
     *
     * @return the frames handled, or -1 if the call was over already.
     */
    private int readOwned(final SyncCall call, final long waitNanos)
    {
        if (call.isOver())
        {
            // Failed before its first turn: its request could not be sent.
            return -1;
        }
        try
        {
            return pollOnce(timersQueued > 0 ? Math.min(waitNanos, nanosToNextDeadline()) : waitNanos);
        }
        catch (final IpcException ex)
        {
            // pollOnce closed the client (or found it closed): fail this call with the cause every call failed with.
            if (!call.isOver())
            {
                owned = null;
                call.failNow(closed ? closeCause : ex);
            }
            return 0;
        }
    }

    /**
     * Gives up an owned call: this thread is the only one that could complete it, so it always succeeds. Tells the
     * server, best effort, as {@link #abandon} does.
     *
     * @return {@code true}.
     */
    private boolean abandonOwned(final SyncCall call, final boolean timedOut)
    {
        owned = null;
        call.done = true;
        final boolean shut;
        lock.lock();
        try
        {
            shut = countGivenUpLocked(timedOut);
        }
        finally
        {
            lock.unlock();
        }
        if (!shut)
        {
            cancelOrOwe(call.id);
        }
        return true;
    }

    /**
     * One turn of a caller-driven call: reads the channel for up to {@code waitNanos} if no other thread does, else
     * waits that long at most for the thread that does to complete the call.
     *
     * @return the frames this thread handled (0 only if it waited all of {@code waitNanos} for none, or failed),
     *         or -1 if it parked while another thread reads.
     */
    private int driveOnce(final SyncCall call, final long waitNanos)
    {
        if (!pollLock.tryLock())
        {
            LockSupport.parkNanos(this, Math.min(waitNanos, CallDispatcher.MAX_BLOCK_NANOS));
            return -1;
        }
        try
        {
            if (call.isOver())
            {
                return -1;
            }
            return pollOnce(timersQueued > 0 ? Math.min(waitNanos, nanosToNextDeadline()) : waitNanos);
        }
        catch (final IpcException ex)
        {
            // Every pending call, this one included, failed with it.
            return 0;
        }
        finally
        {
            pollLock.unlock();
        }
    }

    @Override
    public Flow.Publisher<byte[]> stream(final byte[] request, final Duration idleTimeout)
    {
        final byte[] copy = Objects.requireNonNull(request, "request").clone();
        final long idleNanos = positiveNanos(idleTimeout, "idleTimeout");
        final AtomicBoolean subscribed = new AtomicBoolean();
        return subscriber ->
        {
            Objects.requireNonNull(subscriber, "subscriber");
            if (!subscribed.compareAndSet(false, true))
            {
                subscriber.onSubscribe(new Flow.Subscription()
                {
                    @Override
                    public void request(final long n)
                    {
                    }

                    @Override
                    public void cancel()
                    {
                    }
                });
                subscriber.onError(new IllegalStateException("a call's stream has one subscriber"));
                return;
            }
            final StreamCall call = new StreamCall(this, subscriber, idleNanos, executor);
            subscriber.onSubscribe(call);
            start(call, copy);
        };
    }

    private void start(final StreamCall call, final byte[] request)
    {
        final int credits;
        final IpcException refused;
        lock.lock();
        try
        {
            if (call.isCancelled())
            {
                call.done = true;
                return;
            }
            refused = registerLocked(call);
            credits = (int)Math.min(call.demand, maxCredits);
            call.outstanding = credits;
            if (credits > 0)
            {
                armLocked(call, System.nanoTime());
            }
        }
        finally
        {
            lock.unlock();
        }
        if (null != refused)
        {
            call.failNow(refused);
            return;
        }
        if (!sendRequest(call, FLAG_STREAM, credits, ByteBuffer.wrap(request), Duration.ofNanos(call.timeoutNanos)))
        {
            return;
        }
        // Only now may credits and a cancel follow the REQUEST: what was requested or given up meanwhile goes now.
        final boolean cancel;
        final int grant;
        lock.lock();
        try
        {
            call.started = true;
            cancel = call.cancelAfterRequest && !closed;
            grant = cancel ? 0 : grantLocked(call);
        }
        finally
        {
            lock.unlock();
        }
        if (cancel)
        {
            cancelOrOwe(call.id);
        }
        else
        {
            sendGrant(call, grant);
        }
    }

    private IpcException register(final ClientCall call)
    {
        final IpcException refused;
        lock.lock();
        try
        {
            refused = registerLocked(call);
            if (null == refused)
            {
                armLocked(call, System.nanoTime());
            }
        }
        finally
        {
            lock.unlock();
        }
        return refused;
    }

    private IpcException registerLocked(final ClientCall call)
    {
        if (closed)
        {
            call.done = true;
            return closeCause;
        }
        lastId += 2;
        call.id = lastId;
        pending.put(call.id, call);
        requests++;
        updateWorkLocked();
        return null;
    }

    /** Sets a call's deadline from now and makes sure a timer refers to it. */
    private void armLocked(final ClientCall call, final long now)
    {
        final long deadline = now + call.timeoutNanos;
        call.deadlineNanos = deadline < now ? Long.MAX_VALUE - 1 : deadline;
        if (!call.timerQueued)
        {
            call.timerQueued = true;
            timers.add(new Timer(call.deadlineNanos, call));
            timersQueued = timers.size();
        }
    }

    /**
     * Sends a call's REQUEST frame with the request's remaining bytes (its position is not moved).
     *
     * @return {@code false} if it could not be sent: the call failed with the reason, unless it was given up.
     */
    private boolean sendRequest(final ClientCall call, final byte flags, final int credits, final ByteBuffer request,
        final Duration timeout)
    {
        try
        {
            if (null != prefixed)
            {
                // Our own channel writes the header beside the request in the ring: no frame put together here.
                prefixed.sendPrefixed(CallFrameCodec.headerWord(KIND_REQUEST, flags, credits), call.id, request,
                    timeout);
            }
            else
            {
                sendFramed(call, flags, credits, request, timeout);
            }
        }
        catch (final IpcException ex)
        {
            final boolean removed;
            lock.lock();
            try
            {
                removed = removeLocked(call);
            }
            finally
            {
                lock.unlock();
            }
            if (removed)
            {
                call.failNow(ex);
            }
            return false;
        }
        if (null != dispatcher)
        {
            dispatcher.signal();
        }
        return true;
    }

    /** Puts a REQUEST frame together in a buffer and sends it: for a channel that is not ours. */
    private void sendFramed(final ClientCall call, final byte flags, final int credits, final ByteBuffer request,
        final Duration timeout) throws IpcException
    {
        final int payloadLength = request.remaining();
        final int length = HEADER_LENGTH + payloadLength;
        ByteBuffer frame;
        if (length <= FrameBuffers.MAX_REUSED_FRAME)
        {
            // Put together in a reused frame buffer, the poll lock holder's own call's or else this thread's: no
            // allocation per call, one more copy of a small frame.
            final boolean reader = call == owned;
            final ByteBuffer kept = reader ? ownedFrame : FRAME_BUFFER.get();
            frame = FrameBuffers.holding(kept, length);
            if (frame != kept)
            {
                if (reader)
                {
                    ownedFrame = frame;
                }
                else
                {
                    FRAME_BUFFER.set(frame);
                }
            }
            frame.clear();
        }
        else
        {
            frame = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        }
        CallFrameCodec.putHeader(frame, 0, KIND_REQUEST, flags, credits, call.id);
        frame.put(HEADER_LENGTH, request, request.position(), payloadLength);
        frame.limit(length);
        channel.send(frame, timeout);
    }

    // ---------------------------------------------------------------- cancel and credits (any thread)

    /** The caller gave up a call: forget it and tell the server, best effort. */
    void cancel(final ClientCall call)
    {
        abandon(call, false);
    }

    /**
     * Forgets a call its caller gave up (cancelled, interrupted, or timed out in the caller's own loop) and tells the
     * server, best effort.
     *
     * @return {@code false} if the call had already left the pending set (its outcome is on the way).
     */
    private boolean abandon(final ClientCall call, final boolean timedOut)
    {
        final long id;
        lock.lock();
        try
        {
            if (call.done || 0 == call.id)
            {
                call.done = true;
                return false;
            }
            removeLocked(call);
            if (countGivenUpLocked(timedOut))
            {
                return true;
            }
            if (call instanceof StreamCall && !((StreamCall)call).started)
            {
                // Its REQUEST is not in the ring yet: a CANCEL now would reach the server first and be dropped.
                ((StreamCall)call).cancelAfterRequest = true;
                return true;
            }
            id = call.id;
        }
        finally
        {
            lock.unlock();
        }
        cancelOrOwe(id);
        return true;
    }

    /**
     * Counts a call its caller gave up, as a timeout or a cancel.
     *
     * @return whether the client is closed: then no CANCEL is sent.
     */
    private boolean countGivenUpLocked(final boolean timedOut)
    {
        if (timedOut)
        {
            timeouts++;
        }
        else
        {
            cancels++;
        }
        return closed;
    }

    /** Sends a CANCEL for a call given up, or owes it to the reading thread's next turn if the ring is full. */
    private void cancelOrOwe(final long id)
    {
        if (!trySendControl(KIND_CANCEL, 0, id))
        {
            lock.lock();
            try
            {
                if (owedCancels.size() < MAX_OWED_CANCELS)
                {
                    owedCancels.add(id);
                    updateWorkLocked();
                }
            }
            finally
            {
                lock.unlock();
            }
            signalDispatcher();
        }
    }

    /** The subscriber requested more items: grant credits now if the ring has room, else on the next turn. */
    void addDemand(final StreamCall call, final long n)
    {
        final int grant;
        lock.lock();
        try
        {
            if (call.done)
            {
                return;
            }
            call.demand = saturatedAdd(call.demand, n);
            if (!call.started)
            {
                return;
            }
            grant = grantLocked(call);
        }
        finally
        {
            lock.unlock();
        }
        sendGrant(call, grant);
    }

    /** Sends a CREDIT for a grant now if the ring has room, else owes it to the reading thread's next turn. */
    private void sendGrant(final StreamCall call, final int grant)
    {
        if (grant > 0 && !trySendControl(KIND_CREDIT, grant, call.id))
        {
            lock.lock();
            try
            {
                oweCreditsLocked(call, grant);
            }
            finally
            {
                lock.unlock();
            }
            signalDispatcher();
        }
    }

    /**
     * How many credits to grant now (already counted as outstanding): enough to bring the outstanding credits to
     * {@code min(demand, maxCredits)}, batched to half a window while the server still holds some.
     */
    private int grantLocked(final StreamCall call)
    {
        if (call.done || call.creditsOwed)
        {
            return 0;
        }
        final int target = (int)Math.min(call.demand, maxCredits);
        final int want = target - call.outstanding;
        if (want <= 0 || (call.outstanding > 0 && want < maxCredits / 2))
        {
            return 0;
        }
        call.outstanding += want;
        armLocked(call, System.nanoTime());
        return want;
    }

    /** A grant could not be sent: take it back and leave the stream in the owed queue. */
    private void oweCreditsLocked(final StreamCall call, final int grant)
    {
        call.outstanding -= grant;
        if (!call.done && !call.creditsOwed)
        {
            call.creditsOwed = true;
            owedCredits.add(call);
            updateWorkLocked();
        }
    }

    /** Sends a header-only frame without waiting for room or for another sender. */
    private boolean trySendControl(final byte kind, final int credits, final long id)
    {
        try (IpcClaim claim = channel.claim(HEADER_LENGTH, Duration.ZERO))
        {
            CallFrameCodec.putHeader(claim.buffer(), 0, kind, (byte)0, credits, id);
            claim.commit();
            return true;
        }
        catch (final IpcException ex)
        {
            // Full ring, a sender in the way, or a closed channel (the reading thread learns that on its own).
            return false;
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public int poll(final Duration timeout) throws IpcException
    {
        if (null != dispatcher)
        {
            throw new IllegalStateException("a dispatcher drives this client: " + dispatcher);
        }
        final long nanos = nonNegativeNanos(timeout);
        if (pollLock.isHeldByCurrentThread())
        {
            throw new IllegalStateException("poll from a completion on the thread that reads this client: it is " +
                "reading already " + channel);
        }
        pollLock.lock();
        try
        {
            return pollOnce(nanos);
        }
        finally
        {
            pollLock.unlock();
        }
    }

    /**
     * Whether the dispatcher has something to do here: calls pending or frames owed (kept only when a dispatcher
     * drives this client).
     *
     * @return {@code true} if it should read this channel.
     */
    boolean hasWork()
    {
        return work > 0;
    }

    /**
     * Nanoseconds until the earliest timer, 0 if one is due; {@link Long#MAX_VALUE} if none.
     *
     * @return nanoseconds.
     */
    long nanosToNextDeadline()
    {
        if (0 == timersQueued)
        {
            return Long.MAX_VALUE;
        }
        lock.lock();
        try
        {
            final Timer first = timers.peek();
            return null == first ? Long.MAX_VALUE : Math.max(0, first.deadlineNanos - System.nanoTime());
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * One turn of the reading thread: a batch of frames, then completions, owed frames and timers.
     *
     * @param timeoutNanos how long to wait for a first frame.
     * @return the frames handled.
     * @throws IpcException the failure that closed the client (every pending call failed with it).
     */
    int pollOnce(final long timeoutNanos) throws IpcException
    {
        final int handled;
        try
        {
            handled = channel.poll(frames, BATCH, pollTimeout(timeoutNanos));
        }
        catch (final IpcException ex)
        {
            fireReady();
            failAll(ex);
            throw ex;
        }
        fireReady();
        final IpcProtocolException broken = violation;
        if (null != broken)
        {
            failAll(broken);
            throw broken;
        }
        if (owedFrames > 0)
        {
            flushOwed();
        }
        if (timersQueued > 0)
        {
            expire(System.nanoTime());
        }
        return handled;
    }

    private void onFrame(final ByteBuffer frame)
    {
        if (null != violation)
        {
            return;
        }
        try
        {
            CallFrameCodec.decode(frame, header);
        }
        catch (final IpcProtocolException ex)
        {
            violation = ex;
            return;
        }
        final byte kind = header.kind();
        final long id = header.id();
        if (kind == KIND_REQUEST || kind == KIND_CANCEL || kind == KIND_CREDIT)
        {
            violation = new IpcProtocolException("a server sent a client-to-server call frame: kind=" + kind +
                " id=" + id);
            return;
        }
        final SyncCall mine = owned;
        final boolean isMine = null != mine && id == mine.id;
        if (isMine && kind == KIND_REPLY)
        {
            // This thread's own call (it holds the poll lock until the call is over): no lock, no table.
            // Its completion runs no user code (it sets a flag this thread reads), so it needs no wait for the batch's
            // end either.
            owned = null;
            mine.done = true;
            mine.recordReply(frame, header.payloadIndex(), header.payloadLength());
            OWNED_REPLIES.setOpaque(this, ownedReplies + 1);
            mine.fire();
            return;
        }
        // The payload is copied under the lock: a caller that gave up its call (timed out, interrupted) took it out of
        // the table under the lock too, so nothing is copied into its buffer after it has returned.
        lock.lock();
        try
        {
            final ClientCall call;
            if (isMine)
            {
                owned = null;
                call = mine;
            }
            else
            {
                call = pending.get(id);
            }
            if (null == call)
            {
                if (id <= (0 == (id & 1) ? lastOwnedId : lastId))
                {
                    lateReplies++;
                }
                else
                {
                    violation = new IpcProtocolException("a server answered a call never made: id=" + id +
                        " lastId=" + lastId + " lastOwnedId=" + lastOwnedId + " kind=" + kind);
                }
                return;
            }
            switch (kind)
            {
                case KIND_REPLY:
                    if (call.recordReply(frame, header.payloadIndex(), header.payloadLength()))
                    {
                        removeLocked(call);
                        replies++;
                        readyLocked(call);
                    }
                    else
                    {
                        failCallLocked(call, "REPLY on a streamed call");
                    }
                    break;
                case KIND_ERROR:
                    removeLocked(call);
                    replies++;
                    remoteErrors++;
                    call.recordFailure(new IpcRemoteException(CallFrameCodec.errorMessage(payload(frame))));
                    readyLocked(call);
                    break;
                case KIND_ITEM:
                    onItemLocked(call, payload(frame));
                    break;
                default:
                    if (call instanceof StreamCall)
                    {
                        removeLocked(call);
                        replies++;
                        ((StreamCall)call).recordEnd();
                        readyLocked(call);
                    }
                    else
                    {
                        failCallLocked(call, "END on a plain call");
                    }
                    break;
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /** The current frame's payload, a new array. */
    private byte[] payload(final ByteBuffer frame)
    {
        final byte[] payload = new byte[header.payloadLength()];
        frame.get(header.payloadIndex(), payload);
        return payload;
    }

    private void onItemLocked(final ClientCall call, final byte[] payload)
    {
        if (!(call instanceof StreamCall))
        {
            failCallLocked(call, "ITEM on a plain call");
            return;
        }
        final StreamCall stream = (StreamCall)call;
        if (stream.outstanding <= 0)
        {
            failCallLocked(call, "ITEM beyond the credits granted");
            return;
        }
        stream.outstanding--;
        if (stream.demand != Long.MAX_VALUE)
        {
            stream.demand--;
        }
        items++;
        stream.recordItem(payload);
        readyLocked(stream);
        if (stream.outstanding > 0)
        {
            armLocked(stream, System.nanoTime());
        }
        else
        {
            stream.deadlineNanos = Long.MAX_VALUE;
        }
        final int target = (int)Math.min(stream.demand, maxCredits);
        if (!stream.creditsOwed && target - stream.outstanding > 0 &&
            (stream.outstanding == 0 || target - stream.outstanding >= maxCredits / 2))
        {
            stream.creditsOwed = true;
            owedCredits.add(stream);
            updateWorkLocked();
        }
    }

    /** A frame that does not fit its call fails that call alone; the server is told to stop. */
    private void failCallLocked(final ClientCall call, final String what)
    {
        removeLocked(call);
        call.recordFailure(new IpcProtocolException("call frame does not fit its call: " + what + " id=" + call.id));
        readyLocked(call);
        if (owedCancels.size() < MAX_OWED_CANCELS)
        {
            owedCancels.add(call.id);
            updateWorkLocked();
        }
    }

    private void readyLocked(final ClientCall call)
    {
        if (!call.readied)
        {
            call.readied = true;
            ready.add(call);
        }
    }

    private void fireReady()
    {
        for (int i = 0; i < ready.size(); i++)
        {
            final ClientCall call = ready.get(i);
            call.readied = false;
            call.fire();
        }
        ready.clear();
    }

    /** Sends owed CANCEL and CREDIT frames until the ring refuses one. */
    private void flushOwed()
    {
        while (true)
        {
            long cancelId = 0;
            StreamCall stream = null;
            int grant = 0;
            lock.lock();
            try
            {
                if (closed)
                {
                    return;
                }
                if (!owedCancels.isEmpty())
                {
                    cancelId = owedCancels.peek();
                }
                else if (!owedCredits.isEmpty())
                {
                    stream = owedCredits.poll();
                    stream.creditsOwed = false;
                    grant = grantLocked(stream);
                    if (0 == grant)
                    {
                        updateWorkLocked();
                        continue;
                    }
                }
                else
                {
                    return;
                }
            }
            finally
            {
                lock.unlock();
            }
            final boolean sent = 0 != cancelId ? trySendControl(KIND_CANCEL, 0, cancelId) :
                trySendControl(KIND_CREDIT, grant, stream.id);
            lock.lock();
            try
            {
                if (0 != cancelId && sent)
                {
                    owedCancels.poll();
                }
                else if (null != stream && !sent)
                {
                    oweCreditsLocked(stream, grant);
                }
                updateWorkLocked();
            }
            finally
            {
                lock.unlock();
            }
            if (!sent)
            {
                return;
            }
        }
    }

    /** Fails the calls whose deadline passed, and tells the server, best effort. */
    private void expire(final long now)
    {
        lock.lock();
        try
        {
            while (!timers.isEmpty() && timers.peek().deadlineNanos <= now)
            {
                final ClientCall call = timers.poll().call;
                call.timerQueued = false;
                if (call.done)
                {
                    continue;
                }
                if (call.deadlineNanos > now)
                {
                    if (call.deadlineNanos != Long.MAX_VALUE)
                    {
                        call.timerQueued = true;
                        timers.add(new Timer(call.deadlineNanos, call));
                    }
                    continue;
                }
                removeLocked(call);
                timeouts++;
                expired.add(call);
                if (owedCancels.size() < MAX_OWED_CANCELS)
                {
                    owedCancels.add(call.id);
                }
            }
            timersQueued = timers.size();
            updateWorkLocked();
        }
        finally
        {
            lock.unlock();
        }
        if (!expired.isEmpty())
        {
            for (int i = 0; i < expired.size(); i++)
            {
                final ClientCall call = expired.get(i);
                call.failNow(new IpcTimeoutException("call timed out: id=" + call.id + " timeoutMillis=" +
                    TimeUnit.NANOSECONDS.toMillis(call.timeoutNanos) + " channel=" + channel));
            }
            expired.clear();
            flushOwed();
        }
    }

    private boolean removeLocked(final ClientCall call)
    {
        if (call.done)
        {
            return false;
        }
        call.done = true;
        pending.remove(call.id);
        // Timers of completed calls are dropped when they come due; a purge keeps long timeouts from piling up.
        if (timers.size() > 1024 + 2 * pending.size())
        {
            timers.removeIf(timer -> timer.call.done);
            timersQueued = timers.size();
        }
        updateWorkLocked();
        return true;
    }

    private void updateWorkLocked()
    {
        // Volatile stores fence: store only what changed, and the pending count only for a dispatcher to read.
        final int owed = owedCancels.size() + owedCredits.size();
        if (owedFrames != owed)
        {
            owedFrames = owed;
        }
        if (null != dispatcher)
        {
            work = pending.size() + owed;
        }
    }

    private void signalDispatcher()
    {
        if (null != dispatcher)
        {
            dispatcher.signal();
        }
    }

    // ---------------------------------------------------------------- closing

    /** Fails every pending call with the cause, leaves the dispatcher and closes the channel. Idempotent. */
    void failAll(final IpcException cause)
    {
        final List<ClientCall> failed;
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closeCause = cause;
            closed = true;
            failed = pending.values();
            for (final ClientCall call : failed)
            {
                call.done = true;
            }
            pending.clear();
            timers.clear();
            timersQueued = 0;
            owedCancels.clear();
            owedCredits.clear();
            updateWorkLocked();
        }
        finally
        {
            lock.unlock();
        }
        for (final ClientCall call : failed)
        {
            call.failNow(cause);
        }
        if (null != dispatcher)
        {
            dispatcher.remove(this);
        }
        channel.close();
    }

    @Override
    public void close()
    {
        failAll(new IpcClosedException("call client closed: channel=" + channel));
    }

    @Override
    public boolean isOpen()
    {
        lock.lock();
        try
        {
            return !closed && channel.isOpen();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public CallStats stats()
    {
        lock.lock();
        try
        {
            return new CallStats(requests + (long)OWNED_REQUESTS.getOpaque(this),
                replies + (long)OWNED_REPLIES.getOpaque(this), items, remoteErrors, timeouts, cancels, lateReplies,
                pending.size());
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Timers queued, live or stale (for tests of the purge). */
    int timerCount()
    {
        lock.lock();
        try
        {
            return timers.size();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return "CallClient{channel=" + channel + ", work=" + work + '}';
    }

    // ---------------------------------------------------------------- helpers

    /** The reading thread's poll timeout as a {@link Duration}: the last one made is kept, as a call's repeats. */
    private Duration pollTimeout(final long nanos)
    {
        Duration timeout = lastPollTimeout;
        if (timeout.toNanos() != nanos)
        {
            timeout = duration(nanos);
            lastPollTimeout = timeout;
        }
        return timeout;
    }

    private static Duration duration(final long nanos)
    {
        if (0 == nanos)
        {
            return Duration.ZERO;
        }
        if (nanos == MAX_CALLER_BLOCK_NANOS)
        {
            return MAX_CALLER_BLOCK;
        }
        return nanos == CallDispatcher.MAX_BLOCK_NANOS ? MAX_BLOCK : Duration.ofNanos(nanos);
    }

    /**
     * Refuses a blocking call on the dispatcher's own thread (in a completion): its reply could only be read by that
     * thread, which would be waiting for it.
     */
    private void refuseOnDispatcherThread()
    {
        if (dispatcher.isDispatcherThread())
        {
            throw new IllegalStateException("a blocking call on the dispatcher's thread (in a completion) would wait " +
                "for its own reading: use request, or a completion executor " + channel);
        }
    }

    /** {@code a + b} for a non-negative {@code b}, or {@link Long#MAX_VALUE} where it would overflow. */
    private static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return sum < a ? Long.MAX_VALUE : sum;
    }

    private static long positiveNanos(final Duration timeout, final String name)
    {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException(name + " must be positive: " + name + "=" + timeout);
        }
        return saturatedNanos(timeout);
    }

    private static long nonNegativeNanos(final Duration timeout)
    {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        return saturatedNanos(timeout);
    }

    private static long saturatedNanos(final Duration duration)
    {
        try
        {
            return duration.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    /** A deadline of a call as it was when queued; stale ones are re-queued or dropped when due. */
    private static final class Timer implements Comparable<Timer>
    {
        final long deadlineNanos;
        final ClientCall call;

        Timer(final long deadlineNanos, final ClientCall call)
        {
            this.deadlineNanos = deadlineNanos;
            this.call = call;
        }

        @Override
        public int compareTo(final Timer other)
        {
            return Long.compare(deadlineNanos, other.deadlineNanos);
        }
    }
}
