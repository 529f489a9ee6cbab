package ipc.api;

/**
 * The channel or server is closed: by this side, or by the peer ({@link IpcPeerClosedException}).
 */
public class IpcClosedException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the values involved.
     */
    public IpcClosedException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, naming the values involved.
     * @param cause   the underlying failure.
     */
    public IpcClosedException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
