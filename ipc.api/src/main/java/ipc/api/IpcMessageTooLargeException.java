package ipc.api;

/**
 * A message is larger than the connection's maximum message size, or a claim larger than one record.
 * Nothing of it was sent; the channel stays usable.
 */
public class IpcMessageTooLargeException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the values involved.
     */
    public IpcMessageTooLargeException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, naming the values involved.
     * @param cause   the underlying failure.
     */
    public IpcMessageTooLargeException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
