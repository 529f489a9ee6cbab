package ipc.shared.ring;

import java.nio.ByteBuffer;

import ipc.api.IpcProtocolException;

/**
 * A single-producer single-consumer ring of variable-length records over one direction of a shared segment.
 * One thread (in one process) uses the writer methods, one thread (usually in the other process) the reader
 * methods; one instance per side is created over the same memory.
 *
 * <h2>Commit protocol</h2>
 * The writer writes the type and payload with plain stores, then stores the record length last with release;
 * the reader loads the length with acquire, and a length of zero means "nothing committed here". Because the
 * length word is the flag, bytes left by a previous lap must never look like a committed length: before
 * releasing a record's length the writer zeroes (plain store, ordered by that release) the length word of the
 * position right after the record. Every claim therefore needs {@link RecordDescriptor#ALIGNMENT} bytes of free
 * space beyond the record, and the reader never writes into the data area.
 *
 * <h2>Wrap</h2>
 * A record never straddles the end of the data area. When it does not fit contiguously, the writer first
 * commits a {@link RecordDescriptor#PADDING} record filling the end (after zeroing the length word at index 0,
 * which always holds the previous lap's first record), and places the record at index 0. The reader skips
 * padding.
 *
 * <h2>Abort reserve</h2>
 * A claim of a fragment leaves room, beyond its own next-zero word, for one more
 * {@link RecordDescriptor#HEADER_LENGTH}-byte record, so that after the last committed fragment a
 * {@link RecordDescriptor#FRAGMENT_ABORT} record and its next-zero word always fit:
 * {@link #tryWriteFragmentAbort()} succeeds whenever a fragment was the last record committed, without waiting.
 *
 * <h2>Positions</h2>
 * Head and tail are ever-growing byte positions, starting at zero in a freshly initialised segment: neither side
 * loads its starting positions from memory the peer could already have written. The reader publishes head with
 * release once per poll; the writer loads it with acquire only when its cached copy says the ring is too full.
 * Tail is published with release after each commit; the reader loads it with acquire only when a record it found
 * lies in a lap of the ring that the tail it last saw has not reached, so an honest stream costs the reader one tail
 * load per lap, not one per record.
 *
 * <h2>Hostile peer</h2>
 * The reader checks every length and type it loads and reports violations as {@link IpcProtocolException}
 * without reading outside the data area. It never consumes into a lap that the writer's published tail has not
 * reached (so stale or forged records left in the data area cannot be consumed lap after lap: the head cannot lap
 * the tail; each lap a writer makes the reader consume costs it a tail publication, as a real stream does), and one
 * call consumes at most {@link #capacity()} bytes. The writer treats an impossible head (behind its cached head, beyond its tail, or unaligned) as
 * {@link #CORRUPT}.
 */
public final class SpscRing
{
    /** {@link #tryClaim} result: not enough free space right now; retry after the reader has consumed. */
    public static final int INSUFFICIENT_CAPACITY = -2;

    /** {@link #tryClaim} result: the head published by the reader is impossible; the ring cannot be used. */
    public static final int CORRUPT = -3;

    /** {@link #peek} result: no record committed yet. */
    public static final int EMPTY = -1;

    /** Extra free space a fragment claim leaves for a later {@link RecordDescriptor#FRAGMENT_ABORT} record. */
    static final int ABORT_RESERVE = RecordDescriptor.HEADER_LENGTH;

    /** Free space the writer keeps after a record for the zeroed length word of the next position. */
    static final int NEXT_ZERO_LENGTH = RecordDescriptor.ALIGNMENT;

    private final ByteBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int maxRecordLength;
    private final int dataOffset;
    private final int headOffset;
    private final int tailOffset;

    // Writer-side state, plain fields: only the writer thread touches them.
    private long tail;
    private long headCache;
    private int claimedRecordIndex = -1;
    private int claimedRecordLength;

    // Reader-side state, plain fields: only the reader thread touches them.
    private long head;
    private long publishedHead;
    /**
     * The end of the lap of the writer's tail as last loaded and checked: committed records ending at or before it
     * may be consumed; beyond it, only after a fresh tail says the writer went on.
     */
    private long consumeLimit;
    /** The writer's tail as last loaded: it never goes backwards. */
    private long lastTail;
    private int peekedIndex = EMPTY;
    private int peekedType;
    private int peekedLength;

    /**
     * Wraps one direction of a freshly initialised segment: both positions start at zero (see the class comment).
     *
     * @param segment   a direct buffer over the whole segment.
     * @param layout    the segment geometry.
     * @param direction which ring.
     * @throws IllegalArgumentException if the buffer is not direct, misaligned or shorter than the layout.
     */
    public SpscRing(final ByteBuffer segment, final SegmentLayout layout, final Direction direction)
    {
        SharedMemory.checkSegmentBuffer(segment);
        if (segment.capacity() < layout.segmentLength())
        {
            throw new IllegalArgumentException("segment buffer too short: capacity=" + segment.capacity() +
                " segmentLength=" + layout.segmentLength());
        }
        this.buffer = segment;
        this.capacity = layout.ringCapacity();
        this.mask = capacity - 1;
        this.maxRecordLength = layout.maxRecordLength();
        this.dataOffset = layout.dataOffset(direction);
        this.headOffset = layout.headOffset(direction);
        this.tailOffset = layout.tailOffset(direction);
    }

    /**
     * Free space, beyond the record itself, that a claim of this type must find (excluding wrap padding).
     *
     * @param type          the record type.
     * @param payloadLength payload bytes.
     * @return bytes of free space the claim needs when it does not wrap.
     */
    public static int spaceNeeded(final int type, final int payloadLength)
    {
        return RecordDescriptor.alignedLength(RecordDescriptor.HEADER_LENGTH + payloadLength) + NEXT_ZERO_LENGTH +
            (RecordDescriptor.isFragment(type) ? ABORT_RESERVE : 0);
    }

    /**
     * Claims space for a record. The type is written now; the caller writes the payload at the returned index
     * and then calls {@link #commit} or {@link #abort}. Only one claim may be outstanding.
     *
     * @param type          {@link RecordDescriptor#MESSAGE} or a fragment type.
     * @param payloadLength 0 to {@link #maxRecordLength()}.
     * @return absolute buffer index of the payload, or {@link #INSUFFICIENT_CAPACITY} or {@link #CORRUPT}.
     * @throws IllegalArgumentException if type or length is invalid.
     * @throws IllegalStateException    if a claim is outstanding.
     */
    public int tryClaim(final int type, final int payloadLength)
    {
        if (claimedRecordIndex >= 0)
        {
            throw new IllegalStateException("a claim is outstanding: recordIndex=" + claimedRecordIndex);
        }
        if (type != RecordDescriptor.MESSAGE && !RecordDescriptor.isFragment(type))
        {
            throw new IllegalArgumentException("type cannot be claimed: type=" + type);
        }
        if (payloadLength < 0 || payloadLength > maxRecordLength)
        {
            throw new IllegalArgumentException("payload length out of range: payloadLength=" + payloadLength +
                " maxRecordLength=" + maxRecordLength);
        }

        final int recordLength = RecordDescriptor.HEADER_LENGTH + payloadLength;
        final int index = (int)(tail & mask);
        final int toEnd = capacity - index;
        final int padding = RecordDescriptor.alignedLength(recordLength) > toEnd ? toEnd : 0;
        final int required = padding + spaceNeeded(type, payloadLength);

        if (required > capacity - (tail - headCache))
        {
            final int refreshed = refreshHeadCache();
            if (refreshed < 0)
            {
                return refreshed;
            }
            if (required > capacity - (tail - headCache))
            {
                return INSUFFICIENT_CAPACITY;
            }
        }

        int recordIndex = dataOffset + index;
        if (0 != padding)
        {
            // Index 0 holds the previous lap's first length: zero it before the padding makes it reachable.
            SharedMemory.putInt(buffer, dataOffset, 0);
            SharedMemory.putInt(buffer, recordIndex + RecordDescriptor.TYPE_OFFSET, RecordDescriptor.PADDING);
            SharedMemory.putIntRelease(buffer, recordIndex + RecordDescriptor.LENGTH_OFFSET, padding);
            tail += padding;
            recordIndex = dataOffset;
        }

        SharedMemory.putInt(buffer, recordIndex + RecordDescriptor.TYPE_OFFSET, type);
        claimedRecordIndex = recordIndex;
        claimedRecordLength = recordLength;

        return recordIndex + RecordDescriptor.HEADER_LENGTH;
    }

    /**
     * Commits the outstanding claim: the reader may now see it.
     *
     * @param payloadIndex the index {@link #tryClaim} returned.
     * @throws IllegalStateException if it is not the outstanding claim.
     */
    public void commit(final int payloadIndex)
    {
        checkClaim(payloadIndex);
        publishClaim();
    }

    /**
     * Gives the outstanding claim up: it becomes committed padding, which the reader skips.
     *
     * @param payloadIndex the index {@link #tryClaim} returned.
     * @throws IllegalStateException if it is not the outstanding claim.
     */
    public void abort(final int payloadIndex)
    {
        checkClaim(payloadIndex);
        SharedMemory.putInt(buffer, claimedRecordIndex + RecordDescriptor.TYPE_OFFSET, RecordDescriptor.PADDING);
        publishClaim();
    }

    /**
     * Copies a record into the ring and commits it.
     *
     * @param type     {@link RecordDescriptor#MESSAGE} or a fragment type.
     * @param src      the bytes.
     * @param srcIndex absolute index of the first byte in {@code src}.
     * @param length   payload bytes, 0 to {@link #maxRecordLength()}.
     * @return true if written, false if the ring is too full right now (or its head is corrupt).
     */
    public boolean offer(final int type, final ByteBuffer src, final int srcIndex, final int length)
    {
        final int payloadIndex = tryClaim(type, length);
        if (payloadIndex < 0)
        {
            return false;
        }
        buffer.put(payloadIndex, src, srcIndex, length);
        commit(payloadIndex);
        return true;
    }

    /**
     * Writes a {@link RecordDescriptor#FRAGMENT_ABORT} record. Guaranteed to succeed when the last record this
     * writer committed was a fragment (the abort reserve), even if a later fragment claim failed.
     *
     * @return true if written; false only if the reserve was not there (no fragment committed before).
     * @throws IllegalStateException if a claim is outstanding.
     */
    public boolean tryWriteFragmentAbort()
    {
        if (claimedRecordIndex >= 0)
        {
            throw new IllegalStateException("a claim is outstanding: recordIndex=" + claimedRecordIndex);
        }
        final int required = RecordDescriptor.HEADER_LENGTH + NEXT_ZERO_LENGTH;
        // The cached head is enough when the reserve holds: it is what admitted the last fragment.
        if (required > capacity - (tail - headCache) && (refreshHeadCache() < 0 || required > capacity - (tail - headCache)))
        {
            return false;
        }
        // An 8-byte record always fits before the end: indices and the capacity are multiples of 8.
        claimedRecordIndex = dataOffset + (int)(tail & mask);
        claimedRecordLength = RecordDescriptor.HEADER_LENGTH;
        SharedMemory.putInt(buffer, claimedRecordIndex + RecordDescriptor.TYPE_OFFSET, RecordDescriptor.FRAGMENT_ABORT);
        publishClaim();
        return true;
    }

    /**
     * Consumes up to {@code limit} records (padding is skipped and not counted) and publishes the new head once.
     * A record counts as consumed once handed to the handler, even if the handler throws.
     *
     * @param handler receives each record; the payload is valid only during the call.
     * @param limit   the most records to deliver.
     * @return records delivered.
     * @throws IpcProtocolException if a record is malformed (the ring is then unusable), or the handler says so.
     * @throws IllegalStateException if a {@link #peek()}ed record has not been released.
     */
    public int poll(final RecordHandler handler, final int limit) throws IpcProtocolException
    {
        checkNoPeek();
        int delivered = 0;
        final long budgetEnd = head + capacity;
        try
        {
            while (delivered < limit)
            {
                final int recordIndex = dataOffset + (int)(head & mask);
                final int length = SharedMemory.getIntAcquire(buffer, recordIndex + RecordDescriptor.LENGTH_OFFSET);
                if (0 == length)
                {
                    break;
                }
                final int type = SharedMemory.getInt(buffer, recordIndex + RecordDescriptor.TYPE_OFFSET);
                checkRecord(recordIndex, length, type);
                final long end = head + RecordDescriptor.alignedLength(length);
                if (end - budgetEnd > 0 || !isPublished(end))
                {
                    break;
                }
                head = end;
                if (RecordDescriptor.PADDING != type)
                {
                    delivered++;
                    handler.onRecord(
                        type, buffer, recordIndex + RecordDescriptor.HEADER_LENGTH, length - RecordDescriptor.HEADER_LENGTH);
                }
            }
        }
        finally
        {
            publishHead();
        }
        return delivered;
    }

    /**
     * Borrows the next record without consuming it: padding before it is consumed, the record stays in the
     * ring until {@link #release(int)}. Calling it again before the release returns the same record.
     *
     * @return absolute buffer index of the payload, or {@link #EMPTY}.
     * @throws IpcProtocolException if a record is malformed.
     */
    public int peek() throws IpcProtocolException
    {
        if (peekedIndex >= 0)
        {
            return peekedIndex;
        }
        final long budgetEnd = head + capacity;
        try
        {
            while (true)
            {
                final int recordIndex = dataOffset + (int)(head & mask);
                final int length = SharedMemory.getIntAcquire(buffer, recordIndex + RecordDescriptor.LENGTH_OFFSET);
                if (0 == length)
                {
                    return EMPTY;
                }
                final int type = SharedMemory.getInt(buffer, recordIndex + RecordDescriptor.TYPE_OFFSET);
                checkRecord(recordIndex, length, type);
                final long end = head + RecordDescriptor.alignedLength(length);
                if (end - budgetEnd > 0 || !isPublished(end))
                {
                    return EMPTY;
                }
                if (RecordDescriptor.PADDING == type)
                {
                    head = end;
                    continue;
                }
                // Kept in plain fields: the peer could rewrite the shared words after this check.
                peekedType = type;
                peekedLength = length - RecordDescriptor.HEADER_LENGTH;
                peekedIndex = recordIndex + RecordDescriptor.HEADER_LENGTH;
                return peekedIndex;
            }
        }
        finally
        {
            publishHead();
        }
    }

    /**
     * Type of the record returned by {@link #peek()}.
     *
     * @param index the payload index {@link #peek()} returned.
     * @return its type, as validated by the peek.
     */
    public int recordType(final int index)
    {
        checkPeeked(index);
        return peekedType;
    }

    /**
     * Payload length of the record returned by {@link #peek()}.
     *
     * @param index the payload index {@link #peek()} returned.
     * @return payload bytes, as validated by the peek.
     */
    public int recordLength(final int index)
    {
        checkPeeked(index);
        return peekedLength;
    }

    /**
     * Consumes the record returned by {@link #peek()} and publishes the head with release; its bytes may be
     * overwritten from then on.
     *
     * @param index the payload index {@link #peek()} returned.
     */
    public void release(final int index)
    {
        checkPeeked(index);
        head += RecordDescriptor.alignedLength(peekedLength + RecordDescriptor.HEADER_LENGTH);
        peekedIndex = EMPTY;
        publishHead();
    }

    /**
     * Reader side: tells whether nothing is published at the head. Padding counts as something (a poll
     * consumes it). A record whose length is stored but which ends beyond the writer's published tail is not
     * published yet. A malformed record or tail counts as something, so that the next poll or peek reports it.
     * Only meaningful on the reader's thread.
     *
     * @return true if no record is published at the reader's position.
     */
    public boolean isEmpty()
    {
        if (peekedIndex >= 0)
        {
            return false;
        }
        final int recordIndex = dataOffset + (int)(head & mask);
        final int length = SharedMemory.getIntAcquire(buffer, recordIndex + RecordDescriptor.LENGTH_OFFSET);
        if (0 == length)
        {
            return true;
        }
        if (length < RecordDescriptor.HEADER_LENGTH || length > capacity - (recordIndex - dataOffset))
        {
            return false;
        }
        try
        {
            return !isPublished(head + RecordDescriptor.alignedLength(length));
        }
        catch (final IpcProtocolException ex)
        {
            return false;
        }
    }

    /**
     * Writer side: the free space a claim of this record needs now, including the padding it would need to wrap
     * from the current tail; compare with {@link #freeSpaceAcquire()} to wait exactly until the claim can succeed.
     *
     * @param type          the record type.
     * @param payloadLength payload bytes.
     * @return bytes.
     */
    public int requiredSpace(final int type, final int payloadLength)
    {
        final int toEnd = capacity - (int)(tail & mask);
        final int padding = RecordDescriptor.alignedLength(RecordDescriptor.HEADER_LENGTH + payloadLength) > toEnd ?
            toEnd : 0;
        return padding + spaceNeeded(type, payloadLength);
    }

    /**
     * Writer side: free bytes as of the head the reader has published, loaded with acquire. An impossible head
     * gives a value outside 0..capacity, which the next claim reports as {@link #CORRUPT}.
     *
     * @return bytes the writer may fill.
     */
    public long freeSpaceAcquire()
    {
        return capacity - (tail - SharedMemory.getLongAcquire(buffer, headOffset));
    }

    /**
     * Bytes of the data area.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Largest payload one record may hold, see {@link SegmentLayout#maxRecordLength()}.
     *
     * @return payload bytes.
     */
    public int maxRecordLength()
    {
        return maxRecordLength;
    }

    /**
     * The segment buffer the ring lives in; payload indices are absolute indices in it.
     *
     * @return the buffer.
     */
    public ByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * Reader side: the position the reader has consumed up to (not necessarily published yet).
     *
     * @return bytes consumed since the segment was created.
     */
    public long consumerPosition()
    {
        return head;
    }

    /**
     * Writer side: the position the writer has committed up to.
     *
     * @return bytes produced since the segment was created.
     */
    public long producerPosition()
    {
        return tail;
    }

    /**
     * The published head, for observers (e.g. statistics).
     *
     * @return the head, loaded with acquire.
     */
    public long headPositionAcquire()
    {
        return SharedMemory.getLongAcquire(buffer, headOffset);
    }

    /**
     * The published tail, for observers.
     *
     * @return the tail, loaded with acquire.
     */
    public long tailPositionAcquire()
    {
        return SharedMemory.getLongAcquire(buffer, tailOffset);
    }

    /**
     * Whether a committed record ending at {@code end} may be consumed: it lies within the lap of the writer's
     * published tail. Loads the tail only when the one last seen does not reach that far.
     *
     * @throws IpcProtocolException if the published tail is impossible: behind the head, more than a capacity
     *                              ahead of it, or unaligned.
     */
    private boolean isPublished(final long end) throws IpcProtocolException
    {
        if (end - consumeLimit <= 0)
        {
            return true;
        }
        final long observedTail = SharedMemory.getLongAcquire(buffer, tailOffset);
        // The reader may be ahead of the published tail by the records it consumed within the tail's lap (their
        // lengths commit them; the tail follows each), never by more than a lap; nor may a tail go backwards.
        final long ahead = observedTail - head;
        if (ahead < -capacity || ahead > capacity || observedTail < lastTail ||
            (observedTail & (RecordDescriptor.ALIGNMENT - 1)) != 0)
        {
            throw new IpcProtocolException("ring tail published by the writer is impossible: tail=" + observedTail +
                " head=" + head + " lastTail=" + lastTail + " capacity=" + capacity);
        }
        lastTail = observedTail;
        // A record within the tail's lap was committed by its length (release, read with acquire): an honest writer
        // zeroes the length word after each record, so nothing stale is found before the real end of its stream.
        consumeLimit = (observedTail + mask) & ~(long)mask;
        return end - consumeLimit <= 0;
    }

    private int refreshHeadCache()
    {
        final long observedHead = SharedMemory.getLongAcquire(buffer, headOffset);
        if (observedHead < headCache || observedHead > tail || (observedHead & (RecordDescriptor.ALIGNMENT - 1)) != 0)
        {
            return CORRUPT;
        }
        headCache = observedHead;
        return 0;
    }

    private void publishClaim()
    {
        final int alignedLength = RecordDescriptor.alignedLength(claimedRecordLength);
        final int nextIndex = dataOffset + (int)((tail + alignedLength) & mask);
        SharedMemory.putInt(buffer, nextIndex + RecordDescriptor.LENGTH_OFFSET, 0);
        SharedMemory.putIntRelease(buffer, claimedRecordIndex + RecordDescriptor.LENGTH_OFFSET, claimedRecordLength);
        tail += alignedLength;
        claimedRecordIndex = -1;
        SharedMemory.putLongRelease(buffer, tailOffset, tail);
    }

    private void publishHead()
    {
        if (head != publishedHead)
        {
            publishedHead = head;
            SharedMemory.putLongRelease(buffer, headOffset, head);
        }
    }

    private void checkClaim(final int payloadIndex)
    {
        if (claimedRecordIndex < 0 || payloadIndex != claimedRecordIndex + RecordDescriptor.HEADER_LENGTH)
        {
            throw new IllegalStateException("not the outstanding claim: payloadIndex=" + payloadIndex +
                " claimedPayloadIndex=" + (claimedRecordIndex < 0 ? -1 : claimedRecordIndex + RecordDescriptor.HEADER_LENGTH));
        }
    }

    private void checkPeeked(final int index)
    {
        if (peekedIndex < 0 || index != peekedIndex)
        {
            throw new IllegalStateException("not the peeked record: index=" + index + " peekedIndex=" + peekedIndex);
        }
    }

    private void checkNoPeek()
    {
        if (peekedIndex >= 0)
        {
            throw new IllegalStateException("a peeked record is not released: peekedIndex=" + peekedIndex);
        }
    }

    private void checkRecord(final int recordIndex, final int length, final int type) throws IpcProtocolException
    {
        final int toEnd = capacity - (recordIndex - dataOffset);
        // Unaligned lengths are legal (the exact length is stored); ending past the data area is not. Since the
        // end of the area is 8-aligned, length <= toEnd implies alignedLength(length) <= toEnd.
        if (length < RecordDescriptor.HEADER_LENGTH || length > toEnd)
        {
            throw new IpcProtocolException("record length out of bounds: length=" + length +
                " position=" + head + " remainingToEnd=" + toEnd);
        }
        if (!RecordDescriptor.isKnownType(type))
        {
            throw new IpcProtocolException("unknown record type: type=" + type + " position=" + head);
        }
        if (RecordDescriptor.PADDING != type && length - RecordDescriptor.HEADER_LENGTH > maxRecordLength)
        {
            throw new IpcProtocolException("record longer than allowed: payloadLength=" +
                (length - RecordDescriptor.HEADER_LENGTH) + " maxRecordLength=" + maxRecordLength + " position=" + head);
        }
    }
}
