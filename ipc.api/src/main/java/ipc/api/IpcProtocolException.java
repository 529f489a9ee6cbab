package ipc.api;

/**
 * The peer sent something that breaks the protocol: a malformed handshake, a segment header that does not
 * match, a record with an impossible length or type. The connection is closed.
 */
public class IpcProtocolException extends IpcException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the values involved.
     */
    public IpcProtocolException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what happened, naming the values involved.
     * @param cause   the underlying failure.
     */
    public IpcProtocolException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
