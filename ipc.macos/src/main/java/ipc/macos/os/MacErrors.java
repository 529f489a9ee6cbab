package ipc.macos.os;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcTimeoutException;
import ipc.macos.jna.Errno;
import ipc.macos.jna.LibC;

/**
 * The one place where a macOS {@code errno} becomes an exception. Callers capture {@code errno} with
 * {@link com.sun.jna.Native#getLastError()} right after the failing call (or take it from a {@code -errno} result)
 * and pass it here.
 */
public final class MacErrors
{
    private MacErrors()
    {
    }

    /**
     * Creates the exception for a failed call, its type chosen by {@code errno}: {@code EACCES}/{@code EPERM}:
     * {@link IpcAccessDeniedException}; {@code EADDRINUSE}: {@link IpcAlreadyBoundException};
     * {@code ECONNREFUSED}, or {@code ENOENT} on {@code connect}: {@link IpcClosedException};
     * {@code EPIPE}/{@code ECONNRESET}/{@code ENOTCONN}: {@link IpcPeerClosedException}; {@code ETIMEDOUT}:
     * {@link IpcTimeoutException}; otherwise {@link IpcException}.
     *
     * @param call   the C function that failed, e.g. {@code "connect"}.
     * @param errno  the error number.
     * @param detail the values involved as {@code key=value} pairs, or {@code null}.
     * @return the exception, to be thrown by the caller.
     */
    public static IpcException exception(final String call, final int errno, final String detail)
    {
        final String message = message(call, errno, detail);
        switch (errno)
        {
            case Errno.EACCES:
            case Errno.EPERM:
                return new IpcAccessDeniedException(message);
            case Errno.EADDRINUSE:
                return new IpcAlreadyBoundException(message);
            case Errno.ECONNREFUSED:
                return new IpcClosedException(message);
            case Errno.ENOENT:
                return "connect".equals(call) ? new IpcClosedException(message) : new IpcException(message);
            case Errno.EPIPE:
            case Errno.ECONNRESET:
            case Errno.ENOTCONN:
                return new IpcPeerClosedException(message);
            case Errno.ETIMEDOUT:
                return new IpcTimeoutException(message);
            default:
                return new IpcException(message);
        }
    }

    /**
     * Formats the message of a failed call.
     *
     * @param call   the C function that failed.
     * @param errno  the error number.
     * @param detail the values involved, or {@code null}.
     * @return e.g. {@code "connect failed: errno=61 (Connection refused) path=/tmp/ipc-501/x.sock"}.
     */
    public static String message(final String call, final int errno, final String detail)
    {
        final StringBuilder text = new StringBuilder(96)
            .append(call).append(" failed: errno=").append(errno).append(" (").append(strerror(errno)).append(')');
        if (null != detail && !detail.isEmpty())
        {
            text.append(' ').append(detail);
        }
        return text.toString();
    }

    private static String strerror(final int errno)
    {
        final String text = LibC.strerror(errno);
        return null == text ? "unknown error" : text;
    }
}
