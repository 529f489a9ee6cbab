package ipc.windows.jna;

/**
 * Layout of {@code OVERLAPPED} ({@code <minwinbase.h>}) on 64-bit Windows, for structures that live in native
 * memory owned by the backend (never in a JNA {@link com.sun.jna.Structure}, whose memory JNA may copy or free
 * while the kernel still writes the operation's status):
 * <pre>
 *  0  ULONG_PTR Internal       status of the operation; STATUS_PENDING while it runs
 *  8  ULONG_PTR InternalHigh   bytes transferred
 * 16  DWORD     Offset         file position (ignored for pipes), 0
 * 20  DWORD     OffsetHigh     0
 * 24  HANDLE    hEvent         manual-reset event the kernel signals on completion
 * 32  (size)
 * </pre>
 * {@code Offset}/{@code OffsetHigh} share a union with {@code PVOID Pointer}; the layout is the same.
 */
public final class Overlapped
{
    /** Offset of {@code Internal}. */
    public static final int INTERNAL_OFFSET = 0;
    /** Offset of {@code InternalHigh}. */
    public static final int INTERNAL_HIGH_OFFSET = INTERNAL_OFFSET + 8;
    /** Offset of {@code Offset}. */
    public static final int OFFSET_OFFSET = INTERNAL_HIGH_OFFSET + 8;
    /** Offset of {@code OffsetHigh}. */
    public static final int OFFSET_HIGH_OFFSET = OFFSET_OFFSET + 4;
    /** Offset of {@code hEvent}. */
    public static final int H_EVENT_OFFSET = OFFSET_HIGH_OFFSET + 4;
    /** {@code sizeof(OVERLAPPED)}. */
    public static final int SIZE = H_EVENT_OFFSET + 8;

    private Overlapped()
    {
    }
}
