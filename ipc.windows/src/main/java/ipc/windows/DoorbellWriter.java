package ipc.windows;

import java.lang.System.Logger.Level;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.platform.win32.WinError;

import ipc.api.IpcException;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;
import ipc.windows.jna.Win32;
import ipc.windows.os.Events;
import ipc.windows.os.Handles;
import ipc.windows.os.NamedPipes;
import ipc.windows.os.OverlappedBuffer;
import ipc.windows.os.WindowsErrors;

/**
 * The client's end of a connection's doorbell: a write-only pipe handle that the server opened with
 * {@code FILE_FLAG_OVERLAPPED} (checked on attach, since that cannot be changed afterwards) and duplicated here. A
 * ring is one overlapped one-byte write. It never blocks: while an earlier ring is still pending (the pipe is full
 * because the server has not read yet) a ring is known to be pending and nothing more is written, whatever the
 * server does to its end of the pipe. The client never waits on this signal (it writes the client-to-server ring,
 * never reads it), so {@link #await} returns at once.
 */
final class DoorbellWriter implements WakeSignal
{
    private static final System.Logger LOGGER = System.getLogger(DoorbellWriter.class.getName());

    private final long pipe;
    private final long event;
    private final OverlappedBuffer ring;
    private final Memory transferred = new Memory(4);
    private boolean closed;

    /**
     * Prepares the ring write; the pipe stays owned by the connection.
     *
     * @throws IpcException if no event can be created.
     */
    DoorbellWriter(final long pipe) throws IpcException
    {
        this.pipe = pipe;
        this.event = Events.createManualReset();
        this.ring = new OverlappedBuffer(1, event);
        this.ring.writable().put(0, (byte)1);
    }

    @Override
    public void await(final long timeoutNanos)
    {
        // Not used: the client is never the reader of the client-to-server ring.
    }

    @Override
    public synchronized void wake()
    {
        if (closed)
        {
            return;
        }
        if (ring.state() == OverlappedBuffer.State.PENDING)
        {
            if (!ring.kernelDone())
            {
                // The previous ring is still queued: the server will be woken by it.
                return;
            }
            NamedPipes.recordResult(pipe, ring, transferred);
        }
        if (ring.state() == OverlappedBuffer.State.DONE)
        {
            ring.reset();
        }
        Win32.Kernel32.ResetEvent(event);
        ring.begin();
        if (Win32.Kernel32.WriteFile(pipe, ring.data(), 1, 0, ring.overlapped()) != 0)
        {
            NamedPipes.recordResult(pipe, ring, transferred);
            return;
        }
        final int error = Native.getLastError();
        if (error == WinError.ERROR_IO_PENDING)
        {
            return;
        }
        ring.complete(0, error);
        if (WindowsErrors.isPeerGone(error))
        {
            LOGGER.log(Level.DEBUG, () -> "doorbell: server gone: pipe=" + pipe);
        }
        else
        {
            LOGGER.log(Level.ERROR, "doorbell ring failed: " + WindowsErrors.message("WriteFile", error, "pipe=" +
                pipe));
        }
    }

    @Override
    public Selectable selectable()
    {
        return null;
    }

    @Override
    public boolean drain()
    {
        return true;
    }

    /**
     * Cancels a pending ring and waits until the kernel let go of its memory; the connection closes the pipe
     * afterwards. If the cancellation cannot be confirmed, the memory and the event are leaked, never freed under
     * the kernel.
     */
    synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (ring.state() == OverlappedBuffer.State.PENDING)
        {
            Win32.Kernel32.CancelIoEx(pipe, ring.overlapped());
            NamedPipes.awaitKernel(event, ring);
            NamedPipes.recordResult(pipe, ring, transferred);
        }
        ring.release();
        if (ring.state() != OverlappedBuffer.State.PENDING)
        {
            Handles.closeQuietly(event);
        }
        transferred.close();
    }
}
