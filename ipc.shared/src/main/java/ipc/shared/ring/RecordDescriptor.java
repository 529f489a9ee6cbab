package ipc.shared.ring;

/**
 * Layout of one record in a ring data area, and the record types.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |R|                Length (int, header included)                |
 *  +---------------------------------------------------------------+
 *  |                          Type (int)                           |
 *  +---------------------------------------------------------------+
 *  |                       Payload (length - 8)                   ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |            padding up to the next multiple of 8               |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The length is the commit flag: the writer stores it last with release, the reader loads it with acquire, and
 * zero means "nothing committed here yet". It counts the header, so a committed record is never zero. It is
 * the exact length (not rounded); records start at multiples of {@link #ALIGNMENT}.
 *
 * <p>A {@link #FRAGMENT_BEGIN} payload starts with an int, the total length of the message it begins,
 * followed by the first bytes of the message.
 */
public final class RecordDescriptor
{
    /** Offset of the record length (int, stored last with release). */
    public static final int LENGTH_OFFSET = 0;

    /** Offset of the record type (int). */
    public static final int TYPE_OFFSET = LENGTH_OFFSET + Integer.BYTES;

    /** Length of the record header; the payload follows it. */
    public static final int HEADER_LENGTH = TYPE_OFFSET + Integer.BYTES;

    /** Records start at multiples of this, so the length word is naturally aligned for atomic access. */
    public static final int ALIGNMENT = 8;

    /** Offset, in a {@link #FRAGMENT_BEGIN} payload, of the total message length (int). */
    public static final int FRAGMENT_TOTAL_LENGTH_OFFSET = 0;

    /** Payload bytes a {@link #FRAGMENT_BEGIN} spends on the total message length before the message bytes. */
    public static final int FRAGMENT_BEGIN_HEADER_LENGTH = FRAGMENT_TOTAL_LENGTH_OFFSET + Integer.BYTES;

    /** Filler the reader skips: the end of the data area at a wrap, or an aborted claim. */
    public static final int PADDING = 1;

    /** A whole message in one record. */
    public static final int MESSAGE = 2;

    /** First fragment of a message too large for one record. */
    public static final int FRAGMENT_BEGIN = 3;

    /** A fragment between the first and the last. */
    public static final int FRAGMENT_MIDDLE = 4;

    /** Last fragment: the message is complete. */
    public static final int FRAGMENT_END = 5;

    /** The sender gave up mid-message; the reader drops what it assembled. Carries no payload. */
    public static final int FRAGMENT_ABORT = 6;

    private RecordDescriptor()
    {
    }

    /**
     * Rounds a record length up to the record alignment.
     *
     * @param length a record length, header included.
     * @return the number of bytes the record occupies in the data area.
     */
    public static int alignedLength(final int length)
    {
        return (length + (ALIGNMENT - 1)) & -ALIGNMENT;
    }

    /**
     * Tells whether a type is one of the record types above.
     *
     * @param type a type read from a record header.
     * @return true if it is known.
     */
    public static boolean isKnownType(final int type)
    {
        return type >= PADDING && type <= FRAGMENT_ABORT;
    }

    /**
     * Tells whether a type is one of the fragment types.
     *
     * @param type a record type.
     * @return true for {@link #FRAGMENT_BEGIN}, {@link #FRAGMENT_MIDDLE}, {@link #FRAGMENT_END}.
     */
    public static boolean isFragment(final int type)
    {
        return type >= FRAGMENT_BEGIN && type <= FRAGMENT_END;
    }
}
