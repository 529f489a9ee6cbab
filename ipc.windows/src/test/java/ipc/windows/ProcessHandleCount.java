package ipc.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import ipc.windows.os.Handles;

/**
 * This process's count of open kernel handles, for the suite's leak checks: {@code GetProcessHandleCount}
 * (processthreadsapi.h, Kernel32.dll; jna-platform's {@code Kernel32} does not bind it), see
 * https://learn.microsoft.com/windows/win32/api/processthreadsapi/nf-processthreadsapi-getprocesshandlecount .
 * Direct mapping like {@link ipc.windows.jna.Win32}: 64-bit only, {@code HANDLE} as {@code long}, {@code BOOL} and
 * {@code DWORD} as {@code int}. Registered on first use, so nothing loads off Windows.
 */
final class ProcessHandleCount
{
    static
    {
        Native.register(ProcessHandleCount.class, NativeLibrary.getInstance("kernel32"));
    }

    private ProcessHandleCount()
    {
    }

    /**
     * Retrieves the number of open handles that belong to the specified process.
     *
     * @param hProcess       a handle to the process (the pseudo-handle {@code GetCurrentProcess()} returns has
     *                       {@code PROCESS_QUERY_INFORMATION}).
     * @param pdwHandleCount receives the number of open handles, a {@code DWORD}.
     * @return nonzero on success; 0 on failure ({@code GetLastError}).
     */
    static native int GetProcessHandleCount(long hProcess, long pdwHandleCount);

    /** The count, or an {@link IllegalStateException} naming the error if the call fails. */
    static long current()
    {
        try (Memory count = new Memory(Integer.BYTES))
        {
            if (GetProcessHandleCount(Handles.CURRENT_PROCESS, com.sun.jna.Pointer.nativeValue(count)) == 0)
            {
                throw new IllegalStateException("GetProcessHandleCount failed: error=" + Native.getLastError());
            }
            return Integer.toUnsignedLong(count.getInt(0));
        }
    }
}
