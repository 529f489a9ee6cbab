package ipc.api;

/**
 * The peer's user is not allowed, or the operating system denied access to the endpoint.
 */
public class IpcAccessDeniedException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the values involved.
     */
    public IpcAccessDeniedException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, naming the values involved.
     * @param cause   the underlying failure.
     */
    public IpcAccessDeniedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
