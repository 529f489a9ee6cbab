package ipc.windows.jna;

/**
 * Constants of {@code <winnt.h>} (Windows SDK, {@code um/winnt.h}) that {@code jna-platform}'s
 * {@link com.sun.jna.platform.win32.WinNT} does not declare.
 */
public final class WinNTExt
{
    /**
     * {@code DuplicateHandle} option: close the source handle, even if the call fails.
     * {@code #define DUPLICATE_CLOSE_SOURCE 0x00000001}.
     */
    public static final int DUPLICATE_CLOSE_SOURCE = 0x00000001;

    /**
     * {@code DuplicateHandle} option: the new handle has the source's access rights (the desired access is
     * ignored). {@code #define DUPLICATE_SAME_ACCESS 0x00000002}.
     */
    public static final int DUPLICATE_SAME_ACCESS = 0x00000002;

    /**
     * {@code IO_STATUS_BLOCK.Status} (the {@code Internal} field of {@code OVERLAPPED}) of an operation still in
     * progress: {@code #define STATUS_PENDING ((DWORD)0x00000103L)}. {@code HasOverlappedIoCompleted} compares
     * against it.
     */
    public static final int STATUS_PENDING = 0x00000103;

    private WinNTExt()
    {
    }
}
