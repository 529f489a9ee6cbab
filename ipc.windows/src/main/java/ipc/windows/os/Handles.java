package ipc.windows.os;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;

import ipc.api.IpcException;
import ipc.windows.jna.Win32;
import ipc.windows.jna.WinNTExt;

/**
 * Kernel object handles as {@code long} values (64-bit Windows), and their transfer between processes. Every
 * handle this backend creates or duplicates is not inheritable: the JDK starts child processes with handle
 * inheritance on, and a handle leaked into a child would keep a segment or a pipe alive after its owner closed it.
 */
public final class Handles
{
    /** {@code NULL}, as returned by most creating functions on failure. */
    public static final long NULL = 0;
    /** {@code INVALID_HANDLE_VALUE}, as returned by {@code CreateFileW} and {@code CreateNamedPipeW} on failure. */
    public static final long INVALID = -1;
    /** {@code GetCurrentProcess()}: the pseudo handle {@code (HANDLE)-1}, which needs no closing. */
    public static final long CURRENT_PROCESS = -1;

    private Handles()
    {
    }

    /**
     * Whether a value can name an open handle (neither {@code NULL} nor {@code INVALID_HANDLE_VALUE}).
     *
     * @param handle the value.
     * @return {@code true} if it may be closed.
     */
    public static boolean isValid(final long handle)
    {
        return handle != NULL && handle != INVALID;
    }

    /**
     * Closes a handle, ignoring failure (an invalid value is skipped).
     *
     * @param handle the handle.
     */
    public static void closeQuietly(final long handle)
    {
        if (isValid(handle))
        {
            Win32.Kernel32.CloseHandle(handle);
        }
    }

    /**
     * The value of a {@code jna-platform} handle.
     *
     * @param handle the handle, or {@code null}.
     * @return its value, {@link #NULL} for {@code null}.
     */
    public static long value(final HANDLE handle)
    {
        return null == handle ? NULL : Pointer.nativeValue(handle.getPointer());
    }

    /**
     * A {@code jna-platform} handle for a value.
     *
     * @param handle the value.
     * @return the handle object.
     */
    public static HANDLE of(final long handle)
    {
        return new HANDLE(new Pointer(handle));
    }

    /**
     * Duplicates one of this process's handles into another process, same access, not inheritable.
     *
     * @param targetProcess a handle of the target process with {@code PROCESS_DUP_HANDLE}.
     * @param source        the handle here.
     * @return the new handle's value, valid in the target process only.
     * @throws IpcException if the OS refuses (e.g. the target died).
     */
    public static long duplicateInto(final long targetProcess, final long source) throws IpcException
    {
        final HANDLEByReference target = new HANDLEByReference();
        if (!Kernel32.INSTANCE.DuplicateHandle(of(CURRENT_PROCESS), of(source), of(targetProcess), target, 0, false,
            WinNTExt.DUPLICATE_SAME_ACCESS))
        {
            throw WindowsErrors.exception("DuplicateHandle", Native.getLastError(), "source=" + source +
                " targetProcess=" + targetProcess);
        }
        return value(target.getValue());
    }

    /**
     * Closes a handle that lives in another process (the undo of {@link #duplicateInto} when the transfer failed),
     * ignoring failure: the process may have died, which closed it anyway.
     *
     * @param process a handle of that process with {@code PROCESS_DUP_HANDLE}.
     * @param handle  the handle's value there.
     */
    public static void closeInProcess(final long process, final long handle)
    {
        Kernel32.INSTANCE.DuplicateHandle(of(process), of(handle), null, null, 0, false,
            WinNTExt.DUPLICATE_CLOSE_SOURCE);
    }

    /**
     * Opens a process, not inheritable.
     *
     * @param access the rights, e.g. {@code PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_DUP_HANDLE}.
     * @param pid    the process id.
     * @return the handle, owned by the caller.
     * @throws IpcException if it is gone or access is denied.
     */
    public static long openProcess(final int access, final long pid) throws IpcException
    {
        final HANDLE process = Kernel32.INSTANCE.OpenProcess(access, false, (int)pid);
        if (null == process)
        {
            throw WindowsErrors.exception("OpenProcess", Native.getLastError(), "pid=" + pid + " access=0x" +
                Integer.toHexString(access));
        }
        return value(process);
    }
}
