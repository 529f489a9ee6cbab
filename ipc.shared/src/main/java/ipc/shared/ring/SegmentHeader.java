package ipc.shared.ring;

import java.nio.ByteBuffer;

import ipc.api.IpcProtocolException;

/**
 * Writes and validates the segment header described by {@link SegmentDescriptor}, and accesses the per-side
 * state words. The creator calls {@link #initialize}; the peer calls {@link #attach} and trusts nothing it reads.
 */
public final class SegmentHeader
{
    private static final byte[] ZERO_PAGE = new byte[SegmentDescriptor.PAGE_SIZE];

    private SegmentHeader()
    {
    }

    /**
     * Lays out a new segment: zeroes every byte of it, which touches every page so that the hot path never takes
     * a first-touch page fault and the rings start empty (all record lengths zero), writes the header fields, and
     * stores the layout version last with release so that a peer that sees it sees everything else.
     *
     * @param segment        a direct buffer over the mapped segment, at least {@code layout.segmentLength()} long.
     * @param layout         the geometry.
     * @param maxMessageSize the largest message either side may send: 1 to
     *                       {@link SegmentDescriptor#MAX_MESSAGE_SIZE_LIMIT}.
     * @throws IllegalArgumentException if the buffer is too short or not direct, or the size is out of range.
     */
    public static void initialize(final ByteBuffer segment, final SegmentLayout layout, final int maxMessageSize)
    {
        SharedMemory.checkSegmentBuffer(segment);
        if (segment.capacity() < layout.segmentLength())
        {
            throw new IllegalArgumentException("segment buffer too short: capacity=" + segment.capacity() +
                " segmentLength=" + layout.segmentLength());
        }
        if (maxMessageSize < 1 || maxMessageSize > SegmentDescriptor.MAX_MESSAGE_SIZE_LIMIT)
        {
            throw new IllegalArgumentException("maxMessageSize out of range: maxMessageSize=" + maxMessageSize +
                " max=" + SegmentDescriptor.MAX_MESSAGE_SIZE_LIMIT);
        }

        // Zeroing page by page is the first touch of every page; the version stays 0 (not ready) meanwhile.
        final int length = (int)layout.segmentLength();
        for (int offset = 0; offset < length; offset += SegmentDescriptor.PAGE_SIZE)
        {
            segment.put(offset, ZERO_PAGE, 0, Math.min(SegmentDescriptor.PAGE_SIZE, length - offset));
        }

        for (int i = 0; i < SegmentDescriptor.magicLength(); i++)
        {
            segment.put(SegmentDescriptor.MAGIC_OFFSET + i, SegmentDescriptor.magicByte(i));
        }
        SharedMemory.putInt(segment, SegmentDescriptor.RING_CAPACITY_OFFSET, layout.ringCapacity());
        SharedMemory.putLong(segment, SegmentDescriptor.SEGMENT_LENGTH_OFFSET, layout.segmentLength());
        SharedMemory.putInt(segment, SegmentDescriptor.MAX_MESSAGE_SIZE_OFFSET, maxMessageSize);
        SharedMemory.putIntRelease(segment, SegmentDescriptor.VERSION_OFFSET, SegmentDescriptor.LAYOUT_VERSION);
    }

    /**
     * Validates the header of a segment created by the peer. Every value is treated as hostile: any
     * inconsistency is reported as an {@link IpcProtocolException} naming the values, never as an unchecked
     * exception.
     *
     * @param segment      a direct buffer over the mapped segment.
     * @param mappedLength the length actually mapped, as the operating system reported it.
     * @return the layout and limits found.
     * @throws IpcProtocolException if the segment is not ready, not a segment, of another major version, or
     *                              its sizes are invalid or exceed the mapping.
     */
    public static AttachedSegment attach(final ByteBuffer segment, final long mappedLength) throws IpcProtocolException
    {
        if (!segment.isDirect() || segment.alignmentOffset(0, Long.BYTES) != 0)
        {
            throw new IpcProtocolException("segment buffer must be direct and 8-byte aligned: isDirect=" +
                segment.isDirect());
        }
        final long usable = Math.min(mappedLength, segment.capacity());
        if (usable < SegmentDescriptor.DATA_OFFSET)
        {
            throw new IpcProtocolException("segment shorter than its header: mappedLength=" + mappedLength +
                " bufferCapacity=" + segment.capacity() + " headerLength=" + SegmentDescriptor.DATA_OFFSET);
        }

        final int version = SharedMemory.getIntAcquire(segment, SegmentDescriptor.VERSION_OFFSET);
        if (0 == version)
        {
            throw new IpcProtocolException("segment not ready: version=0");
        }
        for (int i = 0; i < SegmentDescriptor.magicLength(); i++)
        {
            if (segment.get(SegmentDescriptor.MAGIC_OFFSET + i) != SegmentDescriptor.magicByte(i))
            {
                throw new IpcProtocolException("segment magic mismatch: magic=" + magicHex(segment));
            }
        }
        if (version >>> 16 != SegmentDescriptor.LAYOUT_MAJOR_VERSION)
        {
            throw new IpcProtocolException("segment layout version mismatch: app=" +
                SegmentDescriptor.versionString(SegmentDescriptor.LAYOUT_VERSION) +
                " segment=" + SegmentDescriptor.versionString(version));
        }

        final int ringCapacity = SharedMemory.getInt(segment, SegmentDescriptor.RING_CAPACITY_OFFSET);
        final String capacityProblem = SegmentLayout.checkCapacity(ringCapacity);
        if (null != capacityProblem)
        {
            throw new IpcProtocolException("invalid segment ring " + capacityProblem);
        }
        final SegmentLayout layout = SegmentLayout.forCapacity(ringCapacity);

        final long segmentLength = SharedMemory.getLong(segment, SegmentDescriptor.SEGMENT_LENGTH_OFFSET);
        if (segmentLength != layout.segmentLength())
        {
            throw new IpcProtocolException("segment length inconsistent with ring capacity: segmentLength=" +
                segmentLength + " expected=" + layout.segmentLength() + " capacity=" + ringCapacity);
        }
        if (segmentLength > usable)
        {
            throw new IpcProtocolException("segment length exceeds the mapping: segmentLength=" + segmentLength +
                " mappedLength=" + mappedLength + " bufferCapacity=" + segment.capacity());
        }

        final int maxMessageSize = SharedMemory.getInt(segment, SegmentDescriptor.MAX_MESSAGE_SIZE_OFFSET);
        if (maxMessageSize < 1 || maxMessageSize > SegmentDescriptor.MAX_MESSAGE_SIZE_LIMIT)
        {
            throw new IpcProtocolException("invalid segment maxMessageSize: maxMessageSize=" + maxMessageSize +
                " max=" + SegmentDescriptor.MAX_MESSAGE_SIZE_LIMIT);
        }

        return new AttachedSegment(layout, maxMessageSize, version);
    }

    /**
     * Publishes a side's state; pairs with {@link #getStateAcquire}.
     *
     * @param segment the segment buffer.
     * @param server  true for the server's word, false for the client's.
     * @param state   {@link SegmentDescriptor#STATE_OPEN} or {@link SegmentDescriptor#STATE_CLOSED}.
     */
    public static void putStateRelease(final ByteBuffer segment, final boolean server, final int state)
    {
        SharedMemory.putIntRelease(segment, stateOffset(server), state);
    }

    /**
     * Reads a side's state.
     *
     * @param segment the segment buffer.
     * @param server  true for the server's word, false for the client's.
     * @return the state; a hostile peer may store any value, so callers treat unknown values as closed.
     */
    public static int getStateAcquire(final ByteBuffer segment, final boolean server)
    {
        return SharedMemory.getIntAcquire(segment, stateOffset(server));
    }

    /**
     * Publishes how a side waits, once, before its state says open.
     *
     * @param segment the segment buffer.
     * @param server  true for the server's word, false for the client's.
     * @param idle    {@link SegmentDescriptor#IDLE_MAY_PARK}, {@link SegmentDescriptor#IDLE_NEVER_PARKS} or
     *                {@link SegmentDescriptor#IDLE_PARKS_AFTER_BARRIER}.
     */
    public static void putIdleRelease(final ByteBuffer segment, final boolean server, final int idle)
    {
        SharedMemory.putIntRelease(segment, server ? SegmentDescriptor.SERVER_IDLE_OFFSET :
            SegmentDescriptor.CLIENT_IDLE_OFFSET, idle);
    }

    /**
     * Reads how a side waits: a value from shared memory, which the caller compares with the idle constants only,
     * so that anything else (a hostile value) counts as {@link SegmentDescriptor#IDLE_MAY_PARK}.
     *
     * @param segment the segment buffer.
     * @param server  true for the server's word, false for the client's.
     * @return the word as read.
     */
    public static int idleAcquire(final ByteBuffer segment, final boolean server)
    {
        return SharedMemory.getIntAcquire(segment, server ? SegmentDescriptor.SERVER_IDLE_OFFSET :
            SegmentDescriptor.CLIENT_IDLE_OFFSET);
    }

    private static int stateOffset(final boolean server)
    {
        return server ? SegmentDescriptor.SERVER_STATE_OFFSET : SegmentDescriptor.CLIENT_STATE_OFFSET;
    }

    private static String magicHex(final ByteBuffer segment)
    {
        final StringBuilder hex = new StringBuilder(2 * SegmentDescriptor.magicLength());
        for (int i = 0; i < SegmentDescriptor.magicLength(); i++)
        {
            hex.append(String.format("%02x", segment.get(SegmentDescriptor.MAGIC_OFFSET + i) & 0xFF));
        }
        return hex.toString();
    }
}
