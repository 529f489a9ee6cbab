package ipc.api.call;

import ipc.api.IpcException;

/**
 * The server's handler failed a call: it threw, or it {@link Reply#fail(String) failed} the reply. The message is the
 * server's (the text of its exception, without the stack trace), cut to {@link #MAX_MESSAGE_BYTES} bytes of UTF-8.
 * The channel stays usable.
 */
public class IpcRemoteException extends IpcException
{
    /** The longest server message carried, in UTF-8 bytes; longer ones are cut. */
    public static final int MAX_MESSAGE_BYTES = 1024;

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the server's message.
     */
    public IpcRemoteException(final String message)
    {
        super(message);
    }
}
