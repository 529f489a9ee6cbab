package ipc.shared.call;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import ipc.api.IpcException;
import ipc.api.IpcMessageTooLargeException;

/**
 * A synchronous call of a caller-driven client ({@link ChannelCallClient#call}): the calling thread reads the channel
 * itself, or waits for the thread that does, and keeps its own deadline. So it needs neither a future nor a timer:
 * the reading thread records the outcome and sets {@link #isOver()}, and unparks the caller if it is another thread.
 */
final class SyncCall extends OneReplyCall
{
    private static final VarHandle OVER;

    static
    {
        try
        {
            OVER = MethodHandles.lookup().findVarHandle(SyncCall.class, "over", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Thread caller;
    /**
     * Where the reply goes, or {@code null} for a new array: written by the reading thread while the call is pending
     * (under the client's lock, or by the caller itself when it owns the reader), never after its caller gave it up.
     */
    private ByteBuffer destination;
    /** The outcome, written before {@link #over} is set (release) and read after it is seen (acquire). */
    private byte[] result;
    private int replyLength;
    private Throwable cause;
    /** Set once with a release store: the caller only polls it, so no full fence is needed on either side. */
    private boolean over;

    SyncCall(final long timeoutNanos, final Thread caller, final ByteBuffer destination)
    {
        super(timeoutNanos);
        this.caller = caller;
        this.destination = destination;
    }

    /** The thread that made the call. */
    Thread caller()
    {
        return caller;
    }

    /**
     * Makes this object a new call of the same caller: only for an owned call's object ({@code ChannelCallClient}'s
     * spare), by its caller, holding the poll lock, after it read the previous call's outcome. No other thread can see
     * the object then (an owned call is in no table, no timer queue and no completion list), so plain stores do.
     *
     * @param timeoutNanos the new call's timeout.
     * @param destination  where its reply goes, or {@code null} for a new array.
     */
    void reuse(final long timeoutNanos, final ByteBuffer destination)
    {
        id = 0;
        deadlineNanos = Long.MAX_VALUE;
        done = false;
        readied = false;
        timerQueued = false;
        this.timeoutNanos = timeoutNanos;
        this.destination = destination;
        result = null;
        replyLength = 0;
        cause = null;
        OVER.set(this, false);
    }

    @Override
    boolean recordReply(final ByteBuffer frame, final int index, final int length)
    {
        if (null == destination)
        {
            return super.recordReply(frame, index, length);
        }
        // The caller set the destination's position and limit before it registered the call (under the lock this
        // thread holds now, or on this very thread), and moves neither until the call is over.
        final int room = destination.remaining();
        if (length > room)
        {
            recordFailure(new IpcMessageTooLargeException(ChannelCallClient.tooLarge(length, room) + " id=" + id));
            return true;
        }
        destination.put(destination.position(), frame, index, length);
        replyLength = length;
        return true;
    }

    /**
     * Whether the call has its outcome.
     *
     * @return {@code true} once {@link #result()} returns or throws at once.
     */
    boolean isOver()
    {
        return (boolean)OVER.getAcquire(this);
    }

    /**
     * The reply, once {@link #isOver()}.
     *
     * @return the reply, a copy the caller owns.
     * @throws IpcException the call's failure: the server's error, the channel's, or the timeout.
     */
    byte[] result() throws IpcException
    {
        final Throwable thrown = cause;
        if (null == thrown)
        {
            return result;
        }
        if (thrown instanceof IpcException)
        {
            throw (IpcException)thrown;
        }
        throw new IpcException("call failed: " + thrown, thrown);
    }

    /**
     * The length of the reply copied into the destination, once {@link #isOver()}.
     *
     * @return the reply's length.
     * @throws IpcException the call's failure, as {@link #result()}.
     */
    int replyLength() throws IpcException
    {
        result();
        return replyLength;
    }

    @Override
    void complete(final byte[] value, final Throwable thrown)
    {
        result = value;
        cause = thrown;
        OVER.setRelease(this, true);
        if (Thread.currentThread() != caller)
        {
            LockSupport.unpark(caller);
        }
    }
}
