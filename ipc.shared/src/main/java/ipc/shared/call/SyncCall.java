package ipc.shared.call;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

import ipc.api.IpcException;

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
    /** The outcome, written before {@link #over} is set (release) and read after it is seen (acquire). */
    private byte[] result;
    private Throwable cause;
    /** Set once with a release store: the caller only polls it, so no full fence is needed on either side. */
    private boolean over;

    SyncCall(final long timeoutNanos, final Thread caller)
    {
        super(timeoutNanos);
        this.caller = caller;
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
