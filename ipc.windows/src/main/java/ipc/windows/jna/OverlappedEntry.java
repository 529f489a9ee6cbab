package ipc.windows.jna;

/**
 * Layout of {@code OVERLAPPED_ENTRY} ({@code <minwinbase.h>}) on 64-bit Windows, one completion dequeued by
 * {@code GetQueuedCompletionStatusEx}:
 * <pre>
 *  0  ULONG_PTR    lpCompletionKey
 *  8  LPOVERLAPPED lpOverlapped
 * 16  ULONG_PTR    Internal
 * 24  DWORD        dwNumberOfBytesTransferred
 * 28  (padding to the 8-byte alignment of the structure)
 * 32  (size)
 * </pre>
 */
public final class OverlappedEntry
{
    /** Offset of {@code lpCompletionKey}. */
    public static final int LP_COMPLETION_KEY_OFFSET = 0;
    /** Offset of {@code lpOverlapped}. */
    public static final int LP_OVERLAPPED_OFFSET = LP_COMPLETION_KEY_OFFSET + 8;
    /** Offset of {@code Internal}. */
    public static final int INTERNAL_OFFSET = LP_OVERLAPPED_OFFSET + 8;
    /** Offset of {@code dwNumberOfBytesTransferred}. */
    public static final int DW_NUMBER_OF_BYTES_TRANSFERRED_OFFSET = INTERNAL_OFFSET + 8;
    /** {@code sizeof(OVERLAPPED_ENTRY)}: the DWORD is padded to the structure's 8-byte alignment. */
    public static final int SIZE = DW_NUMBER_OF_BYTES_TRANSFERRED_OFFSET + 8;

    private OverlappedEntry()
    {
    }
}
