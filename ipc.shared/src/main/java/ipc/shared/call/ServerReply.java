package ipc.shared.call;

import static ipc.shared.codec.CallFrameDescriptor.KIND_END;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ERROR;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ITEM;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REPLY;

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
 * it never waits for a worker thread that is stuck sending to a full ring.
 */
final class ServerReply implements Reply
{
    /** Longest wait for a credit honoured: 100 days, so that deadline arithmetic never overflows. */
    private static final Duration MAX_WAIT = Duration.ofDays(100);

    private static final VarHandle OVER;

    static
    {
        try
        {
            OVER = MethodHandles.lookup().findVarHandle(ServerReply.class, "over", boolean.class);
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
        if (!acquireSendLock(false))
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
            synchronized (this)
            {
                if (over || credits <= 0)
                {
                    return false;
                }
                credits--;
            }
            owner.send(KIND_ITEM, id, item);
            item.position(item.limit());
            return true;
        }
        finally
        {
            sendLock.unlock();
        }
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
        sendLock.lock();
        try
        {
            synchronized (this)
            {
                while (!over && credits <= 0)
                {
                    final long remaining = deadline - System.nanoTime();
                    if (remaining <= 0)
                    {
                        throw new IpcTimeoutException("no credit for a stream item: id=" + id + " timeoutMillis=" +
                            timeout.toMillis());
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
                credits--;
            }
            owner.send(KIND_ITEM, id, item);
            item.position(item.limit());
            return true;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IpcTimeoutException("interrupted while waiting for a stream credit: id=" + id, ex);
        }
        finally
        {
            sendLock.unlock();
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
            listener.run();
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
            listener.run();
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
            listener.run();
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
            listener.run();
        }
    }

    private boolean finish(final byte kind, final ByteBuffer payload) throws IpcException
    {
        // A plain call sends one frame, and the compare-and-set on over lets one finisher through: only a stream's
        // end must wait for its items to be sent, and only a stream has senders waiting for credits to wake.
        if (streamed)
        {
            acquireSendLock(true);
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
                sendLock.unlock();
            }
        }
    }

    /**
     * Takes the send lock: a worker thread waits for it; the reading thread only takes it if free, since a worker
     * holding it may be waiting for room that only the reading thread's progress makes.
     *
     * @param strict whether the reading thread fails rather than gives up when the lock is taken.
     * @return whether the lock is held.
     */
    private boolean acquireSendLock(final boolean strict)
    {
        if (!owner.isReadingThread())
        {
            sendLock.lock();
            return true;
        }
        if (sendLock.tryLock())
        {
            return true;
        }
        if (strict)
        {
            throw new IllegalStateException("another thread is sending on this call: id=" + id);
        }
        return false;
    }

    private void requireStreamed()
    {
        if (!streamed)
        {
            throw new IllegalStateException("items need a streamed call: id=" + id);
        }
    }
}
