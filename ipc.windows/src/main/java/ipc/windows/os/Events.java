package ipc.windows.os;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinError;

import ipc.api.IpcException;
import ipc.windows.jna.Win32;

/**
 * Unnamed event objects: auto-reset ones for the wait words of a connection (a {@code SetEvent} that finds no
 * waiter stays pending until the next wait takes it, so no wake-up is lost between the announce and the wait), and
 * manual-reset ones for overlapped operations. Not inheritable, default security (an unnamed object can only be
 * reached through a handle).
 */
public final class Events
{
    private Events()
    {
    }

    /**
     * Creates an auto-reset event, initially not signaled.
     *
     * @return the handle, owned by the caller.
     * @throws IpcException if the OS refuses.
     */
    public static long createAutoReset() throws IpcException
    {
        return create(false);
    }

    /**
     * Creates a manual-reset event, initially not signaled.
     *
     * @return the handle, owned by the caller.
     * @throws IpcException if the OS refuses.
     */
    public static long createManualReset() throws IpcException
    {
        return create(true);
    }

    private static long create(final boolean manualReset) throws IpcException
    {
        final long event = Handles.value(Kernel32.INSTANCE.CreateEvent(null, manualReset, false, null));
        if (event == Handles.NULL)
        {
            throw WindowsErrors.exception("CreateEventW", Native.getLastError(), "manualReset=" + manualReset);
        }
        return event;
    }

    /**
     * Signals an event. Allocation-free.
     *
     * @param event the event.
     * @throws IpcException if the handle is not an event one may set.
     */
    public static void set(final long event) throws IpcException
    {
        if (Win32.Kernel32.SetEvent(event) == 0)
        {
            throw WindowsErrors.exception("SetEvent", Native.getLastError(), "event=" + event);
        }
    }

    /**
     * Waits for an object. Allocation-free unless it fails.
     *
     * @param handle the object.
     * @param millis the time-out (see {@link Timeouts}).
     * @return {@code true} if it was signaled, {@code false} on time-out.
     * @throws IpcException if the wait fails.
     */
    public static boolean await(final long handle, final int millis) throws IpcException
    {
        final int result = Win32.Kernel32.WaitForSingleObject(handle, millis);
        if (result == WinBase.WAIT_OBJECT_0 || result == WinBase.WAIT_ABANDONED)
        {
            return true;
        }
        if (result == WinError.WAIT_TIMEOUT)
        {
            return false;
        }
        throw WindowsErrors.exception("WaitForSingleObject", Native.getLastError(), "handle=" + handle + " millis=" +
            millis);
    }
}
