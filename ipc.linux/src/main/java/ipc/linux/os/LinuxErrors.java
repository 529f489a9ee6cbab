package ipc.linux.os;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcTimeoutException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.LibC;

/**
 * The one place where an {@code errno} becomes an exception. Callers capture {@code errno} with
 * {@link com.sun.jna.Native#getLastError()} right after the failing call (JNA saves it per thread after every
 * native call) and pass it here.
 */
public final class LinuxErrors
{
    private LinuxErrors()
    {
    }

    /**
     * Creates the exception for a failed call, its type chosen by {@code errno}: {@code EACCES}/{@code EPERM}:
     * {@link IpcAccessDeniedException}; {@code EADDRINUSE}: {@link IpcAlreadyBoundException};
     * {@code ECONNREFUSED}, or {@code ENOENT} on {@code connect}: {@link IpcClosedException} (nobody listens);
     * {@code EPIPE}/{@code ECONNRESET}: {@link IpcPeerClosedException}; {@code ETIMEDOUT}:
     * {@link IpcTimeoutException}; otherwise {@link IpcException}. The message reads
     * {@code "connect failed: errno=111 (Connection refused) path=/run/..."}.
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
     * @return e.g. {@code "connect failed: errno=111 (Connection refused) path=/run/x"}.
     */
    public static String message(final String call, final int errno, final String detail)
    {
        final StringBuilder text = new StringBuilder(96)
            .append(call).append(" failed: errno=").append(errno).append(" (").append(strerror(errno)).append(')');
        if (detail != null && !detail.isEmpty())
        {
            text.append(' ').append(detail);
        }
        return text.toString();
    }

    /**
     * Describes an error number with the C library's {@code strerror}.
     *
     * @param errno the error number.
     * @return the description, e.g. {@code "Connection refused"}.
     */
    public static String strerror(final int errno)
    {
        final String text = LibC.strerror(errno);
        return text == null ? "unknown error" : text;
    }
}
