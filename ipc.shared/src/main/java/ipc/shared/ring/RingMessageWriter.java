package ipc.shared.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import ipc.api.IpcException;
import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcProtocolException;

/**
 * Writes whole messages into an {@link SpscRing}: one {@link RecordDescriptor#MESSAGE} record when the message
 * fits {@link SpscRing#maxRecordLength()}, else a {@link RecordDescriptor#FRAGMENT_BEGIN}, zero or more
 * {@link RecordDescriptor#FRAGMENT_MIDDLE} and a {@link RecordDescriptor#FRAGMENT_END}. Nothing is ever
 * half-delivered: a message above the maximum size is refused before anything is written, and a send that fails
 * while waiting for space after some fragments were committed ends them with a
 * {@link RecordDescriptor#FRAGMENT_ABORT}, which the ring's abort reserve guarantees room for.
 *
 * <p>Single writer: one thread at a time, like the ring it wraps.
 */
public final class RingMessageWriter
{
    /** {@link #offer} result: nothing of the message fit; the ring is full right now. */
    public static final int NO_PROGRESS = -1;

    /** Bytes of the prefix that {@link #sendPrefixed} and {@link #offerPrefixed} write before a message's bytes. */
    public static final int PREFIX_LENGTH = 2 * Long.BYTES;

    /** A prefix word is written little-endian whatever the ring's byte order: its bytes are the wire's. */
    private static final VarHandle LONG_LE = MethodHandles.byteBufferViewVarHandle(long[].class,
        ByteOrder.LITTLE_ENDIAN);

    private final SpscRing ring;
    private final ByteBuffer buffer;
    private final int maxMessageSize;
    private final int maxRecordLength;
    private final PublishListener publishListener;
    private long messagesSent;
    private long fragmentsSent;
    private long messagesAborted;

    /**
     * Wraps the writer side of a ring.
     *
     * @param ring            the ring, used only as a writer.
     * @param maxMessageSize  the largest message accepted, from the segment header.
     * @param publishListener told after every commit.
     */
    public RingMessageWriter(final SpscRing ring, final int maxMessageSize, final PublishListener publishListener)
    {
        if (maxMessageSize < 0)
        {
            throw new IllegalArgumentException("maxMessageSize must not be negative: maxMessageSize=" + maxMessageSize);
        }
        this.ring = ring;
        this.buffer = ring.buffer();
        this.maxMessageSize = maxMessageSize;
        this.maxRecordLength = ring.maxRecordLength();
        this.publishListener = publishListener;
    }

    /**
     * Copies a message into the ring, fragmenting it if needed, and waits for space when the ring is full.
     *
     * @param src           the message bytes.
     * @param index         absolute index of the first byte in {@code src}.
     * @param length        message bytes, 0 to the maximum message size.
     * @param waiter        called when the ring is full; its exception ends the send.
     * @param deadlineNanos {@link System#nanoTime()} deadline handed to the waiter.
     * @return records written: 1, or the number of fragments.
     * @throws IpcMessageTooLargeException if {@code length} exceeds the maximum message size (nothing written).
     * @throws IpcProtocolException        if the reader published an impossible head.
     * @throws IpcException                whatever the waiter throws (e.g. timeout, closed); fragments already
     *                                     committed are then followed by a {@link RecordDescriptor#FRAGMENT_ABORT}.
     */
    public int send(
        final ByteBuffer src, final int index, final int length, final SpaceWaiter waiter, final long deadlineNanos)
        throws IpcException
    {
        checkMessageLength(length);
        if (length <= maxRecordLength)
        {
            final int payloadIndex = claimOrWait(RecordDescriptor.MESSAGE, length, waiter, deadlineNanos);
            buffer.put(payloadIndex, src, index, length);
            ring.commit(payloadIndex);
            messagesSent++;
            publishListener.onPublish();
            return 1;
        }
        return sendFragments(src, index, length, waiter, deadlineNanos);
    }

    /**
     * Whether a message of {@code length} bytes after the {@link #PREFIX_LENGTH}-byte prefix fits one record, so that
     * {@link #sendPrefixed} and {@link #offerPrefixed} take it.
     *
     * @param length the bytes after the prefix.
     * @return {@code true} if prefix and bytes fit one record (and so the maximum message size).
     */
    public boolean fitsPrefixed(final int length)
    {
        return length >= 0 && length <= maxRecordLength - PREFIX_LENGTH && length <= maxMessageSize - PREFIX_LENGTH;
    }

    /**
     * Writes one message made of a 16-byte prefix and a run of bytes, straight into one record, waiting for space
     * when the ring is full: a framing layer's header and its payload without putting them together first.
     *
     * @param first         the prefix's first eight bytes, as a little-endian long.
     * @param second        its last eight, likewise.
     * @param src           the bytes after the prefix.
     * @param index         absolute index of the first of them in {@code src}.
     * @param length        how many; {@link #fitsPrefixed} must hold.
     * @param waiter        called when the ring is full; its exception ends the send (nothing written then).
     * @param deadlineNanos {@link System#nanoTime()} deadline handed to the waiter.
     * @throws IllegalArgumentException if prefix and bytes do not fit one record.
     * @throws IpcProtocolException     if the reader published an impossible head.
     * @throws IpcException             whatever the waiter throws.
     */
    public void sendPrefixed(final long first, final long second, final ByteBuffer src, final int index,
        final int length, final SpaceWaiter waiter, final long deadlineNanos) throws IpcException
    {
        checkPrefixed(src, index, length);
        writePrefixed(claimOrWait(RecordDescriptor.MESSAGE, PREFIX_LENGTH + length, waiter, deadlineNanos), first,
            second, src, index, length);
    }

    /**
     * As {@link #sendPrefixed}, without waiting: writes the record if there is room for it now.
     *
     * @return {@code true} if written, {@code false} if the ring has no room for it now (nothing written).
     * @throws IllegalArgumentException if prefix and bytes do not fit one record.
     * @throws IpcProtocolException     if the reader published an impossible head.
     */
    public boolean offerPrefixed(final long first, final long second, final ByteBuffer src, final int index,
        final int length) throws IpcProtocolException
    {
        checkPrefixed(src, index, length);
        final int payloadIndex = tryClaim(RecordDescriptor.MESSAGE, PREFIX_LENGTH + length);
        if (payloadIndex < 0)
        {
            return false;
        }
        writePrefixed(payloadIndex, first, second, src, index, length);
        return true;
    }

    private void checkPrefixed(final ByteBuffer src, final int index, final int length)
    {
        // Before the claim: a claim left uncommitted by a bad range would stop the ring.
        Objects.checkFromIndexSize(index, length, src.limit());
        if (!fitsPrefixed(length))
        {
            throw new IllegalArgumentException("a prefixed message must fit one record: length=" + length +
                " prefix=" + PREFIX_LENGTH + " maxRecordLength=" + maxRecordLength + " maxMessageSize=" +
                maxMessageSize);
        }
    }

    private void writePrefixed(final int payloadIndex, final long first, final long second, final ByteBuffer src,
        final int index, final int length)
    {
        LONG_LE.set(buffer, payloadIndex, first);
        LONG_LE.set(buffer, payloadIndex + Long.BYTES, second);
        buffer.put(payloadIndex + PREFIX_LENGTH, src, index, length);
        ring.commit(payloadIndex);
        messagesSent++;
        publishListener.onPublish();
    }

    /**
     * Writes as much of a message as fits now, without waiting: the whole record of a small message, or as many of
     * the next fragments of a large one as there is room for. Resumable: call again with the offset returned until
     * it equals {@code length}. Between the calls of one fragmented message no other message may be written.
     *
     * @param src    the message bytes.
     * @param index  absolute index of the first byte of the message in {@code src}.
     * @param length message bytes, 0 to the maximum message size.
     * @param offset bytes of this message written by earlier calls; 0 for a new message.
     * @return the offset reached ({@code length} once the message is complete), or {@link #NO_PROGRESS} if nothing
     *         fit.
     * @throws IpcMessageTooLargeException if {@code length} exceeds the maximum message size (nothing written).
     * @throws IpcProtocolException        if the reader published an impossible head.
     */
    public int offer(final ByteBuffer src, final int index, final int length, final int offset)
        throws IpcMessageTooLargeException, IpcProtocolException
    {
        checkMessageLength(length);
        if (length <= maxRecordLength)
        {
            final int payloadIndex = tryClaim(RecordDescriptor.MESSAGE, length);
            if (payloadIndex < 0)
            {
                return NO_PROGRESS;
            }
            buffer.put(payloadIndex, src, index, length);
            ring.commit(payloadIndex);
            messagesSent++;
            publishListener.onPublish();
            return length;
        }
        int reached = offset;
        while (reached < length)
        {
            final int type = fragmentType(reached, length);
            final int chunk = fragmentChunk(reached, length);
            final int payloadIndex = tryClaim(type, RecordDescriptor.FRAGMENT_BEGIN == type ? maxRecordLength : chunk);
            if (payloadIndex < 0)
            {
                return reached == offset ? NO_PROGRESS : reached;
            }
            writeFragment(type, payloadIndex, src, index + reached, chunk, length);
            reached += chunk;
        }
        messagesSent++;
        return reached;
    }

    /**
     * Free space the next record of a partly written message needs now, wrap padding included (see
     * {@link SpscRing#requiredSpace}).
     *
     * @param length the message's length.
     * @param offset bytes written so far.
     * @return bytes.
     */
    public int requiredSpace(final int length, final int offset)
    {
        if (length <= maxRecordLength)
        {
            return ring.requiredSpace(RecordDescriptor.MESSAGE, length);
        }
        final int type = fragmentType(offset, length);
        return ring.requiredSpace(type, RecordDescriptor.FRAGMENT_BEGIN == type ? maxRecordLength :
            fragmentChunk(offset, length));
    }

    /**
     * Ends a fragmented message that will not be completed (its sender gave up or closed) with a
     * {@link RecordDescriptor#FRAGMENT_ABORT}, which the abort reserve always has room for.
     *
     * @param length the message's length.
     * @param offset bytes written so far; nothing happens unless {@code 0 < offset < length}.
     */
    public void abandon(final int length, final int offset)
    {
        if (offset > 0 && offset < length && ring.tryWriteFragmentAbort())
        {
            messagesAborted++;
            publishListener.onPublish();
        }
    }

    /**
     * Zero-copy: claims room for a message of one record; write it at the returned index, then {@link #commit}
     * or {@link #abort}.
     *
     * @param length message bytes, at most {@link #maxClaimLength()}.
     * @return absolute index in {@link #buffer()}, or {@link SpscRing#INSUFFICIENT_CAPACITY} when full.
     * @throws IpcMessageTooLargeException if the length exceeds one record or the maximum message size.
     * @throws IpcProtocolException        if the reader published an impossible head.
     */
    public int claim(final int length) throws IpcMessageTooLargeException, IpcProtocolException
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length must not be negative: length=" + length);
        }
        if (length > maxClaimLength())
        {
            throw new IpcMessageTooLargeException("claim too large: length=" + length +
                " maxClaimLength=" + maxClaimLength() + " maxMessageSize=" + maxMessageSize);
        }
        final int payloadIndex = ring.tryClaim(RecordDescriptor.MESSAGE, length);
        if (SpscRing.CORRUPT == payloadIndex)
        {
            throw corruptHead();
        }
        return payloadIndex;
    }

    /**
     * Publishes a message written through {@link #claim}.
     *
     * @param index the index {@link #claim} returned.
     */
    public void commit(final int index)
    {
        ring.commit(index);
        messagesSent++;
        publishListener.onPublish();
    }

    /**
     * Gives up a claim; the reader skips it.
     *
     * @param index the index {@link #claim} returned.
     */
    public void abort(final int index)
    {
        ring.abort(index);
        publishListener.onPublish();
    }

    /**
     * Largest message {@link #claim} accepts: one record, within the maximum message size.
     *
     * @return bytes.
     */
    public int maxClaimLength()
    {
        return Math.min(maxRecordLength, maxMessageSize);
    }

    /**
     * Largest message {@link #send} accepts.
     *
     * @return bytes.
     */
    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    /**
     * The buffer claimed indices refer to.
     *
     * @return the segment buffer.
     */
    public ByteBuffer buffer()
    {
        return buffer;
    }

    /**
     * Messages fully committed so far.
     *
     * @return count.
     */
    public long messagesSent()
    {
        return messagesSent;
    }

    /**
     * Fragment records committed so far (begin, middle and end).
     *
     * @return count.
     */
    public long fragmentsSent()
    {
        return fragmentsSent;
    }

    /**
     * Fragmented messages ended by a {@link RecordDescriptor#FRAGMENT_ABORT}.
     *
     * @return count.
     */
    public long messagesAborted()
    {
        return messagesAborted;
    }

    private int sendFragments(
        final ByteBuffer src, final int index, final int length, final SpaceWaiter waiter, final long deadlineNanos)
        throws IpcException
    {
        int records = 0;
        int offset = 0;
        try
        {
            while (offset < length)
            {
                final int type = fragmentType(offset, length);
                final int chunk = fragmentChunk(offset, length);
                final int payloadIndex = claimOrWait(
                    type, RecordDescriptor.FRAGMENT_BEGIN == type ? maxRecordLength : chunk, waiter, deadlineNanos);
                writeFragment(type, payloadIndex, src, index + offset, chunk, length);
                records++;
                offset += chunk;
            }
            messagesSent++;
            return records;
        }
        finally
        {
            abandon(length, offset);
        }
    }

    private int fragmentType(final int offset, final int length)
    {
        if (0 == offset)
        {
            return RecordDescriptor.FRAGMENT_BEGIN;
        }
        return offset + maxRecordLength >= length ? RecordDescriptor.FRAGMENT_END : RecordDescriptor.FRAGMENT_MIDDLE;
    }

    private int fragmentChunk(final int offset, final int length)
    {
        return 0 == offset ? maxRecordLength - RecordDescriptor.FRAGMENT_BEGIN_HEADER_LENGTH :
            Math.min(length - offset, maxRecordLength);
    }

    private void writeFragment(
        final int type, final int payloadIndex, final ByteBuffer src, final int srcIndex, final int chunk,
        final int length)
    {
        int dataIndex = payloadIndex;
        if (RecordDescriptor.FRAGMENT_BEGIN == type)
        {
            SharedMemory.putInt(buffer, payloadIndex + RecordDescriptor.FRAGMENT_TOTAL_LENGTH_OFFSET, length);
            dataIndex += RecordDescriptor.FRAGMENT_BEGIN_HEADER_LENGTH;
        }
        buffer.put(dataIndex, src, srcIndex, chunk);
        ring.commit(payloadIndex);
        fragmentsSent++;
        publishListener.onPublish();
    }

    private int tryClaim(final int type, final int payloadLength) throws IpcProtocolException
    {
        final int payloadIndex = ring.tryClaim(type, payloadLength);
        if (SpscRing.CORRUPT == payloadIndex)
        {
            throw corruptHead();
        }
        return payloadIndex;
    }

    private int claimOrWait(final int type, final int payloadLength, final SpaceWaiter waiter, final long deadlineNanos)
        throws IpcException
    {
        while (true)
        {
            final int payloadIndex = ring.tryClaim(type, payloadLength);
            if (payloadIndex >= 0)
            {
                return payloadIndex;
            }
            if (SpscRing.CORRUPT == payloadIndex)
            {
                throw corruptHead();
            }
            waiter.awaitSpace(ring.requiredSpace(type, payloadLength), deadlineNanos);
        }
    }

    private void checkMessageLength(final int length) throws IpcMessageTooLargeException
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length must not be negative: length=" + length);
        }
        if (length > maxMessageSize)
        {
            throw new IpcMessageTooLargeException(
                "message too large: length=" + length + " maxMessageSize=" + maxMessageSize);
        }
    }

    private IpcProtocolException corruptHead()
    {
        return new IpcProtocolException("ring head published by the reader is impossible: producerPosition=" +
            ring.producerPosition() + " headPosition=" + ring.headPositionAcquire());
    }
}
