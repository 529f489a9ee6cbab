package ipc.windows.os;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import ipc.api.IpcException;
import ipc.windows.jna.Wdm;
import ipc.windows.jna.Win32;

/**
 * Whether a handle's file object does synchronous I/O. Whoever opens a file object decides this once
 * ({@code FILE_FLAG_OVERLAPPED} or not) and nobody can change it afterwards, so a handle received from a peer that
 * is asynchronous stays so: an overlapped write on it never blocks, whatever the peer does to its own handles.
 */
public final class FileModes
{
    private FileModes()
    {
    }

    /**
     * Whether I/O on a handle is synchronous (the handle was opened without {@code FILE_FLAG_OVERLAPPED}).
     *
     * @param handle a file or pipe handle.
     * @return {@code true} if synchronous.
     * @throws IpcException if the handle is not a file object.
     */
    public static boolean isSynchronous(final long handle) throws IpcException
    {
        try (Memory status = new Memory(Wdm.IO_STATUS_BLOCK_SIZE); Memory mode = new Memory(
            Wdm.FILE_MODE_INFORMATION_SIZE))
        {
            final int result = Win32.Ntdll.NtQueryInformationFile(handle, Pointer.nativeValue(status),
                Pointer.nativeValue(mode), Wdm.FILE_MODE_INFORMATION_SIZE, Wdm.FileModeInformation);
            if (result != Wdm.STATUS_SUCCESS)
            {
                throw WindowsErrors.ntStatus("NtQueryInformationFile", result, "handle=" + handle +
                    " class=FileModeInformation");
            }
            return (mode.getInt(0) & (Wdm.FILE_SYNCHRONOUS_IO_ALERT | Wdm.FILE_SYNCHRONOUS_IO_NONALERT)) != 0;
        }
    }
}
