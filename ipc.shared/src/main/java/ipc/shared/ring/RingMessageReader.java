package ipc.shared.ring;

import java.nio.ByteBuffer;

import ipc.api.IpcProtocolException;

/**
 * Reads whole messages from an {@link SpscRing}, reassembling fragmented ones into a reader-owned buffer.
 * Reassembly is bounded: the total a {@link RecordDescriptor#FRAGMENT_BEGIN} announces is checked against the
 * maximum message size, and must exceed what one record holds (the writer fragments nothing smaller); the buffer
 * grows with the bytes that actually arrive, never beyond that total, and a buffer larger than
 * {@link #RETAINED_ASSEMBLY_CAPACITY} is dropped once its message is delivered or aborted, so a peer that announces
 * large messages and aborts them holds no memory between messages. Fragments must add up to the total exactly. Any
 * sequence the writer cannot produce is an {@link IpcProtocolException}. One {@link #peek()} consumes at most a
 * ring's capacity of fragments, so forged begin/abort pairs cannot keep the reader busy within one call.
 *
 * <p>Single reader: one thread at a time. Buffers handed out are read-only.
 */
public final class RingMessageReader
{
    /** A reassembly buffer up to this size is kept for the next fragmented message; larger ones are dropped. */
    public static final int RETAINED_ASSEMBLY_CAPACITY = 64 * 1024;

    private final SpscRing ring;
    private final ByteBuffer ringBuffer;
    private final ByteBuffer ringView;
    private final int maxMessageSize;
    private final ConsumeListener consumeListener;
    private final RecordHandler pollRecordHandler = this::onPolledRecord;
    private final MessageView view = new MessageView();

    private ByteBuffer assembly;
    private ByteBuffer assemblyView;
    private int assemblyTotal = -1;
    private int assemblyPosition;
    private int assemblyRecords;

    private MessageHandler pollHandler;
    private int pollDelivered;
    private boolean viewHeld;
    private int borrowedIndex = SpscRing.EMPTY;

    private long messagesReceived;
    private long fragmentsReceived;
    private long messagesAborted;

    /**
     * Wraps the reader side of a ring.
     *
     * @param ring            the ring, used only as a reader.
     * @param maxMessageSize  the largest message to accept (and so to allocate for).
     * @param consumeListener told after every head release.
     */
    public RingMessageReader(final SpscRing ring, final int maxMessageSize, final ConsumeListener consumeListener)
    {
        if (maxMessageSize < 0)
        {
            throw new IllegalArgumentException("maxMessageSize must not be negative: maxMessageSize=" + maxMessageSize);
        }
        this.ring = ring;
        this.ringBuffer = ring.buffer();
        this.ringView = ringBuffer.asReadOnlyBuffer();
        this.maxMessageSize = maxMessageSize;
        this.consumeListener = consumeListener;
    }

    /**
     * Delivers up to {@code limit} whole messages. Fragments of a message not yet complete are consumed and kept
     * assembled for a later call.
     *
     * @param handler receives each message; the bytes are valid only during the call.
     * @param limit   the most messages to deliver.
     * @return messages delivered.
     * @throws IpcProtocolException if the writer broke the record or fragment protocol; the ring is then unusable.
     * @throws IllegalStateException if a {@link #peek()}ed message is not released.
     */
    public int poll(final MessageHandler handler, final int limit) throws IpcProtocolException
    {
        checkNoView();
        pollHandler = handler;
        pollDelivered = 0;
        try
        {
            while (pollDelivered < limit)
            {
                final long before = ring.consumerPosition();
                final int records;
                try
                {
                    // Each record completes at most one message, so this cannot overshoot the limit.
                    records = ring.poll(pollRecordHandler, limit - pollDelivered);
                }
                finally
                {
                    if (ring.consumerPosition() != before)
                    {
                        consumeListener.onConsume();
                    }
                }
                if (0 == records)
                {
                    break;
                }
            }
            return pollDelivered;
        }
        finally
        {
            pollHandler = null;
        }
    }

    /**
     * Borrows the next whole message, if one is available. A single-record message is viewed in the ring and stays
     * there until {@link #release()}; a fragmented one is viewed in the reassembly buffer. Calling it again before
     * the release returns the same view.
     *
     * @return the view, or null if no whole message is available yet.
     * @throws IpcProtocolException if the writer broke the record or fragment protocol.
     */
    public MessageView peek() throws IpcProtocolException
    {
        if (viewHeld)
        {
            return view;
        }
        final long budgetEnd = ring.consumerPosition() + ring.capacity();
        while (ring.consumerPosition() - budgetEnd < 0)
        {
            final long before = ring.consumerPosition();
            final int index;
            try
            {
                index = ring.peek();
            }
            finally
            {
                if (ring.consumerPosition() != before)
                {
                    consumeListener.onConsume();
                }
            }
            if (index < 0)
            {
                return null;
            }

            final int type = ring.recordType(index);
            final int length = ring.recordLength(index);
            if (RecordDescriptor.MESSAGE == type)
            {
                checkMessage(type, length);
                borrowedIndex = index;
                viewHeld = true;
                view.set(ringView, index, length, 1);
                return view;
            }

            final boolean complete = onFragment(type, index, length);
            ring.release(index);
            consumeListener.onConsume();
            if (complete)
            {
                borrowedIndex = SpscRing.EMPTY;
                viewHeld = true;
                view.set(assemblyView, 0, assemblyTotal, assemblyRecords);
                return view;
            }
        }
        // This call's share of work is done; what is left is picked up by the next one.
        return null;
    }

    /**
     * Ends the borrow started by {@link #peek()}: a single record is released in the ring (its space goes back
     * to the writer), a reassembled message frees the reassembly buffer for the next one.
     *
     * @throws IllegalStateException if no message is borrowed.
     */
    public void release()
    {
        if (!viewHeld)
        {
            throw new IllegalStateException("no message is borrowed");
        }
        viewHeld = false;
        messagesReceived++;
        if (borrowedIndex >= 0)
        {
            final int index = borrowedIndex;
            borrowedIndex = SpscRing.EMPTY;
            ring.release(index);
            consumeListener.onConsume();
        }
        else
        {
            resetAssembly();
        }
    }

    /**
     * Tells whether fragments of an incomplete message are held.
     *
     * @return true while reassembling.
     */
    public boolean isAssembling()
    {
        return assemblyTotal >= 0;
    }

    /**
     * Messages delivered (by poll) or released (after peek) so far.
     *
     * @return count.
     */
    public long messagesReceived()
    {
        return messagesReceived;
    }

    /**
     * Fragment records consumed so far (begin, middle and end).
     *
     * @return count.
     */
    public long fragmentsReceived()
    {
        return fragmentsReceived;
    }

    /**
     * Partial messages dropped because the writer sent {@link RecordDescriptor#FRAGMENT_ABORT}.
     *
     * @return count.
     */
    public long messagesAborted()
    {
        return messagesAborted;
    }

    /**
     * Largest message accepted.
     *
     * @return bytes.
     */
    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    private void onPolledRecord(final int type, final ByteBuffer buffer, final int index, final int length)
        throws IpcProtocolException
    {
        if (RecordDescriptor.MESSAGE == type)
        {
            checkMessage(type, length);
            pollDelivered++;
            messagesReceived++;
            pollHandler.onMessage(ringView, index, length);
        }
        else if (onFragment(type, index, length))
        {
            pollDelivered++;
            messagesReceived++;
            try
            {
                pollHandler.onMessage(assemblyView, 0, assemblyTotal);
            }
            finally
            {
                resetAssembly();
            }
        }
    }

    /**
     * Adds one fragment (or an abort) to the reassembly.
     *
     * @return true if the message is now complete in the assembly buffer.
     */
    private boolean onFragment(final int type, final int index, final int length) throws IpcProtocolException
    {
        switch (type)
        {
            case RecordDescriptor.FRAGMENT_BEGIN:
            {
                checkNotAssembling(type);
                if (length < RecordDescriptor.FRAGMENT_BEGIN_HEADER_LENGTH)
                {
                    throw new IpcProtocolException("fragment begin too short: length=" + length);
                }
                final int total = SharedMemory.getInt(ringBuffer, index + RecordDescriptor.FRAGMENT_TOTAL_LENGTH_OFFSET);
                final int chunk = length - RecordDescriptor.FRAGMENT_BEGIN_HEADER_LENGTH;
                if (total < 0 || total > maxMessageSize)
                {
                    throw new IpcProtocolException("fragmented message larger than allowed: totalLength=" + total +
                        " maxMessageSize=" + maxMessageSize);
                }
                if (total <= ring.maxRecordLength())
                {
                    throw new IpcProtocolException("fragmented message fits one record: totalLength=" + total +
                        " maxRecordLength=" + ring.maxRecordLength());
                }
                if (chunk > total)
                {
                    throw new IpcProtocolException(
                        "fragment exceeds announced total: totalLength=" + total + " received=" + chunk);
                }
                ensureAssemblyCapacity(chunk, total);
                assembly.put(0, ringBuffer, index + RecordDescriptor.FRAGMENT_BEGIN_HEADER_LENGTH, chunk);
                assemblyTotal = total;
                assemblyPosition = chunk;
                assemblyRecords = 1;
                fragmentsReceived++;
                return false;
            }
            case RecordDescriptor.FRAGMENT_MIDDLE:
            case RecordDescriptor.FRAGMENT_END:
            {
                if (assemblyTotal < 0)
                {
                    throw new IpcProtocolException("fragment without begin: type=" + type);
                }
                final int received = assemblyPosition + length;
                final boolean end = RecordDescriptor.FRAGMENT_END == type;
                if (received > assemblyTotal || (end && received != assemblyTotal))
                {
                    throw new IpcProtocolException("fragments do not add up to the announced total: totalLength=" +
                        assemblyTotal + " received=" + received + " type=" + type);
                }
                ensureAssemblyCapacity(received, assemblyTotal);
                assembly.put(assemblyPosition, ringBuffer, index, length);
                assemblyPosition = received;
                assemblyRecords++;
                fragmentsReceived++;
                return end;
            }
            case RecordDescriptor.FRAGMENT_ABORT:
            {
                if (assemblyTotal < 0)
                {
                    throw new IpcProtocolException("fragment abort without begin: type=" + type);
                }
                messagesAborted++;
                resetAssembly();
                return false;
            }
            default:
                throw new IpcProtocolException("unexpected record type: type=" + type);
        }
    }

    private void checkMessage(final int type, final int length) throws IpcProtocolException
    {
        checkNotAssembling(type);
        if (length > maxMessageSize)
        {
            throw new IpcProtocolException(
                "message larger than allowed: length=" + length + " maxMessageSize=" + maxMessageSize);
        }
    }

    private void checkNotAssembling(final int type) throws IpcProtocolException
    {
        if (assemblyTotal >= 0)
        {
            throw new IpcProtocolException("record inside a fragmented message: type=" + type +
                " totalLength=" + assemblyTotal + " received=" + assemblyPosition);
        }
    }

    private void checkNoView()
    {
        if (viewHeld)
        {
            throw new IllegalStateException("a peeked message is not released");
        }
    }

    /**
     * Grows the reassembly buffer to hold {@code needed} bytes, doubling but never beyond the announced total, so
     * memory follows the bytes that arrived rather than the total a peer announced.
     */
    private void ensureAssemblyCapacity(final int needed, final int total)
    {
        final int current = null == assembly ? 0 : assembly.capacity();
        if (current >= needed)
        {
            return;
        }
        final int grown = (int)Math.min(total, Math.max((long)needed, Math.max(2L * current, 2L * ring.maxRecordLength())));
        final ByteBuffer larger = ByteBuffer.allocate(grown);
        if (null != assembly && assemblyPosition > 0)
        {
            larger.put(0, assembly, 0, assemblyPosition);
        }
        assembly = larger;
        assemblyView = larger.asReadOnlyBuffer();
    }

    /**
     * Capacity of the reassembly buffer held now (for tests and diagnostics).
     *
     * @return bytes, 0 if none is held.
     */
    public int assemblyCapacity()
    {
        return null == assembly ? 0 : assembly.capacity();
    }

    private void resetAssembly()
    {
        assemblyTotal = -1;
        assemblyPosition = 0;
        assemblyRecords = 0;
        if (null != assembly && assembly.capacity() > RETAINED_ASSEMBLY_CAPACITY)
        {
            assembly = null;
            assemblyView = null;
        }
    }
}
