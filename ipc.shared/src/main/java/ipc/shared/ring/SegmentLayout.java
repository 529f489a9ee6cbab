package ipc.shared.ring;

/**
 * The immutable geometry of one segment, derived from its ring capacity: where each ring's control words and
 * data area are. Offsets are absolute indices in the segment buffer.
 */
public final class SegmentLayout
{
    private final int ringCapacity;
    private final long segmentLength;

    private SegmentLayout(final int ringCapacity)
    {
        this.ringCapacity = ringCapacity;
        this.segmentLength = SegmentDescriptor.DATA_OFFSET + 2L * ringCapacity;
    }

    /**
     * Creates the layout for a ring capacity.
     *
     * @param ringCapacity bytes of each ring's data area: a power of two from
     *                     {@link SegmentDescriptor#MIN_RING_CAPACITY} to {@link SegmentDescriptor#MAX_RING_CAPACITY}.
     * @return the layout.
     * @throws IllegalArgumentException if the capacity is not valid.
     */
    public static SegmentLayout forCapacity(final int ringCapacity)
    {
        final String problem = checkCapacity(ringCapacity);
        if (null != problem)
        {
            throw new IllegalArgumentException(problem);
        }
        return new SegmentLayout(ringCapacity);
    }

    /**
     * Checks a ring capacity without throwing, so a value read from a peer can be turned into a checked error.
     *
     * @param ringCapacity a capacity.
     * @return null if valid, else a message with the value.
     */
    static String checkCapacity(final int ringCapacity)
    {
        if (ringCapacity <= 0 || Integer.bitCount(ringCapacity) != 1)
        {
            return "capacity must be a power of two: capacity=" + ringCapacity;
        }
        if (ringCapacity < SegmentDescriptor.MIN_RING_CAPACITY || ringCapacity > SegmentDescriptor.MAX_RING_CAPACITY)
        {
            return "capacity out of range: capacity=" + ringCapacity +
                " min=" + SegmentDescriptor.MIN_RING_CAPACITY + " max=" + SegmentDescriptor.MAX_RING_CAPACITY;
        }
        return null;
    }

    /**
     * Bytes of each ring's data area.
     *
     * @return the ring capacity.
     */
    public int ringCapacity()
    {
        return ringCapacity;
    }

    /**
     * Total bytes the segment must span.
     *
     * @return header, control blocks and both data areas.
     */
    public long segmentLength()
    {
        return segmentLength;
    }

    /**
     * Largest payload one record may hold: an eighth of the capacity minus the record header. An eighth keeps
     * the padding wasted at a wrap below 12.5% of the ring, lets several records be in flight so that writer
     * and reader overlap, and guarantees that an empty ring always accepts any claim, even one that must wrap
     * (padding + record + reserves stay under the capacity). Larger messages are fragmented.
     *
     * @return payload bytes.
     */
    public int maxRecordLength()
    {
        return maxRecordLength(ringCapacity);
    }

    static int maxRecordLength(final int ringCapacity)
    {
        return (ringCapacity >> 3) - RecordDescriptor.HEADER_LENGTH;
    }

    /**
     * Offset of a ring's control block.
     *
     * @param direction the ring.
     * @return absolute offset.
     */
    public int controlOffset(final Direction direction)
    {
        return direction == Direction.CLIENT_TO_SERVER ?
            SegmentDescriptor.CLIENT_TO_SERVER_CONTROL_OFFSET : SegmentDescriptor.SERVER_TO_CLIENT_CONTROL_OFFSET;
    }

    /**
     * Offset of a ring's data area; page aligned.
     *
     * @param direction the ring.
     * @return absolute offset.
     */
    public int dataOffset(final Direction direction)
    {
        return SegmentDescriptor.DATA_OFFSET + (direction == Direction.CLIENT_TO_SERVER ? 0 : ringCapacity);
    }

    /**
     * Offset of a ring's head position (long).
     *
     * @param direction the ring.
     * @return absolute offset.
     */
    public int headOffset(final Direction direction)
    {
        return controlOffset(direction) + RingDescriptor.HEAD_OFFSET;
    }

    /**
     * Offset of a ring's tail position (long).
     *
     * @param direction the ring.
     * @return absolute offset.
     */
    public int tailOffset(final Direction direction)
    {
        return controlOffset(direction) + RingDescriptor.TAIL_OFFSET;
    }

    /**
     * Offset of a ring's reader wait word (int, the futex word a sleeping reader waits on).
     *
     * @param direction the ring.
     * @return absolute offset.
     */
    public int readerWaitOffset(final Direction direction)
    {
        return controlOffset(direction) + RingDescriptor.READER_WAIT_OFFSET;
    }

    /**
     * Offset of a ring's writer wait word (int, the futex word a writer blocked on a full ring waits on).
     *
     * @param direction the ring.
     * @return absolute offset.
     */
    public int writerWaitOffset(final Direction direction)
    {
        return controlOffset(direction) + RingDescriptor.WRITER_WAIT_OFFSET;
    }

    /**
     * Offset of a side's state word (int).
     *
     * @param server true for the server's word, false for the client's.
     * @return absolute offset.
     */
    public int stateOffset(final boolean server)
    {
        return server ? SegmentDescriptor.SERVER_STATE_OFFSET : SegmentDescriptor.CLIENT_STATE_OFFSET;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof SegmentLayout && ((SegmentLayout)other).ringCapacity == ringCapacity;
    }

    @Override
    public int hashCode()
    {
        return ringCapacity;
    }

    @Override
    public String toString()
    {
        return "SegmentLayout{ringCapacity=" + ringCapacity + ", segmentLength=" + segmentLength + '}';
    }
}
