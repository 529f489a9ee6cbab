package ipc.windows.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.WString;

/**
 * The Windows calls that {@code jna-platform} lacks, or binds in a way unfit for overlapped I/O (its
 * {@code byte[]} overloads copy into temporary memory that is freed when the call returns, while the kernel
 * writes into the buffer until the operation completes), bound with JNA direct mapping
 * ({@link Native#register}): {@code static native} calls without proxy or reflection, cheap enough for the hot path.
 *
 * <p>64-bit Windows only (x64 and arm64 have one calling convention): {@code HANDLE}s and pointers are
 * {@code long}s, {@code DWORD}, {@code ULONG} and {@code BOOL} are {@code int}s. A failing call returns 0
 * ({@code FALSE}); JNA saves {@code GetLastError()} right after every native call, read it with
 * {@link Native#getLastError()} on the same thread. Each nested class is registered when first used, so nothing
 * here loads on another operating system.
 */
public final class Win32
{
    private Win32()
    {
    }

    /** Functions of {@code kernel32.dll}; names and parameters as in the Windows SDK headers. */
    public static final class Kernel32
    {
        static
        {
            Native.register(Kernel32.class, NativeLibrary.getInstance("kernel32"));
        }

        private Kernel32()
        {
        }

        /**
         * Sets an event object to the signaled state ({@code synchapi.h}).
         *
         * @param hEvent the event.
         * @return nonzero on success.
         */
        public static native int SetEvent(long hEvent);

        /**
         * Sets an event object to the nonsignaled state ({@code synchapi.h}).
         *
         * @param hEvent the event.
         * @return nonzero on success.
         */
        public static native int ResetEvent(long hEvent);

        /**
         * Waits until an object is signaled or the interval elapses ({@code synchapi.h}).
         *
         * @param hHandle        the object.
         * @param dwMilliseconds the time-out in milliseconds, {@code INFINITE} (-1) for none.
         * @return {@code WAIT_OBJECT_0}, {@code WAIT_TIMEOUT}, {@code WAIT_ABANDONED} or {@code WAIT_FAILED}.
         */
        public static native int WaitForSingleObject(long hHandle, int dwMilliseconds);

        /**
         * Reads from a file or pipe ({@code fileapi.h}); overlapped when {@code lpOverlapped} is not 0.
         *
         * @param hFile                the handle.
         * @param lpBuffer             address of the buffer; must stay valid until the operation completes.
         * @param nNumberOfBytesToRead the most to read.
         * @param lpNumberOfBytesRead  address of a {@code DWORD}, or 0 for overlapped reads.
         * @param lpOverlapped         address of an {@code OVERLAPPED} (see {@link Overlapped}), or 0.
         * @return nonzero if it completed at once; 0 with {@code ERROR_IO_PENDING} if it runs on.
         */
        public static native int ReadFile(long hFile, long lpBuffer, int nNumberOfBytesToRead, long lpNumberOfBytesRead,
            long lpOverlapped);

        /**
         * Writes to a file or pipe ({@code fileapi.h}); overlapped when {@code lpOverlapped} is not 0.
         *
         * @param hFile                  the handle.
         * @param lpBuffer               address of the bytes; must stay valid until the operation completes.
         * @param nNumberOfBytesToWrite  how many.
         * @param lpNumberOfBytesWritten address of a {@code DWORD}; required when {@code lpOverlapped} is 0.
         * @param lpOverlapped           address of an {@code OVERLAPPED}, or 0.
         * @return nonzero if it completed at once; 0 with {@code ERROR_IO_PENDING} if it runs on.
         */
        public static native int WriteFile(long hFile, long lpBuffer, int nNumberOfBytesToWrite,
            long lpNumberOfBytesWritten, long lpOverlapped);

        /**
         * Lets a named pipe server wait for a client ({@code namedpipeapi.h}).
         *
         * @param hNamedPipe   the server end of a pipe instance.
         * @param lpOverlapped address of an {@code OVERLAPPED} whose {@code hEvent} is a manual-reset event.
         * @return nonzero if connected; 0 with {@code ERROR_IO_PENDING}, {@code ERROR_PIPE_CONNECTED} (a client
         *         connected before the call) or {@code ERROR_NO_DATA} (one connected and closed).
         */
        public static native int ConnectNamedPipe(long hNamedPipe, long lpOverlapped);

        /**
         * The result of an overlapped operation ({@code ioapiset.h}).
         *
         * @param hFile                      the handle the operation was started on.
         * @param lpOverlapped               its {@code OVERLAPPED}.
         * @param lpNumberOfBytesTransferred address of a {@code DWORD}.
         * @param bWait                      nonzero to wait until the operation completes.
         * @return nonzero if it succeeded; 0 with {@code ERROR_IO_INCOMPLETE} if it still runs and
         *         {@code bWait} is 0, or with the operation's error.
         */
        public static native int GetOverlappedResult(long hFile, long lpOverlapped, long lpNumberOfBytesTransferred,
            int bWait);

        /**
         * Cancels one pending overlapped operation of any thread of this process ({@code ioapiset.h}). The
         * operation then completes with {@code ERROR_OPERATION_ABORTED}; its memory stays in use until then.
         *
         * @param hFile        the handle.
         * @param lpOverlapped the operation, or 0 for all on the handle.
         * @return nonzero if a cancellation was requested; 0 with {@code ERROR_NOT_FOUND} if nothing was pending.
         */
        public static native int CancelIoEx(long hFile, long lpOverlapped);

        /**
         * Dequeues up to {@code ulCount} completions ({@code ioapiset.h}).
         *
         * @param CompletionPort          the port.
         * @param lpCompletionPortEntries address of an array of {@code OVERLAPPED_ENTRY} (see
         *                                {@link OverlappedEntry}).
         * @param ulCount                 the array's length.
         * @param ulNumEntriesRemoved     address of a {@code ULONG} receiving how many were dequeued.
         * @param dwMilliseconds          the time-out, {@code INFINITE} (-1) for none.
         * @param fAlertable              0: not alertable.
         * @return nonzero if at least one was dequeued; 0 with {@code WAIT_TIMEOUT} on time-out.
         */
        public static native int GetQueuedCompletionStatusEx(long CompletionPort, long lpCompletionPortEntries,
            int ulCount, long ulNumEntriesRemoved, int dwMilliseconds, int fAlertable);

        /**
         * Posts a completion packet to a port ({@code ioapiset.h}).
         *
         * @param CompletionPort             the port.
         * @param dwNumberOfBytesTransferred reported as is.
         * @param dwCompletionKey            reported as is.
         * @param lpOverlapped               reported as is; 0 for a wake-up.
         * @return nonzero on success.
         */
        public static native int PostQueuedCompletionStatus(long CompletionPort, int dwNumberOfBytesTransferred,
            long dwCompletionKey, long lpOverlapped);

        /**
         * Closes a handle ({@code handleapi.h}).
         *
         * @param hObject the handle.
         * @return nonzero on success.
         */
        public static native int CloseHandle(long hObject);
    }

    /** Functions of {@code advapi32.dll}. */
    public static final class Advapi32
    {
        static
        {
            Native.register(Advapi32.class, NativeLibrary.getInstance("advapi32"));
        }

        private Advapi32()
        {
        }

        /**
         * Builds a self-relative security descriptor from an SDDL string ({@code sddl.h}); free it with
         * {@code LocalFree}.
         *
         * @param StringSecurityDescriptor the SDDL text.
         * @param StringSDRevision         {@link Sddl#SDDL_REVISION_1}.
         * @param SecurityDescriptor       address of a pointer receiving the descriptor.
         * @param SecurityDescriptorSize   address of a {@code ULONG} receiving its size, or 0.
         * @return nonzero on success.
         */
        public static native int ConvertStringSecurityDescriptorToSecurityDescriptorW(WString StringSecurityDescriptor,
            int StringSDRevision, long SecurityDescriptor, long SecurityDescriptorSize);
    }

    /** Functions of {@code ntdll.dll}. */
    public static final class Ntdll
    {
        static
        {
            Native.register(Ntdll.class, NativeLibrary.getInstance("ntdll"));
        }

        private Ntdll()
        {
        }

        /**
         * Reads information about a file object ({@code wdm.h}, {@code ZwQueryInformationFile}).
         *
         * @param FileHandle           the handle.
         * @param IoStatusBlock        address of an {@code IO_STATUS_BLOCK} ({@link Wdm#IO_STATUS_BLOCK_SIZE}).
         * @param FileInformation      address of the buffer receiving the information.
         * @param Length               the buffer's size.
         * @param FileInformationClass e.g. {@link Wdm#FileModeInformation}.
         * @return an {@code NTSTATUS}, {@link Wdm#STATUS_SUCCESS} on success.
         */
        public static native int NtQueryInformationFile(long FileHandle, long IoStatusBlock, long FileInformation,
            int Length, int FileInformationClass);
    }
}
