package ipc.windows;

import java.lang.System.Logger.Level;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;
import ipc.windows.jna.Win32;
import ipc.windows.os.WindowsErrors;

/**
 * The client's end of a connection's doorbell: a write-only pipe handle in {@code PIPE_NOWAIT} mode (set by the
 * server before it duplicated the handle here). A ring writes one byte and never blocks: a full pipe takes nothing,
 * which is fine, since a ring is pending then. The client never waits on this signal (it writes the
 * client-to-server ring, never reads it), so {@link #await} returns at once.
 */
final class DoorbellWriter implements WakeSignal
{
    private static final System.Logger LOGGER = System.getLogger(DoorbellWriter.class.getName());

    private final long pipe;
    /** One byte to write, then the DWORD count the call writes back (racy between threads, and never read). */
    private final Memory scratch = new Memory(8);

    DoorbellWriter(final long pipe)
    {
        this.pipe = pipe;
        scratch.clear();
        scratch.setByte(0, (byte)1);
    }

    @Override
    public void await(final long timeoutNanos)
    {
        // Not used: the client is never the reader of the client-to-server ring.
    }

    @Override
    public void wake()
    {
        final long address = Pointer.nativeValue(scratch);
        if (Win32.Kernel32.WriteFile(pipe, address, 1, address + 4, 0) == 0)
        {
            final int error = Native.getLastError();
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
    }

    @Override
    public Selectable selectable()
    {
        return null;
    }

    @Override
    public void drain()
    {
    }
}
