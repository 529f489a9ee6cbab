package ipc.api;

/**
 * The peer closed the connection, or its process died.
 */
public class IpcPeerClosedException extends IpcClosedException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the values involved.
     */
    public IpcPeerClosedException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, naming the values involved.
     * @param cause   the underlying failure.
     */
    public IpcPeerClosedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
