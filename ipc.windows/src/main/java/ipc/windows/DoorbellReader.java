package ipc.windows;


import com.sun.jna.platform.win32.WinError;

import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;
import ipc.windows.os.PipeReader;
import ipc.windows.os.Timeouts;
import ipc.windows.os.WindowsErrors;

/**
 * The server's end of a connection's doorbell: the inbound end of a one-instance named pipe of its own, opened
 * overlapped by the server, with a read always pending on it. The client holds the other end and writes one byte
 * per ring (see {@link DoorbellWriter}); the read completes on the dispatcher's completion port, and on the
 * client's death with {@code ERROR_BROKEN_PIPE}.
 *
 * <p>Containment (DESIGN.md section 6): the server's end is a handle of the server's own, created by the server;
 * the client can neither change its mode nor make a read on it block, since every read is overlapped. A flood of
 * rings fills a small pipe buffer and costs the server one read per {@value #CAPACITY} bytes.
 */
final class DoorbellReader implements WakeSignal, PortSelectable
{
    /** Rings consumed per read. */
    static final int CAPACITY = 64;

    private final long pipe;
    private final PipeReader reader;
    private final PortLink link = new PortLink();

    DoorbellReader(final long pipe) throws IpcException
    {
        this.pipe = pipe;
        this.reader = new PipeReader(pipe, CAPACITY);
        this.reader.post();
    }

    @Override
    public void await(final long timeoutNanos) throws IpcException
    {
        if (reader.await(Timeouts.toMillisNotInfinite(timeoutNanos)) && !drainRings())
        {
            // The client's end is closed and the read stays complete: it would wake us forever (see WakeSignal).
            throw new IpcPeerClosedException("doorbell closed by the client: pipe=" + pipe);
        }
    }

    /** Wakes a thread of this process blocked in {@link #await}; the client rings through its own end. */
    @Override
    public void wake()
    {
        reader.wakeLocal();
    }

    @Override
    public Selectable selectable()
    {
        return this;
    }

    @Override
    public boolean drain()
    {
        return drainRings();
    }

    /**
     * Consumes the rings that arrived and starts the next read.
     *
     * @return {@code false} once the client's end is closed (it closed or died), else {@code true}.
     */
    boolean drainRings()
    {
        if (!reader.isReady())
        {
            return true;
        }
        final int error = reader.error();
        if (error == WinError.ERROR_OPERATION_ABORTED)
        {
            // Our own cancellation (never the client's doing): read again.
            if (reader.consume(0))
            {
                link.hint(reader.overlapped());
            }
            return true;
        }
        if (error != 0)
        {
            // The client's end is closed (ERROR_BROKEN_PIPE), or the pipe failed: nothing will ring again.
            return false;
        }
        if (reader.consume(reader.available()))
        {
            link.hint(reader.overlapped());
        }
        return true;
    }

    @Override
    public long selectHandle()
    {
        return pipe;
    }

    @Override
    public void attach(final WindowsMultiplexer multiplexer) throws IpcException
    {
        if (link.attach(multiplexer, pipe) && reader.restart())
        {
            link.hint(reader.overlapped());
        }
    }

    @Override
    public void detach()
    {
        link.detach();
    }

    @Override
    public long overlapped()
    {
        return reader.overlapped();
    }

    @Override
    public boolean isReady()
    {
        return reader.isReady();
    }

    @Override
    public boolean isHungUp()
    {
        return WindowsErrors.isPeerGone(reader.error());
    }

    /** Cancels the read and frees its memory; the connection closes the pipe afterwards. */
    void close()
    {
        link.detach();
        reader.close();
    }
}
