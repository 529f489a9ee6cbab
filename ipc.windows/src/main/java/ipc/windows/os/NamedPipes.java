package ipc.windows.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinDef.ULONGByReference;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.ptr.IntByReference;

import ipc.api.IpcException;
import ipc.api.IpcTimeoutException;
import ipc.windows.jna.Win32;
import ipc.windows.jna.WinBaseExt;

/**
 * Named pipes: creating instances, opening the client end, process ids of either end, and whole overlapped writes
 * with a deadline. Byte mode throughout; remote clients are always rejected.
 */
public final class NamedPipes
{
    /** Buffer size of a control pipe instance, each direction: a handshake frame fits many times. */
    public static final int CONTROL_BUFFER = 4096;

    private NamedPipes()
    {
    }

    /**
     * Creates an instance of a named pipe, overlapped, byte mode, remote clients rejected, not inheritable.
     *
     * @param name        the full pipe name.
     * @param openMode    {@code PIPE_ACCESS_DUPLEX} or {@code PIPE_ACCESS_INBOUND}, plus
     *                    {@link WinBaseExt#FILE_FLAG_FIRST_PIPE_INSTANCE} for the first instance.
     * @param maxInstances {@code PIPE_UNLIMITED_INSTANCES} or a count.
     * @param inBuffer    inbound buffer size.
     * @param outBuffer   outbound buffer size.
     * @param security    the pipe's security attributes.
     * @return the server end, owned by the caller.
     * @throws ipc.api.IpcAlreadyBoundException if a first instance was asked for and the name exists.
     * @throws IpcException                     if the OS refuses.
     */
    public static long createInstance(final String name, final int openMode, final int maxInstances,
        final int inBuffer, final int outBuffer, final SecurityDescriptors.Attributes security) throws IpcException
    {
        final long pipe = Handles.value(Kernel32.INSTANCE.CreateNamedPipe(name, openMode | WinNT.FILE_FLAG_OVERLAPPED,
            WinBase.PIPE_TYPE_BYTE | WinBase.PIPE_READMODE_BYTE | WinBase.PIPE_WAIT |
                WinBase.PIPE_REJECT_REMOTE_CLIENTS,
            maxInstances, outBuffer, inBuffer, 0, security.get()));
        if (pipe == Handles.INVALID || pipe == Handles.NULL)
        {
            final boolean first = (openMode & WinBaseExt.FILE_FLAG_FIRST_PIPE_INSTANCE) != 0;
            throw WindowsErrors.exception(first ? WindowsErrors.CREATE_FIRST_PIPE_INSTANCE : "CreateNamedPipeW",
                Native.getLastError(), "pipe=" + name);
        }
        return pipe;
    }

    /**
     * Opens the client end of a pipe, allowing the server to identify but not impersonate us
     * ({@code SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION}), not inheritable.
     *
     * @param name       the full pipe name.
     * @param access     {@code GENERIC_READ | GENERIC_WRITE}, or {@code GENERIC_WRITE}.
     * @param overlapped whether to open it for overlapped I/O.
     * @return the handle, or {@link Handles#INVALID} with the error left in {@link Native#getLastError()}.
     */
    public static long openClient(final String name, final int access, final boolean overlapped)
    {
        final int flags = WinBaseExt.SECURITY_SQOS_PRESENT | WinBaseExt.SECURITY_IDENTIFICATION |
            (overlapped ? WinNT.FILE_FLAG_OVERLAPPED : 0);
        final long handle = Handles.value(Kernel32.INSTANCE.CreateFile(name, access, 0, null, WinNT.OPEN_EXISTING,
            flags, null));
        return handle == Handles.NULL ? Handles.INVALID : handle;
    }

    /**
     * Waits until an instance of a busy pipe may be free.
     *
     * @param name   the full pipe name.
     * @param millis at least 1 (0 would mean the pipe's default time-out).
     * @return {@code true} if one may be free; {@code false} on time-out or if the pipe is gone.
     */
    public static boolean waitForInstance(final String name, final int millis)
    {
        return Kernel32.INSTANCE.WaitNamedPipe(name, Math.max(1, millis));
    }

    /**
     * The process that opened the client end of a pipe instance.
     *
     * @param pipe the server end.
     * @return the client's pid.
     * @throws IpcException if the client is gone.
     */
    public static long clientProcessId(final long pipe) throws IpcException
    {
        final ULONGByReference pid = new ULONGByReference();
        if (!Kernel32.INSTANCE.GetNamedPipeClientProcessId(Handles.of(pipe), pid))
        {
            throw WindowsErrors.exception("GetNamedPipeClientProcessId", Native.getLastError(), "pipe=" + pipe);
        }
        return pid.getValue().longValue();
    }

    /**
     * The process that created a pipe instance.
     *
     * @param pipe the client end.
     * @return the server's pid.
     * @throws IpcException if the server is gone.
     */
    public static long serverProcessId(final long pipe) throws IpcException
    {
        final ULONGByReference pid = new ULONGByReference();
        if (!Kernel32.INSTANCE.GetNamedPipeServerProcessId(Handles.of(pipe), pid))
        {
            throw WindowsErrors.exception("GetNamedPipeServerProcessId", Native.getLastError(), "pipe=" + pipe);
        }
        return pid.getValue().longValue();
    }

    /**
     * Checks that the other end of a pipe is still there, without reading.
     *
     * @param pipe either end.
     * @throws ipc.api.IpcPeerClosedException if it is gone.
     * @throws IpcException                   if the OS fails.
     */
    public static void checkConnected(final long pipe) throws IpcException
    {
        if (!Kernel32.INSTANCE.PeekNamedPipe(Handles.of(pipe), null, 0, null, new IntByReference(), null))
        {
            throw WindowsErrors.exception("PeekNamedPipe", Native.getLastError(), "pipe=" + pipe);
        }
    }

    /**
     * Connects the server end of an instance whose client end is already open (the doorbell): overlapped
     * {@code ConnectNamedPipe} reports {@code ERROR_PIPE_CONNECTED} at once.
     *
     * @param pipe the server end.
     * @throws IpcException if the instance is not connected.
     */
    public static void connectOpened(final long pipe) throws IpcException
    {
        final long event = Events.createManualReset();
        final OverlappedBuffer operation = new OverlappedBuffer(0, event);
        try
        {
            operation.begin();
            if (Win32.Kernel32.ConnectNamedPipe(pipe, operation.overlapped()) != 0)
            {
                operation.complete(0, 0);
                return;
            }
            final int error = Native.getLastError();
            if (error == WinError.ERROR_IO_PENDING)
            {
                Win32.Kernel32.CancelIoEx(pipe, operation.overlapped());
                finish(pipe, operation, event);
                throw new IpcException("doorbell pipe not connected: pipe=" + pipe);
            }
            operation.complete(0, error);
            if (error != WinError.ERROR_PIPE_CONNECTED)
            {
                throw WindowsErrors.exception("ConnectNamedPipe", error, "pipe=" + pipe);
            }
        }
        finally
        {
            operation.release();
            if (operation.state() != OverlappedBuffer.State.PENDING)
            {
                Handles.closeQuietly(event);
            }
        }
    }

    /**
     * Writes all bytes with one overlapped write, waiting at most {@code millis}; on time-out the write is
     * cancelled and its memory kept until the cancellation completed.
     *
     * @param pipe   an overlapped pipe handle.
     * @param bytes  what to write, position to limit.
     * @param millis the time-out.
     * @throws IpcTimeoutException             if the peer did not take the bytes in time.
     * @throws ipc.api.IpcPeerClosedException if the peer is gone.
     * @throws IpcException                    if the OS fails.
     */
    public static void write(final long pipe, final java.nio.ByteBuffer bytes, final int millis) throws IpcException
    {
        final int length = bytes.remaining();
        final long event = Events.createManualReset();
        final OverlappedBuffer operation = new OverlappedBuffer(length, event);
        try
        {
            operation.writable().put(bytes);
            operation.begin();
            if (Win32.Kernel32.WriteFile(pipe, operation.data(), length, 0, operation.overlapped()) == 0)
            {
                final int error = Native.getLastError();
                if (error != WinError.ERROR_IO_PENDING)
                {
                    operation.complete(0, error);
                    throw WindowsErrors.exception("WriteFile", error, "pipe=" + pipe + " length=" + length);
                }
                if (!Events.await(event, millis))
                {
                    Win32.Kernel32.CancelIoEx(pipe, operation.overlapped());
                }
            }
            final int written = finish(pipe, operation, event);
            if (operation.error() == WinError.ERROR_OPERATION_ABORTED)
            {
                throw new IpcTimeoutException("pipe stalled: peer is not reading: pipe=" + pipe + " millis=" + millis);
            }
            if (operation.error() != 0)
            {
                throw WindowsErrors.exception("WriteFile", operation.error(), "pipe=" + pipe + " length=" + length);
            }
            if (written != length)
            {
                throw new IpcException("short pipe write: written=" + written + " length=" + length);
            }
        }
        finally
        {
            operation.release();
            if (operation.state() != OverlappedBuffer.State.PENDING)
            {
                Handles.closeQuietly(event);
            }
        }
    }

    /** Waits for a started operation and records its result; returns the bytes transferred. */
    private static int finish(final long pipe, final OverlappedBuffer operation, final long event)
    {
        awaitKernel(event, operation);
        if (operation.state() != OverlappedBuffer.State.PENDING)
        {
            return operation.transferred();
        }
        try (Memory count = new Memory(4))
        {
            count.setInt(0, 0);
            recordResult(pipe, operation, count);
        }
        return operation.transferred();
    }

    /**
     * Blocks until the kernel finished a pending operation, judged by its status word alone. Never trusts a signaled
     * event, which another thread may have set to wake a waiter ({@code GetOverlappedResult} with {@code bWait}
     * would then return while the kernel still owns the memory): clears the event, re-checks the status (a
     * completion writes the status before it signals), and only then waits.
     *
     * @param event     the operation's manual-reset event.
     * @param operation the operation.
     */
    public static void awaitKernel(final long event, final OverlappedBuffer operation)
    {
        while (operation.state() == OverlappedBuffer.State.PENDING && !operation.kernelDone())
        {
            Win32.Kernel32.ResetEvent(event);
            if (operation.kernelDone())
            {
                return;
            }
            Win32.Kernel32.WaitForSingleObject(event, Timeouts.INFINITE);
        }
    }

    /**
     * Records the result of an operation the kernel finished ({@link OverlappedBuffer#kernelDone()}).
     *
     * @param handle    the handle it ran on.
     * @param operation the operation, pending with its status final.
     * @param count     a 4-byte scratch for the byte count.
     */
    public static void recordResult(final long handle, final OverlappedBuffer operation, final Memory count)
    {
        if (!operation.kernelDone())
        {
            return;
        }
        if (Win32.Kernel32.GetOverlappedResult(handle, operation.overlapped(), Pointer.nativeValue(count), 0) != 0)
        {
            operation.complete(Math.min(count.getInt(0), operation.capacity()), 0);
            return;
        }
        final int error = Native.getLastError();
        operation.complete(0, error == WinError.ERROR_IO_INCOMPLETE ? WinError.ERROR_OPERATION_ABORTED : error);
    }
}
