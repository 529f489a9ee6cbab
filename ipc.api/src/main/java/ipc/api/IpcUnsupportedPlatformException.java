package ipc.api;

/**
 * The host's operating system has no backend, or its backend is not available.
 */
public class IpcUnsupportedPlatformException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the values involved.
     */
    public IpcUnsupportedPlatformException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, naming the values involved.
     * @param cause   the underlying failure.
     */
    public IpcUnsupportedPlatformException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
