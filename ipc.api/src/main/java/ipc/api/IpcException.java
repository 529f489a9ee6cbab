package ipc.api;

/**
 * The root of the checked exceptions of the IPC platform. Every failure the library reports is one of these;
 * messages name the values involved ({@code key=value}).
 */
public class IpcException extends Exception
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the values involved.
     */
    public IpcException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, naming the values involved.
     * @param cause   the underlying failure.
     */
    public IpcException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
