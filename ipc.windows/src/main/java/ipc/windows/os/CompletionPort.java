package ipc.windows.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;

import ipc.api.IpcException;
import ipc.windows.jna.OverlappedEntry;
import ipc.windows.jna.Win32;

/**
 * An I/O completion port: overlapped operations on every associated handle complete here, however many handles
 * there are ({@code WaitForMultipleObjects} stops at 64). One thread dequeues. A handle is associated with one port
 * for its whole life. Closing is the owner's business: {@link #post} must never run after {@link #close()}, since
 * the handle value could by then name another object.
 */
public final class CompletionPort implements CompletionQueue
{
    private final long port;
    private final Memory entries;
    private final Memory removed = new Memory(4);
    private final int capacity;

    /**
     * Creates a port.
     *
     * @param capacity how many completions one {@link #dequeue} may return.
     * @throws IpcException if the OS refuses.
     */
    public CompletionPort(final int capacity) throws IpcException
    {
        final long handle = Handles.value(Kernel32.INSTANCE.CreateIoCompletionPort(WinBase.INVALID_HANDLE_VALUE, null,
            null, 1));
        if (handle == Handles.NULL)
        {
            throw WindowsErrors.exception("CreateIoCompletionPort", Native.getLastError(), null);
        }
        this.port = handle;
        this.capacity = capacity;
        this.entries = new Memory((long)OverlappedEntry.SIZE * capacity);
    }

    /**
     * Associates a handle opened with {@code FILE_FLAG_OVERLAPPED}: its operations complete here from now on.
     *
     * @param handle the handle.
     * @throws IpcException if the OS refuses (e.g. the handle belongs to another port already).
     */
    @Override
    public void associate(final long handle) throws IpcException
    {
        if (null == Kernel32.INSTANCE.CreateIoCompletionPort(Handles.of(handle), Handles.of(port), null, 0))
        {
            throw WindowsErrors.exception("CreateIoCompletionPort", Native.getLastError(), "handle=" + handle +
                " port=" + port);
        }
    }

    /**
     * Posts a packet: {@code overlapped} 0 is a wake-up, anything else names an operation to look at.
     *
     * @param overlapped the address reported by {@link #overlapped(int)}.
     * @return {@code false} if the OS refused.
     */
    @Override
    public boolean post(final long overlapped)
    {
        return Win32.Kernel32.PostQueuedCompletionStatus(port, 0, 0, overlapped) != 0;
    }

    /**
     * Dequeues completions, waiting for the first at most {@code millis}.
     *
     * @param millis the time-out (see {@link Timeouts}).
     * @return how many were dequeued, 0 on time-out; read them with {@link #overlapped(int)}.
     * @throws IpcException if the OS fails.
     */
    @Override
    public int dequeue(final int millis) throws IpcException
    {
        if (Win32.Kernel32.GetQueuedCompletionStatusEx(port, Pointer.nativeValue(entries), capacity,
            Pointer.nativeValue(removed), millis, 0) == 0)
        {
            final int error = Native.getLastError();
            if (error == WinError.WAIT_TIMEOUT)
            {
                return 0;
            }
            throw WindowsErrors.exception("GetQueuedCompletionStatusEx", error, "port=" + port);
        }
        return removed.getInt(0);
    }

    /**
     * The operation of a dequeued completion.
     *
     * @param index below the count returned by {@link #dequeue}.
     * @return the {@code OVERLAPPED} address, 0 for a posted wake-up.
     */
    @Override
    public long overlapped(final int index)
    {
        return entries.getLong((long)index * OverlappedEntry.SIZE + OverlappedEntry.LP_OVERLAPPED_OFFSET);
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public void close()
    {
        Handles.closeQuietly(port);
        entries.close();
        removed.close();
    }

    @Override
    public String toString()
    {
        return "completion-port{handle=" + port + "}";
    }
}
