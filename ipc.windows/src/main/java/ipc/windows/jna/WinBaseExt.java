package ipc.windows.jna;

/**
 * Constants of {@code <WinBase.h>} (Windows SDK, {@code um/WinBase.h}) that {@code jna-platform}'s
 * {@link com.sun.jna.platform.win32.WinBase} does not declare.
 */
public final class WinBaseExt
{
    /**
     * {@code CreateNamedPipe} open mode: fail with {@code ERROR_ACCESS_DENIED} if an instance of the pipe already
     * exists. {@code #define FILE_FLAG_FIRST_PIPE_INSTANCE 0x00080000}; CreateNamedPipeW documentation.
     */
    public static final int FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000;

    /**
     * {@code CreateFile} flag: the security quality of service bits below are present.
     * {@code #define SECURITY_SQOS_PRESENT 0x00100000}.
     */
    public static final int SECURITY_SQOS_PRESENT = 0x00100000;

    /**
     * {@code CreateFile} impersonation level: the server may identify the client but not act as it.
     * {@code #define SECURITY_IDENTIFICATION (SecurityIdentification << 16)}, with
     * {@code SecurityIdentification = 1} in {@code SECURITY_IMPERSONATION_LEVEL} ({@code winnt.h}).
     */
    public static final int SECURITY_IDENTIFICATION = 1 << 16;

    private WinBaseExt()
    {
    }
}
