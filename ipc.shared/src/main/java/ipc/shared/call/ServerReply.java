package ipc.shared.call;

import static ipc.shared.codec.CallFrameDescriptor.KIND_END;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ERROR;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ITEM;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REPLY;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import ipc.api.IpcException;
import ipc.api.IpcTimeoutException;
import ipc.api.call.Reply;
import ipc.shared.codec.CallFrameCodec;

/**
 * The server's handle on one call. Whether it is over is decided by one compare-and-set on {@code over}, which lets
 * exactly one of its finishers or its cancel through; a plain call's answer takes nothing else. A stream's credits,
 * listener and waiting senders are guarded by this object's monitor, held only briefly: the reading thread takes it
 * to add credits or cancel, so it is never held across a send.
 * Frames of one call are sent in order under a separate send lock; the reading thread only ever tries that lock, so
 * it never waits for a worker thread that is stuck sending to a full ring (a last frame it cannot send then is owed,
 * and sent by the lock's next holder). A sender waiting for a credit does not hold it.
 */
final class ServerReply implements Reply
{
    /** Longest wait for a credit honoured: 100 days, so that deadline arithmetic never overflows. */
    private static final Duration MAX_WAIT = Duration.ofDays(100);

    private static final Logger LOGGER = System.getLogger(ServerReply.class.getName());
    /** Outcomes of {@link #sendAgainstCredit}. */
    private static final int SENT = 0;
    private static final int NO_CREDIT = 1;
    private static final int CALL_OVER = 2;
    private static final VarHandle OVER;
    private static final VarHandle LISTENER_RUNS;

    static
    {
        try
        {
            OVER = MethodHandles.lookup().findVarHandle(ServerReply.class, "over", boolean.class);
            LISTENER_RUNS = MethodHandles.lookup().findVarHandle(ServerReply.class, "listenerRuns", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final ServerCalls owner;
    private final long id;
    private final boolean streamed;
    /** Orders a stream's frames; a plain call sends one frame and needs none. */
    private final ReentrantLock sendLock;
    private boolean cancelled;
    private long credits;
    private Runnable creditListener;
    /** In its owner's list of streams refused for room (the reading thread's only). */
    boolean waitingForRoom;
    /** Threads in {@link #sendItem} waiting for a credit: only they need a {@code notifyAll}. */
    private int waiters;
    /** Whether the reading thread entered this call in its table of active calls (see {@link #register()}). */
    private volatile boolean registered;
    /**
     * Whether the call is over (answered, ended, failed or cancelled): set once, by the compare-and-set that lets one
     * finisher or canceller through. A plain call's answer takes nothing more: no monitor, no second atomic.
     */
    private volatile boolean over;
    /** Runs of the credit listener asked for and not yet made ({@link #runListener()}). */
    @SuppressWarnings("unused")
    private volatile int listenerRuns;
    /** The last frame's kind the reading thread could not send ({@link #finishOwed}), or 0. */
    private volatile byte owedKind;
    /** Its payload (a copy), written before {@link #owedKind}. */
    private ByteBuffer owedPayload;

    ServerReply(final ServerCalls owner, final long id, final boolean streamed, final int credits)
    {
        this.owner = owner;
        this.id = id;
        this.streamed = streamed;
        this.credits = credits;
        this.sendLock = streamed ? new ReentrantLock() : null;
    }

    @Override
    public boolean isStreamed()
    {
        return streamed;
    }

    @Override
    public boolean send(final byte[] reply) throws IpcException
    {
        Objects.requireNonNull(reply, "reply");
        if (streamed)
        {
            throw new IllegalStateException("a streamed call is answered with items and end(): id=" + id);
        }
        return finish(KIND_REPLY, ByteBuffer.wrap(reply));
    }

    @Override
    public boolean send(final ByteBuffer reply) throws IpcException
    {
        Objects.requireNonNull(reply, "reply");
        if (streamed)
        {
            throw new IllegalStateException("a streamed call is answered with items and end(): id=" + id);
        }
        if (!finish(KIND_REPLY, reply))
        {
            return false;
        }
        reply.position(reply.limit());
        return true;
    }

    @Override
    public boolean trySendItem(final byte[] item) throws IpcException
    {
        return trySendItem(ByteBuffer.wrap(Objects.requireNonNull(item, "item")));
    }

    @Override
    public boolean trySendItem(final ByteBuffer item) throws IpcException
    {
        Objects.requireNonNull(item, "item");
        requireStreamed();
        if (!acquireSendLock())
        {
            return false;
        }
        try
        {
            // False only on the reading thread while replies wait for room (the listener runs again at room; one
            // with no credit by then waits for credits, as ever).
            if (!owner.roomForItem(this))
            {
                return false;
            }
            return SENT == sendAgainstCredit(item);
        }
        finally
        {
            unlockSend();
        }
    }

    /**
     * With the send lock held: takes a credit and sends the item against it.
     *
     * @return {@link #SENT}, {@link #NO_CREDIT} (nothing sent) or {@link #CALL_OVER} (nothing sent).
     */
    private int sendAgainstCredit(final ByteBuffer item) throws IpcException
    {
        synchronized (this)
        {
            if (over)
            {
                return CALL_OVER;
            }
            if (credits <= 0)
            {
                return NO_CREDIT;
            }
            credits--;
        }
        owner.send(KIND_ITEM, id, item);
        item.position(item.limit());
        return SENT;
    }

    @Override
    public boolean sendItem(final byte[] item, final Duration timeout) throws IpcException
    {
        return sendItem(ByteBuffer.wrap(Objects.requireNonNull(item, "item")), timeout);
    }

    @Override
    public boolean sendItem(final ByteBuffer item, final Duration timeout) throws IpcException
    {
        Objects.requireNonNull(item, "item");
        requireStreamed();
        if (owner.isReadingThread())
        {
            throw new IllegalStateException("sendItem waits for credits: not on the thread that reads the " +
                "channel (use trySendItem with onCredit there): id=" + id);
        }
        Objects.requireNonNull(timeout, "timeout");
        final long now = System.nanoTime();
        final long deadline = timeout.compareTo(MAX_WAIT) >= 0 ? now + MAX_WAIT.toNanos() : now + timeout.toNanos();
        try
        {
            while (true)
            {
                // The credit is waited for without the send lock, so that end() and fail() from other threads, and
                // the other senders, are not held up by a stream with no credit.
                synchronized (this)
                {
                    while (!over && credits <= 0)
                    {
                        final long remaining = deadline - System.nanoTime();
                        if (remaining <= 0)
                        {
                            throw new IpcTimeoutException("no credit for a stream item: id=" + id +
                                " timeoutMillis=" + timeout.toMillis());
                        }
                        waiters++;
                        try
                        {
                            TimeUnit.NANOSECONDS.timedWait(this, remaining);
                        }
                        finally
                        {
                            waiters--;
                        }
                    }
                    if (over)
                    {
                        return false;
                    }
                }
                sendLock.lock();
                final int outcome;
                try
                {
                    outcome = sendAgainstCredit(item);
                }
                finally
                {
                    unlockSend();
                }
                if (NO_CREDIT != outcome)
                {
                    return SENT == outcome;
                }
                // Another sender took the credit meanwhile: wait again.
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IpcTimeoutException("interrupted while waiting for a stream credit: id=" + id, ex);
        }
    }

    @Override
    public synchronized long credits()
    {
        return over ? 0 : credits;
    }

    @Override
    public void onCredit(final Runnable listener)
    {
        final boolean runNow;
        synchronized (this)
        {
            creditListener = listener;
            runNow = null != listener && (cancelled || (!over && credits > 0));
        }
        if (runNow)
        {
            runListener();
        }
    }

    /**
     * Runs the credit listener, never twice at once: a run asked for while one is under way (credits arriving on the
     * reading thread while a worker's {@link #onCredit} runs it) is made by the running thread once it is done, so the
     * reading thread never waits for it. What the listener throws fails this call, as a handler's throw does, and goes
     * no further: the reading thread serves every other call.
     */
    private void runListener()
    {
        if ((int)LISTENER_RUNS.getAndAdd(this, 1) != 0)
        {
            return;
        }
        while (true)
        {
            final int asked = (int)LISTENER_RUNS.getVolatile(this);
            final Runnable listener;
            synchronized (this)
            {
                listener = creditListener;
            }
            if (null != listener)
            {
                try
                {
                    listener.run();
                }
                catch (final RuntimeException | Error ex)
                {
                    LOGGER.log(Level.WARNING, "a stream's credit listener threw: id=" + id, ex);
                    failQuietly(null == ex.getMessage() ? ex.getClass().getName() : ex.getMessage());
                }
            }
            if (LISTENER_RUNS.compareAndSet(this, asked, 0))
            {
                return;
            }
        }
    }

    /** Fails the call if it is still open, on any thread; a failure to send is the connection's, seen elsewhere. */
    void failQuietly(final String message)
    {
        try
        {
            fail(message);
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.DEBUG, "could not send a call's failure: id=" + id, ex);
        }
    }

    @Override
    public boolean end() throws IpcException
    {
        requireStreamed();
        return finish(KIND_END, null);
    }

    @Override
    public boolean fail(final String message) throws IpcException
    {
        return finish(KIND_ERROR, ByteBuffer.wrap(CallFrameCodec.errorText(message)));
    }

    @Override
    public synchronized boolean isCancelled()
    {
        return cancelled;
    }

    /** Whether the call is over: answered, ended, failed or cancelled. */
    boolean isOver()
    {
        return over;
    }

    /**
     * The reading thread is about to enter this call in its table, as its handler returned without answering.
     *
     * @return {@code false} if the call is over already (it is not entered then).
     */
    boolean register()
    {
        if (over)
        {
            // The common case: the handler answered on this very thread, which sees its own write.
            return false;
        }
        // Dekker with finish(): it sets over (a compare-and-set) and then reads registered; this writes registered
        // and then reads over. One of the two sees the other: a finisher that misses the registration is seen here
        // (and the caller does not enter the call), or it sees the registration and removes the entry.
        registered = true;
        return !over;
    }

    /** Wakes the senders waiting for a credit, if any (a {@code notifyAll} is a call into the VM). Under the monitor. */
    private void wakeWaiters()
    {
        if (waiters > 0)
        {
            notifyAll();
        }
    }

    /** More credits from the client, on the reading thread; saturates rather than overflows. */
    void addCredits(final int more)
    {
        final Runnable listener;
        synchronized (this)
        {
            if (over)
            {
                return;
            }
            credits = credits + more < 0 ? Long.MAX_VALUE : credits + more;
            listener = creditListener;
            wakeWaiters();
        }
        if (null != listener)
        {
            runListener();
        }
    }

    /** On the reading thread: the room this stream's item was refused for is there; its listener goes on. */
    void roomAgain()
    {
        final Runnable listener;
        synchronized (this)
        {
            listener = !over && credits > 0 ? creditListener : null;
        }
        if (null != listener)
        {
            runListener();
        }
    }

    /** The client gave up the call, or its connection closed: wake waiting senders, drop what comes. */
    void cancel()
    {
        final Runnable listener;
        if (!OVER.compareAndSet(this, false, true))
        {
            return;
        }
        synchronized (this)
        {
            cancelled = true;
            listener = creditListener;
            wakeWaiters();
        }
        if (null != listener)
        {
            runListener();
        }
    }

    private boolean finish(final byte kind, final ByteBuffer payload) throws IpcException
    {
        // A plain call sends one frame, and the compare-and-set on over lets one finisher through: only a stream's
        // end must wait for its items to be sent, and only a stream has senders waiting for credits to wake.
        if (streamed && !acquireSendLock())
        {
            return finishOwed(kind, payload);
        }
        try
        {
            if (!OVER.compareAndSet(this, false, true))
            {
                return false;
            }
            if (streamed)
            {
                synchronized (this)
                {
                    wakeWaiters();
                }
            }
            if (registered)
            {
                owner.completed(id, this);
            }
            owner.send(kind, id, payload);
            return true;
        }
        finally
        {
            if (streamed)
            {
                unlockSend();
            }
        }
    }

    /**
     * The reading thread ends or fails a stream while another thread is sending one of its items (it must not wait
     * for that thread, which may be waiting for room only the reading thread's progress makes): the call is over now,
     * and its last frame is sent after that item, by whoever holds the send lock next.
     */
    private boolean finishOwed(final byte kind, final ByteBuffer payload)
    {
        if (!OVER.compareAndSet(this, false, true))
        {
            return false;
        }
        synchronized (this)
        {
            wakeWaiters();
        }
        if (registered)
        {
            owner.completed(id, this);
        }
        if (null != payload)
        {
            final ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
            copy.put(0, payload, payload.position(), payload.remaining());
            owedPayload = copy;
        }
        // Written, then the lock tried (a compare-and-set); the holder gives the lock back (a volatile write) and then
        // reads this: one of the two sees the other.
        owedKind = kind;
        if (sendLock.tryLock())
        {
            unlockSend();
        }
        return true;
    }

    /** Gives the send lock back, then sends a last frame owed by the reading thread, if any and if the lock is free. */
    private void unlockSend()
    {
        sendLock.unlock();
        while (0 != owedKind && sendLock.tryLock())
        {
            try
            {
                final byte kind = owedKind;
                if (0 != kind)
                {
                    owedKind = 0;
                    owner.send(kind, id, owedPayload);
                    owedPayload = null;
                }
            }
            catch (final IpcException ex)
            {
                // The connection failed: the client learns of that, not of this frame.
                LOGGER.log(Level.DEBUG, "could not send a stream's last frame: id=" + id, ex);
            }
            finally
            {
                sendLock.unlock();
            }
        }
    }

    /**
     * Takes the send lock: a worker thread waits for it; the reading thread only takes it if free, since a worker
     * holding it may be waiting for room that only the reading thread's progress makes.
     *
     * @return whether the lock is held.
     */
    private boolean acquireSendLock()
    {
        if (!owner.isReadingThread())
        {
            sendLock.lock();
            return true;
        }
        return sendLock.tryLock();
    }

    private void requireStreamed()
    {
        if (!streamed)
        {
            throw new IllegalStateException("items need a streamed call: id=" + id);
        }
    }
}
