package ipc.api;

/**
 * An operation did not complete before its deadline. The channel stays usable.
 */
public class IpcTimeoutException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the values involved.
     */
    public IpcTimeoutException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, naming the values involved.
     * @param cause   the underlying failure.
     */
    public IpcTimeoutException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
