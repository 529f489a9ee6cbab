package ipc.shared.codec;

/**
 * Why a handshake was refused; travels as a 16-bit code in a REJECT frame.
 */
public enum RejectReason
{
    /** A code this version does not know. */
    UNKNOWN(0),
    /** The peer's user is not allowed. */
    ACCESS_DENIED(1),
    /** The peer speaks another major protocol version. */
    VERSION_MISMATCH(2),
    /** The server holds its maximum number of connections. */
    TOO_MANY_CONNECTIONS(3),
    /** The peer sent something malformed. */
    PROTOCOL_ERROR(4),
    /** The server could not create the connection's resources. */
    SERVER_ERROR(5),
    /** The server is closing. */
    SHUTTING_DOWN(6);

    private final int code;

    RejectReason(final int code)
    {
        this.code = code;
    }

    /**
     * The wire code.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }

    /**
     * The reason for a wire code; unknown codes map to {@link #UNKNOWN}.
     *
     * @param code the wire code.
     * @return the reason.
     */
    public static RejectReason fromCode(final int code)
    {
        for (final RejectReason reason : values())
        {
            if (reason.code == code)
            {
                return reason;
            }
        }
        return UNKNOWN;
    }
}
