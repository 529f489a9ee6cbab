package ipc.shared.ring;

import java.nio.ByteBuffer;

/**
 * A whole message borrowed from a {@link RingMessageReader} by {@link RingMessageReader#peek()}: valid until
 * {@link RingMessageReader#release()}. The reader reuses one instance, so do not keep it past the release.
 */
public final class MessageView
{
    private ByteBuffer buffer;
    private int index;
    private int length;
    private int recordCount;

    MessageView()
    {
    }

    void set(final ByteBuffer buffer, final int index, final int length, final int recordCount)
    {
        this.buffer = buffer;
        this.index = index;
        this.length = length;
        this.recordCount = recordCount;
    }

    /**
     * The read-only buffer holding the message: the ring itself for a single record, else the reassembly buffer.
     *
     * @return the buffer.
     */
    public ByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * Absolute index of the first byte in {@link #buffer()}.
     *
     * @return the index.
     */
    public int index()
    {
        return index;
    }

    /**
     * Message bytes.
     *
     * @return the length.
     */
    public int length()
    {
        return length;
    }

    /**
     * Records the message arrived in: 1 for a single record, else the number of fragments.
     *
     * @return records.
     */
    public int recordCount()
    {
        return recordCount;
    }

    /**
     * Tells whether the message was fragmented and reassembled.
     *
     * @return true if it arrived in more than one record.
     */
    public boolean isReassembled()
    {
        return recordCount > 1;
    }
}
