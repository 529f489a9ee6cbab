package ipc.windows.os;

import java.nio.ByteBuffer;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinError;

import ipc.api.IpcException;
import ipc.windows.jna.Win32;

/**
 * Keeps one overlapped read pending on a pipe handle (opened with {@code FILE_FLAG_OVERLAPPED}), so that the
 * handle can be watched by a completion port or waited on through its event: the read completes when bytes arrive
 * or when the other end is gone ({@code ERROR_BROKEN_PIPE}). Readiness is the state of that read: ready from its
 * completion until the owner has consumed its bytes and started the next one.
 *
 * <p>The pipe handle is borrowed: the owner closes it after {@link #close()}, which cancels the pending read and
 * waits for the cancellation before freeing the buffer and the event. Thread-safe; {@link #await} blocks outside
 * the lock.
 */
public final class PipeReader implements AutoCloseable
{
    private final long pipe;
    private final long event;
    private final OverlappedBuffer buffer;
    private final Memory transferred = new Memory(4);
    private int consumed;
    private boolean closed;

    /**
     * Creates the reader; call {@link #post()} to start reading.
     *
     * @param pipe     the pipe handle, overlapped.
     * @param capacity bytes one read may return.
     * @throws IpcException if no event can be created.
     */
    public PipeReader(final long pipe, final int capacity) throws IpcException
    {
        this.pipe = pipe;
        this.event = Events.createManualReset();
        this.buffer = new OverlappedBuffer(capacity, event);
    }

    /**
     * The address that identifies this reader's operation in completion packets (fixed for its life).
     *
     * @return the {@code OVERLAPPED} address.
     */
    public long overlapped()
    {
        return buffer.overlapped();
    }

    /**
     * The event the kernel signals when the read completes.
     *
     * @return the manual-reset event.
     */
    public long event()
    {
        return event;
    }

    /**
     * Starts a read if none is pending or unconsumed.
     *
     * @return {@code true} if a read is complete now (it completed at once, or an earlier one is unconsumed): no
     *         completion packet may follow for a failure that was reported at once, so the caller hints its port.
     */
    public synchronized boolean post()
    {
        if (closed)
        {
            return false;
        }
        if (buffer.state() != OverlappedBuffer.State.IDLE)
        {
            return buffer.state() == OverlappedBuffer.State.DONE;
        }
        Win32.Kernel32.ResetEvent(event);
        consumed = 0;
        buffer.begin();
        if (Win32.Kernel32.ReadFile(pipe, buffer.data(), buffer.capacity(), 0, buffer.overlapped()) != 0)
        {
            fetchResult();
            return true;
        }
        final int error = Native.getLastError();
        if (error == WinError.ERROR_IO_PENDING)
        {
            return false;
        }
        buffer.complete(0, error);
        return true;
    }

    /**
     * Whether the read completed and is not yet consumed (bytes, or the end of the stream, or an error).
     *
     * @return {@code true} if ready.
     */
    public synchronized boolean isReady()
    {
        if (closed)
        {
            return false;
        }
        if (buffer.kernelDone())
        {
            fetchResult();
        }
        return buffer.state() == OverlappedBuffer.State.DONE;
    }

    /**
     * Re-issues a pending read, so that its completion is queued to a port associated after it started:
     * cancels it, waits for the cancellation, and starts it again unless it completed meanwhile.
     *
     * @return {@code true} if a read is complete now.
     */
    public synchronized boolean restart()
    {
        if (closed)
        {
            return false;
        }
        if (buffer.state() == OverlappedBuffer.State.PENDING)
        {
            cancelAndWait();
            if (buffer.state() == OverlappedBuffer.State.DONE && buffer.error() == WinError.ERROR_OPERATION_ABORTED)
            {
                buffer.reset();
            }
        }
        return post();
    }

    /**
     * The error of the completed read.
     *
     * @return 0 if it read bytes, else its {@code GetLastError()} code ({@code ERROR_BROKEN_PIPE} at the end).
     */
    public synchronized int error()
    {
        return !closed && buffer.state() == OverlappedBuffer.State.DONE ? buffer.error() : 0;
    }

    /**
     * The unconsumed bytes of the completed read.
     *
     * @return a view; consume with {@link #consume(int)}.
     */
    public synchronized ByteBuffer bytes()
    {
        if (closed)
        {
            throw new IllegalStateException("reader closed: pipe=" + pipe);
        }
        return buffer.bytes(consumed);
    }

    /**
     * How many unconsumed bytes the completed read holds.
     *
     * @return the count, 0 if not complete.
     */
    public synchronized int available()
    {
        return !closed && buffer.state() == OverlappedBuffer.State.DONE ? buffer.transferred() - consumed : 0;
    }

    /**
     * Consumes bytes of the completed read; once all are consumed (or the read failed), starts the next read.
     *
     * @param count bytes consumed.
     * @return as {@link #post()}: {@code true} if the next read is complete at once.
     */
    public synchronized boolean consume(final int count)
    {
        if (closed || buffer.state() != OverlappedBuffer.State.DONE)
        {
            return false;
        }
        consumed += count;
        if (consumed < buffer.transferred() && buffer.error() == 0)
        {
            return true;
        }
        if (buffer.error() != 0 && buffer.error() != WinError.ERROR_OPERATION_ABORTED)
        {
            // The end of the stream stays: nothing follows a broken pipe.
            return true;
        }
        buffer.reset();
        return post();
    }

    /**
     * Waits until the read completes.
     *
     * @param millis the time-out (see {@link Timeouts}).
     * @return {@code true} if ready.
     * @throws IpcException if the wait fails.
     */
    public boolean await(final int millis) throws IpcException
    {
        if (isReady())
        {
            return true;
        }
        Events.await(event, millis);
        synchronized (this)
        {
            if (closed)
            {
                return false;
            }
            if (buffer.state() == OverlappedBuffer.State.PENDING && !buffer.kernelDone())
            {
                // Woken by wakeLocal(): clear the event so that the next wait blocks. A completion that lands now
                // sets it again, and one that landed before shows in the status word, checked below.
                Win32.Kernel32.ResetEvent(event);
            }
        }
        return isReady();
    }

    /** Makes a thread blocked in {@link #await} return at once (spuriously if nothing arrived). Any thread. */
    public synchronized void wakeLocal()
    {
        if (!closed)
        {
            Win32.Kernel32.SetEvent(event);
        }
    }

    /**
     * Cancels a pending read and waits until the kernel let go of the buffer, then frees the buffer and the event.
     * If the cancellation cannot be confirmed the buffer and the event are leaked, never freed under the kernel.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (buffer.state() == OverlappedBuffer.State.PENDING)
        {
            cancelAndWait();
        }
        buffer.release();
        if (buffer.state() != OverlappedBuffer.State.PENDING)
        {
            Handles.closeQuietly(event);
        }
        transferred.close();
    }

    private void cancelAndWait()
    {
        Win32.Kernel32.CancelIoEx(pipe, buffer.overlapped());
        NamedPipes.awaitKernel(event, buffer);
        fetchResult();
    }

    private void fetchResult()
    {
        NamedPipes.recordResult(pipe, buffer, transferred);
    }
}
