package ipc.api;

/**
 * Another live server of the same user has bound the name.
 */
public class IpcAlreadyBoundException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the values involved.
     */
    public IpcAlreadyBoundException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, naming the values involved.
     * @param cause   the underlying failure.
     */
    public IpcAlreadyBoundException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
