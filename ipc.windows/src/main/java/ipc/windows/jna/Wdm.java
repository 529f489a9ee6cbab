package ipc.windows.jna;

/**
 * Constants and layouts of {@code <wdm.h>} (Windows Driver Kit; the user-mode call is {@code NtQueryInformationFile}
 * of {@code ntdll.dll}, documented in the Windows driver documentation) used to learn whether a file object does
 * synchronous I/O: a handle opened without {@code FILE_FLAG_OVERLAPPED} blocks in {@code WriteFile} when the pipe is
 * full, whatever {@code OVERLAPPED} the caller passes.
 */
public final class Wdm
{
    /** {@code FILE_INFORMATION_CLASS} value {@code FileModeInformation}: the file object's mode flags. */
    public static final int FileModeInformation = 16;

    /** {@code FILE_MODE_INFORMATION.Mode} flag: synchronous I/O, alertable waits. {@code 0x00000010}. */
    public static final int FILE_SYNCHRONOUS_IO_ALERT = 0x00000010;

    /** {@code FILE_MODE_INFORMATION.Mode} flag: synchronous I/O, non-alertable waits. {@code 0x00000020}. */
    public static final int FILE_SYNCHRONOUS_IO_NONALERT = 0x00000020;

    /** {@code sizeof(FILE_MODE_INFORMATION)}: one {@code ULONG Mode}. */
    public static final int FILE_MODE_INFORMATION_SIZE = 4;

    /**
     * {@code sizeof(IO_STATUS_BLOCK)} on 64-bit Windows: a union of {@code NTSTATUS Status} and {@code PVOID Pointer}
     * (8 bytes), then {@code ULONG_PTR Information}.
     */
    public static final int IO_STATUS_BLOCK_SIZE = 16;

    /** {@code STATUS_SUCCESS} ({@code ntstatus.h}). */
    public static final int STATUS_SUCCESS = 0;

    private Wdm()
    {
    }
}
