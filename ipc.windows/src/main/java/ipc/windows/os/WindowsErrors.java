package ipc.windows.os;

import java.util.Locale;

import com.sun.jna.Platform;
import com.sun.jna.platform.win32.Kernel32Util;
import com.sun.jna.platform.win32.WinError;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcTimeoutException;

/**
 * The one place where a {@code GetLastError()} code becomes an exception. Callers capture the code with
 * {@link com.sun.jna.Native#getLastError()} right after the failing call (JNA saves it per thread after every
 * native call) and pass it here.
 */
public final class WindowsErrors
{
    /** The call name under which {@code ERROR_ACCESS_DENIED} means "another process holds the pipe name". */
    public static final String CREATE_FIRST_PIPE_INSTANCE = "CreateNamedPipeW(FILE_FLAG_FIRST_PIPE_INSTANCE)";
    /** The call name under which {@code ERROR_FILE_NOT_FOUND} means "no server listens". */
    public static final String OPEN_PIPE = "CreateFileW(pipe)";

    private WindowsErrors()
    {
    }

    /**
     * Creates the exception for a failed call, its type chosen by the error code: {@code ERROR_ACCESS_DENIED}:
     * {@link IpcAccessDeniedException}, or {@link IpcAlreadyBoundException} for
     * {@link #CREATE_FIRST_PIPE_INSTANCE}; {@code ERROR_FILE_NOT_FOUND} for {@link #OPEN_PIPE}:
     * {@link IpcClosedException}; {@code ERROR_BROKEN_PIPE}, {@code ERROR_NO_DATA},
     * {@code ERROR_PIPE_NOT_CONNECTED}: {@link IpcPeerClosedException}; {@code WAIT_TIMEOUT},
     * {@code ERROR_SEM_TIMEOUT}, {@code ERROR_PIPE_BUSY}: {@link IpcTimeoutException}; otherwise
     * {@link IpcException}. The message reads {@code "ReadFile failed: error=109 (The pipe has been ended.) pipe=..."}.
     *
     * @param call   the function that failed.
     * @param error  the {@code GetLastError()} code.
     * @param detail the values involved as {@code key=value} pairs, or {@code null}.
     * @return the exception, to be thrown by the caller.
     */
    public static IpcException exception(final String call, final int error, final String detail)
    {
        final String message = message(call, error, detail);
        switch (error)
        {
            case WinError.ERROR_ACCESS_DENIED:
                return CREATE_FIRST_PIPE_INSTANCE.equals(call) ? new IpcAlreadyBoundException(message) :
                    new IpcAccessDeniedException(message);
            case WinError.ERROR_FILE_NOT_FOUND:
                return OPEN_PIPE.equals(call) ? new IpcClosedException(message) : new IpcException(message);
            case WinError.ERROR_BROKEN_PIPE:
            case WinError.ERROR_NO_DATA:
            case WinError.ERROR_PIPE_NOT_CONNECTED:
                return new IpcPeerClosedException(message);
            case WinError.WAIT_TIMEOUT:
            case WinError.ERROR_SEM_TIMEOUT:
            case WinError.ERROR_PIPE_BUSY:
                return new IpcTimeoutException(message);
            default:
                return new IpcException(message);
        }
    }

    /**
     * Creates the exception for a native API call that returned an {@code NTSTATUS} instead of setting
     * {@code GetLastError()}.
     *
     * @param call   the function that failed.
     * @param status the status.
     * @param detail the values involved, or {@code null}.
     * @return the exception, e.g. {@code "NtQueryInformationFile failed: status=0xC0000008 handle=12"}.
     */
    public static IpcException ntStatus(final String call, final int status, final String detail)
    {
        return new IpcException(call + " failed: status=0x" + Integer.toHexString(status).toUpperCase(Locale.ROOT) +
            (detail != null && !detail.isEmpty() ? " " + detail : ""));
    }

    /**
     * Whether an error code means that the other end of a pipe is gone (closed or died).
     *
     * @param error the code.
     * @return {@code true} for {@code ERROR_BROKEN_PIPE}, {@code ERROR_NO_DATA}, {@code ERROR_PIPE_NOT_CONNECTED}.
     */
    public static boolean isPeerGone(final int error)
    {
        return error == WinError.ERROR_BROKEN_PIPE || error == WinError.ERROR_NO_DATA ||
            error == WinError.ERROR_PIPE_NOT_CONNECTED;
    }

    /**
     * Formats the message of a failed call.
     *
     * @param call   the function that failed.
     * @param error  the code.
     * @param detail the values involved, or {@code null}.
     * @return e.g. {@code "ReadFile failed: error=109 (The pipe has been ended.) pipe=..."}.
     */
    public static String message(final String call, final int error, final String detail)
    {
        final StringBuilder text = new StringBuilder(96)
            .append(call).append(" failed: error=").append(error).append(" (").append(describe(error)).append(')');
        if (detail != null && !detail.isEmpty())
        {
            text.append(' ').append(detail);
        }
        return text.toString();
    }

    /**
     * Describes an error code with {@code FormatMessage} (on Windows only; elsewhere, in tests, a placeholder).
     *
     * @param error the code.
     * @return the system's text without its trailing line break.
     */
    public static String describe(final int error)
    {
        if (!Platform.isWindows())
        {
            return "no description off Windows";
        }
        try
        {
            return Kernel32Util.formatMessage(error).trim();
        }
        catch (final RuntimeException ex)
        {
            return "no description";
        }
    }
}
