package ipc.shared.codec;

/**
 * The checked fields of one decoded call frame header ({@link CallFrameCodec#decode}), reused frame after frame by
 * its single reader. Not thread-safe.
 */
public final class CallHeader
{
    private byte kind;
    private byte flags;
    private int credits;
    private long id;
    private int payloadIndex;
    private int payloadLength;

    void set(final byte kind, final byte flags, final int credits, final long id, final int payloadIndex,
        final int payloadLength)
    {
        this.kind = kind;
        this.flags = flags;
        this.credits = credits;
        this.id = id;
        this.payloadIndex = payloadIndex;
        this.payloadLength = payloadLength;
    }

    /** @return the kind, one of {@code CallFrameDescriptor.KIND_*}. */
    public byte kind()
    {
        return kind;
    }

    /** @return the flags. */
    public byte flags()
    {
        return flags;
    }

    /** @return the credits. */
    public int credits()
    {
        return credits;
    }

    /** @return the correlation id, positive. */
    public long id()
    {
        return id;
    }

    /** @return the absolute index of the payload in the decoded buffer. */
    public int payloadIndex()
    {
        return payloadIndex;
    }

    /** @return the payload's length in bytes. */
    public int payloadLength()
    {
        return payloadLength;
    }
}
