package ipc.shared.transport;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ipc.api.IdleStrategy;
import ipc.api.IpcClaim;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;
import ipc.shared.concurrent.BiasedLock;
import ipc.shared.ring.RecordDescriptor;
import ipc.shared.ring.RingMessageWriter;
import ipc.shared.ring.SegmentDescriptor;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SpaceWaiter;
import ipc.shared.ring.SpscRing;
import ipc.shared.wait.ProcessBarrier;
import ipc.shared.wait.WaitProtocol;

/**
 * The sending half of a channel: the send lock, the ring writer, the waits for room, zero-copy claims, and the
 * messages that a thread which must never wait could not write yet.
 *
 * <h2>Senders</h2>
 * Senders are serialized by one lock, held from the claim to the commit, including while waiting for room (the
 * reader ends that wait by consuming, not by taking the lock). It is a {@link BiasedLock}: given back with a
 * release store, not a fence, since a fence right after the commit waits for the record's cache lines, which the
 * peer's reader is reading, to travel between cores; and where the process barrier exists, taken by the channel's
 * one sending thread with plain stores too, until a second thread sends. The deadline of a send is taken only when it first
 * has to wait: reading the clock costs about as much as a whole hand-off, so the fast path never does. A wait for
 * room ends when the free space covers what the next claim needs, wrap padding included, so a claim never fails
 * after its wait said there was room.
 *
 * <h2>A thread that never waits</h2>
 * The server's dispatcher serves every connection with one thread: a send from its handler must not wait for one
 * client to read. On that thread ({@link #neverWaitOn}), a message that does not fit now (or the rest of a
 * fragmented one) is copied into this half's pending queue and the send returns; the {@link ChannelOwner} is told
 * ({@link ChannelOwner#backpressured}) and stops delivering that client's requests until the queue is written into
 * the ring, which it retries when the client frees room (the client's wake of our writer word rings our doorbell).
 * Pending bytes are bounded by max(ring capacity, maximum message size): a send beyond it fails and closes the channel, since its
 * client does not read its replies. A waiting sender that takes the lock writes the pending messages first, so
 * program order holds for a message that one thread sends after another thread's.
 */
final class ChannelOutbound
{
    /** Longest single wait for the send lock between looks at the channel's state (see {@link #lockForSend}). */
    private static final long LOCK_WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** A message, or the rest of one, that the never-waiting thread could not write yet. */
    private static final class Pending
    {
        final ByteBuffer bytes;
        int offset;

        Pending(final ByteBuffer bytes, final int offset)
        {
            this.bytes = bytes;
            this.offset = offset;
        }
    }

    private final SharedChannel channel;
    private final MappingLease lease;
    private final SpscRing ring;
    private final RingMessageWriter writer;
    /** The peer's reader sleeps on this word of the outbound ring: we wake it after publishing. */
    private final WaitProtocol peerReaderWait;
    /** We sleep on this word of the outbound ring while it is full. */
    private final WaitProtocol writerWait;
    private final IdleStrategy idleStrategy;
    private final long spinNanos;
    private final long sendTimeoutNanos;
    private final int maxMessageSize;
    private final int pendingLimit;
    private final boolean serverSide;
    /** This process takes part in the peer's process barrier: wake checks may then go without a fence. */
    private final boolean processBarrierRegistered;
    private final Counters counters;
    private final BiasedLock sendLock;
    private final WaitProtocol.Condition hasRoomOrGone = this::hasRoomOrGone;
    private final WaitProtocol.Condition hasRoomForPending = this::hasRoomForPending;
    /** Bound once: a method reference evaluated per send would allocate on the hot path. */
    private final SpaceWaiter spaceWaiter = this::awaitSpace;
    /** Guarded by itself; written by the never-waiting thread and by whoever holds the send lock. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /**
     * What the queue holds, counted as the ring would take it: each message's bytes not yet written plus one record
     * header ({@link RecordDescriptor#HEADER_LENGTH}) while it waits, so that empty messages count too; bounded by
     * {@link #pendingLimit}.
     */
    private volatile int pendingBytes;
    /** Prefixed sends that were put together whole instead of written straight into a record (rare; for tests). */
    private final AtomicLong assembledSends = new AtomicLong();
    /** Messages in the queue: an empty message adds no bytes and is pending all the same. */
    private volatile int pendingMessages;
    /** See {@link #lastPublishWoke()}. */
    private boolean lastPublishWoke;
    private volatile Thread neverWaiting;
    /**
     * A close that waits for the pending queue was asked for ({@link SharedChannel#close()}): no new message is taken,
     * while the queue is still written.
     */
    private volatile boolean shut;

    // Guarded by the send lock.
    private long sendDeadline;
    private boolean sendDeadlineTaken;
    private long sendTimeoutForThisSend;
    /** This holder writes (or wrote) the never-waiting thread's queue: its owner is told at the unlock. */
    private boolean wroteQueueForOwner;
    private volatile int roomNeeded;

    ChannelOutbound(
        final SharedChannel channel,
        final MappingLease lease,
        final SpscRing ring,
        final int maxMessageSize,
        final WaitProtocol peerReaderWait,
        final WaitProtocol writerWait,
        final IdleStrategy idleStrategy,
        final long spinNanos,
        final long sendTimeoutNanos,
        final ProcessBarrier barrier,
        final Counters counters)
    {
        this.processBarrierRegistered = barrier.registered();
        this.sendLock = new BiasedLock(barrier);
        this.channel = channel;
        this.lease = lease;
        this.ring = ring;
        this.maxMessageSize = maxMessageSize;
        this.peerReaderWait = peerReaderWait;
        this.writerWait = writerWait;
        this.idleStrategy = idleStrategy;
        this.spinNanos = spinNanos;
        this.sendTimeoutNanos = sendTimeoutNanos;
        this.serverSide = channel.isServerSide();
        this.counters = counters;
        this.writer = new RingMessageWriter(ring, maxMessageSize, this::onPublish);
        // A ring's worth, or one message of the largest size with its header.
        this.pendingLimit = Math.max(ring.capacity(), maxMessageSize + RecordDescriptor.HEADER_LENGTH);
    }

    boolean isBusy()
    {
        return sendLock.isLocked();
    }

    /**
     * For the never-waiting thread, after it queued: whether another sender holds the send lock and will, giving it
     * back, see the queue and tell the owner ({@link #unlockSend()}), so the caller may leave the queue to it. Giving
     * back and looking at the queue have no fence between them on the sender's hot path: the process barrier stands
     * in for it ({@link BiasedLock#isLockedSeeingWhatCameBefore()}; jcstress: {@code QueueHandOverTest}), and where
     * there is none, the sender fences.
     *
     * @return {@code true} if the lock's holder will see the queue; {@code false} if the lock is free.
     */
    boolean isBusyAndWillSeeQueue()
    {
        return sendLock.isLockedSeeingWhatCameBefore();
    }

    long sendTimeoutNanos()
    {
        return sendTimeoutNanos;
    }

    int maxMessageSize()
    {
        return maxMessageSize;
    }

    int maxClaimLength()
    {
        return Math.min(ring.maxRecordLength(), maxMessageSize);
    }

    /** Sends from this thread never wait: the server's dispatcher. */
    void neverWaitOn(final Thread thread)
    {
        this.neverWaiting = thread;
    }

    /**
     * Whether the peer has yet to consume everything this side published: it may be queued for the CPU this thread
     * spins on (see {@link WaitProtocol}). A hint from shared memory that a hostile peer can only make wrong.
     *
     * @return {@code true} while the ring holds bytes the peer has not taken.
     */
    boolean peerBehind()
    {
        return ring.headPositionAcquire() != ring.tailPositionAcquire();
    }

    boolean hasPending()
    {
        return pendingMessages > 0;
    }

    /** Takes no new message from now on (see {@link #shut}); what is queued is still written. */
    void shut()
    {
        shut = true;
    }

    /** Whether new messages are refused: the channel closes once its queue is written. */
    boolean isShut()
    {
        return shut;
    }

    void send(final ByteBuffer message) throws IpcException
    {
        send(message, sendTimeoutNanos);
    }

    /** Sends, waiting at most {@code timeoutNanos} for room (never on the thread that must not wait). */
    void send(final ByteBuffer message, final long timeoutNanos) throws IpcException
    {
        final int length = message.remaining();
        if (length > maxMessageSize)
        {
            throw new IpcMessageTooLargeException("message too large: length=" + length + " maxMessageSize=" +
                maxMessageSize);
        }
        if (Thread.currentThread() == neverWaiting)
        {
            sendWithoutWaiting(message, length, false);
            return;
        }
        lockForSend(timeoutNanos);
        try
        {
            writePendingWaiting();
            final int records = writer.send(message, message.position(), length, spaceWaiter, 0);
            message.position(message.limit());
            countSent(length, records);
        }
        catch (final IpcProtocolException ex)
        {
            throw channel.protocolError(ex);
        }
        finally
        {
            unlockSend();
        }
    }

    /**
     * Sends one message: a {@link RingMessageWriter#PREFIX_LENGTH}-byte prefix (a framing layer's header) followed by
     * the payload's remaining bytes, written straight into one record when they fit one, so the two are never put
     * together in between. A message of several records, or one that the never-waiting thread cannot write now, is
     * put together and sent as {@link #send(ByteBuffer, long)} sends it. The payload's position is not moved.
     *
     * @param first        the prefix's first eight bytes, as a little-endian long.
     * @param second       its last eight, likewise.
     * @param payload      the bytes after the prefix.
     * @param timeoutNanos the longest wait for room (never on the thread that must not wait).
     */
    void sendPrefixed(final long first, final long second, final ByteBuffer payload, final long timeoutNanos)
        throws IpcException
    {
        final int length = payload.remaining();
        final boolean mayWait = Thread.currentThread() != neverWaiting;
        if (writer.fitsPrefixed(length))
        {
            if (mayWait)
            {
                lockForSend(timeoutNanos);
                try
                {
                    writePendingWaiting();
                    writer.sendPrefixed(first, second, payload, payload.position(), length, spaceWaiter, 0);
                    countSent(RingMessageWriter.PREFIX_LENGTH + length, 1);
                }
                catch (final IpcProtocolException ex)
                {
                    throw channel.protocolError(ex);
                }
                finally
                {
                    unlockSend();
                }
                return;
            }
            if (offerPrefixedNow(first, second, payload, length))
            {
                return;
            }
        }
        final long total = (long)RingMessageWriter.PREFIX_LENGTH + length;
        if (total > maxMessageSize)
        {
            throw new IpcMessageTooLargeException("message too large: length=" + total + " maxMessageSize=" +
                maxMessageSize);
        }
        assembledSends.incrementAndGet();
        final ByteBuffer whole = ByteBuffer.allocate((int)total).order(ByteOrder.LITTLE_ENDIAN);
        whole.putLong(0, first).putLong(Long.BYTES, second).put(RingMessageWriter.PREFIX_LENGTH, payload,
            payload.position(), length);
        if (!mayWait)
        {
            // Put together for the queue: it keeps this buffer rather than a copy of it.
            sendWithoutWaiting(whole, (int)total, true);
            return;
        }
        send(whole, timeoutNanos);
    }

    /** How many prefixed sends were put together whole (several records, or the dispatcher could not write now). */
    long assembledSends()
    {
        return assembledSends.get();
    }

    /**
     * The never-waiting thread's prefixed send, if the lock is free and the queue and then the record fit now.
     *
     * @return {@code false} if the record was not written (the queue may have been, in part or whole).
     */
    private boolean offerPrefixedNow(final long first, final long second, final ByteBuffer payload, final int length)
        throws IpcException
    {
        if (!sendLock.tryLock())
        {
            return false;
        }
        try
        {
            checkSendable();
            // The queue first, as sendWithoutWaiting writes it: nothing may overtake a queued message.
            if (writePendingWithoutWaiting() &&
                writer.offerPrefixed(first, second, payload, payload.position(), length))
            {
                countSent(RingMessageWriter.PREFIX_LENGTH + length, 1);
                return true;
            }
            return false;
        }
        catch (final IpcProtocolException ex)
        {
            throw channel.protocolError(ex);
        }
        finally
        {
            unlockSend();
        }
    }

    IpcClaim claim(final int length, final long timeoutNanos) throws IpcException
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("claim length must not be negative: length=" + length);
        }
        if (length > maxClaimLength())
        {
            throw new IpcMessageTooLargeException("claim too large: length=" + length + " maxClaimLength=" +
                maxClaimLength());
        }
        final boolean mayWait = Thread.currentThread() != neverWaiting;
        if (mayWait)
        {
            lockForSend(timeoutNanos);
        }
        else if (!sendLock.tryLock())
        {
            throw dispatcherCannotWait(length);
        }
        boolean claimed = false;
        try
        {
            if (mayWait)
            {
                writePendingWaiting();
            }
            else
            {
                checkSendable();
                if (!writePendingWithoutWaiting())
                {
                    throw dispatcherCannotWait(length);
                }
            }
            while (true)
            {
                final int index = writer.claim(length);
                if (index >= 0)
                {
                    claimed = true;
                    return new RingClaim(this, lease.segment().slice(index, length), index);
                }
                if (!mayWait)
                {
                    throw dispatcherCannotWait(length);
                }
                awaitSpace(ring.requiredSpace(RecordDescriptor.MESSAGE, length), 0);
            }
        }
        catch (final IpcProtocolException ex)
        {
            throw channel.protocolError(ex);
        }
        finally
        {
            if (!claimed)
            {
                // The claim keeps the lock until it is committed or aborted; anything else gives it back.
                unlockSend();
            }
        }
    }

    /** Finishes a claim on the claiming thread: publishes or abandons the record, then gives the send lock back. */
    void finishClaim(final int index, final int length, final boolean commit)
    {
        if (!sendLock.isHeldByCurrentThread())
        {
            throw new IllegalStateException("a claim is committed or aborted by the thread that made it");
        }
        try
        {
            if (commit)
            {
                writer.commit(index);
                counters.increment(Counters.MESSAGES_SENT);
                counters.add(Counters.BYTES_SENT, length);
            }
            else
            {
                writer.abort(index);
            }
        }
        finally
        {
            unlockSend();
        }
    }

    /**
     * The never-waiting thread writes what it can of the pending queue.
     *
     * @return {@code true} if the queue is empty now.
     * @throws IpcException if the peer broke the ring or the channel is closed.
     */
    boolean flushPending() throws IpcException
    {
        if (!hasPending())
        {
            return true;
        }
        if (!sendLock.tryLock())
        {
            // Another thread sends; it writes the queue before its own message.
            return false;
        }
        try
        {
            // Not checkSendable: a channel that is shut still writes what it queued before.
            checkWritable();
            return writePendingWithoutWaiting();
        }
        catch (final IpcProtocolException ex)
        {
            throw channel.protocolError(ex);
        }
        finally
        {
            unlockSend();
        }
    }

    /**
     * The never-waiting thread stops and asks to be woken when the reader frees room for the next pending record:
     * announces it on the writer word, so the peer's consume wakes it (through the doorbell).
     *
     * @return {@code true} if there is room already (nothing is armed then).
     */
    boolean armForRoom()
    {
        return writerWait.announceAndCheck(hasRoomForPending);
    }

    /**
     * Withdraws an announcement made by {@link #armForRoom()}, unless another sender holds the send lock: it may be
     * waiting for room on the same word, announced there, and a withdrawal now would take its wake-up away (its own
     * wait withdraws the word when it ends). Left announced, the word costs one spurious doorbell at most.
     */
    void disarmForRoom()
    {
        if (sendLock.tryLock())
        {
            try
            {
                writerWait.withdraw();
            }
            finally
            {
                unlockSend();
            }
        }
    }

    /** Wakes a thread of this process waiting for room (close, peer death). */
    void wakeLocalWaiter()
    {
        writerWait.wakeIfWaiting();
    }

    /** Wakes the peer's reader, which may sleep waiting for data (our close). */
    void wakePeerReader()
    {
        peerReaderWait.wakeIfWaiting();
    }

    /** Drops the pending queue (the channel closed). */
    void discardPending()
    {
        synchronized (pending)
        {
            pending.clear();
            pendingBytes = 0;
            pendingMessages = 0;
        }
    }

    /**
     * The never-waiting thread's send: written now if the queue is empty and there is room, else (the rest) queued.
     *
     * @param adopt whether the message is a new heap buffer of exactly its bytes that the queue may keep as it is.
     */
    private void sendWithoutWaiting(final ByteBuffer message, final int length, final boolean adopt)
        throws IpcException
    {
        final int position = message.position();
        final int total;
        if (sendLock.tryLock())
        {
            try
            {
                checkSendable();
                int offset = 0;
                if (writePendingWithoutWaiting())
                {
                    final int reached = writer.offer(message, position, length, 0);
                    if (reached == length)
                    {
                        message.position(message.limit());
                        countSent(length, recordsOf(length));
                        return;
                    }
                    offset = Math.max(0, reached);
                }
                // Queued before the lock is given back: the next thread to take it writes the queue first, so its own
                // message cannot land between the fragments of this one that are in the ring already.
                total = enqueue(message, position, length, offset, adopt);
                if (total > pendingLimit && offset > 0)
                {
                    // Started in the ring and cannot be finished: end it, so the reader drops the part it has.
                    writer.abandon(length, offset);
                }
            }
            catch (final IpcProtocolException ex)
            {
                throw channel.protocolError(ex);
            }
            finally
            {
                unlockSend();
            }
        }
        else
        {
            checkSendable();
            total = enqueue(message, position, length, 0, adopt);
        }
        if (total > pendingLimit)
        {
            final IpcClosedException closing = new IpcClosedException("client does not read its replies: pending=" +
                total + " pendingLimit=" + pendingLimit + " " + channel);
            channel.closeWith(closing);
            throw closing;
        }
        tellOwnerOfPending();
        message.position(message.limit());
    }

    /**
     * Queues a message, or the rest of one from {@code offset}, unless the queue would then exceed its limit.
     *
     * @return what the queue holds with it, in bytes; over {@link #pendingLimit} if it was not queued.
     */
    private int enqueue(final ByteBuffer message, final int position, final int length, final int offset,
        final boolean adopt)
    {
        synchronized (pending)
        {
            final int total = pendingBytes + length - offset + RecordDescriptor.HEADER_LENGTH;
            if (total <= pendingLimit)
            {
                final ByteBuffer copy = adopt ? message : ByteBuffer.allocate(length);
                if (!adopt)
                {
                    copy.put(0, message, position, length);
                }
                pending.add(new Pending(copy, offset));
                pendingBytes = total;
                pendingMessages++;
            }
            return total;
        }
    }

    private void tellOwnerOfPending()
    {
        final ChannelOwner owner = channel.owner();
        if (null != owner)
        {
            owner.backpressured(channel);
        }
    }

    /** With the send lock held: writes pending messages while they fit; true if none is left. */
    private boolean writePendingWithoutWaiting() throws IpcException
    {
        if (!hasPending())
        {
            // The common case, on every send of the dispatcher: one volatile read, not the queue's monitor. A message
            // the never-waiting thread queues right after this read is ordered after ours, as it would be if it had
            // been queued right after the monitor was given back; our unlock tells its owner (unlockSend).
            return true;
        }
        while (true)
        {
            final Pending head;
            synchronized (pending)
            {
                head = pending.peek();
            }
            if (null == head)
            {
                return true;
            }
            final int length = head.bytes.capacity();
            final int reached = writer.offer(head.bytes, 0, length, head.offset);
            if (reached != RingMessageWriter.NO_PROGRESS)
            {
                dequeueProgress(head, reached);
            }
            if (reached != length)
            {
                roomNeeded = writer.requiredSpace(length, head.offset);
                return false;
            }
        }
    }

    /** With the send lock held, on a thread that may wait: writes every pending message, waiting for room. */
    private void writePendingWaiting() throws IpcException
    {
        if (!hasPending())
        {
            return;
        }
        wroteQueueForOwner = true;
        while (!writePendingWithoutWaiting())
        {
            awaitSpace(roomNeeded, 0);
        }
    }

    private void dequeueProgress(final Pending head, final int reached)
    {
        final int length = head.bytes.capacity();
        synchronized (pending)
        {
            pendingBytes -= reached - head.offset;
            head.offset = reached;
            if (reached == length)
            {
                pending.poll();
                pendingBytes -= RecordDescriptor.HEADER_LENGTH;
                pendingMessages--;
                countSent(length, recordsOf(length));
            }
        }
    }

    private int recordsOf(final int length)
    {
        final int max = ring.maxRecordLength();
        if (length <= max)
        {
            return 1;
        }
        final int rest = length - (max - RecordDescriptor.FRAGMENT_BEGIN_HEADER_LENGTH);
        return 1 + (rest + max - 1) / max;
    }

    private void countSent(final int length, final int records)
    {
        counters.increment(Counters.MESSAGES_SENT);
        counters.add(Counters.BYTES_SENT, length);
        if (records > 1)
        {
            counters.add(Counters.FRAGMENTS_SENT, records);
        }
    }

    /**
     * Takes the send lock; on return the send's clock is set up: not read yet if the lock was free.
     */
    private void lockForSend(final long timeoutNanos) throws IpcException
    {
        if (sendLock.tryLock())
        {
            sendTimeoutForThisSend = timeoutNanos;
            sendDeadlineTaken = false;
        }
        else
        {
            if (sendLock.isHeldByCurrentThread())
            {
                // This thread's own claim holds the lock: it would wait for itself until the timeout.
                throw new IllegalStateException("this thread holds a claim on this channel: commit or abort it " +
                    "before sending again " + channel);
            }
            final long start = System.nanoTime();
            try
            {
                // In slices: a sender held up by another thread's claim (user code, not ours to wake) still sees the
                // channel close, or its peer go, within a slice rather than at the end of its timeout.
                while (true)
                {
                    final long remaining = timeoutNanos - (System.nanoTime() - start);
                    if (sendLock.tryLock(Math.min(remaining, LOCK_WAIT_SLICE_NANOS)))
                    {
                        break;
                    }
                    checkSendable();
                    if (remaining <= LOCK_WAIT_SLICE_NANOS)
                    {
                        throw new IpcTimeoutException("send timed out waiting for other senders: timeout=" +
                            Duration.ofNanos(timeoutNanos) + " " + channel);
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IpcTimeoutException("send interrupted while waiting for other senders: " + channel, ex);
            }
            sendTimeoutForThisSend = timeoutNanos;
            sendDeadline = start + timeoutNanos;
            sendDeadlineTaken = true;
        }
        try
        {
            // A peer that closed or died reads nothing more: fail now rather than fill its ring unnoticed.
            checkSendable();
        }
        catch (final IpcException ex)
        {
            unlockSend();
            throw ex;
        }
    }

    private void unlockSend()
    {
        final boolean wroteQueue = wroteQueueForOwner;
        wroteQueueForOwner = false;
        sendLock.unlock();
        lease.releaseIfLast();
        if (!processBarrierRegistered && null != neverWaiting)
        {
            // The store that gave the lock back before the load of the queue below (see isBusyAndWillSeeQueue):
            // where the never-waiting thread has no barrier to run on our behalf.
            VarHandle.fullFence();
        }
        if ((wroteQueue || hasPending()) && Thread.currentThread() != neverWaiting)
        {
            // The never-waiting thread queued while we held the lock, and may have armed a wake-up that our own
            // wait for room has since withdrawn; or we wrote its queue, which its owner, finding the lock taken, did
            // not write and armed nothing for (PendingHandOverTest): tell the owner to look again.
            tellOwnerOfPending();
        }
    }

    /** Called with the send lock held when the outbound ring has no room for {@code bytesNeeded}. */
    private void awaitSpace(final int bytesNeeded, final long unusedDeadline) throws IpcException
    {
        checkSendable();
        counters.addAtomic(Counters.FULL_RING_WAITS, 1);
        roomNeeded = bytesNeeded;
        final long remaining = sendDeadlineTaken ? sendDeadline - System.nanoTime() : sendTimeoutForThisSend;
        // Spins without yielding: a full ring means a busy stream, whose reader runs and makes room; a stream makes
        // no system call but the counted wake-ups and parks (IdleCostTest).
        final WaitProtocol.Outcome outcome = writerWait.await(hasRoomOrGone, idleStrategy, spinNanos, remaining);
        if (!sendDeadlineTaken)
        {
            // A fragmented send may wait again: the rest of its time counts from this first wait.
            sendDeadline = writerWait.clockStartNanos() + sendTimeoutForThisSend;
            sendDeadlineTaken = true;
        }
        counters.countWaitAtomic(outcome);
        checkSendable();
        if (outcome == WaitProtocol.Outcome.TIMED_OUT)
        {
            throw new IpcTimeoutException("ring full: no room for bytes=" + bytesNeeded + " within timeout=" +
                Duration.ofNanos(sendTimeoutForThisSend) + " " + channel);
        }
    }

    private boolean hasRoomForPending()
    {
        return ring.freeSpaceAcquire() >= roomNeeded || lease.isClosed();
    }

    /** Whether the ring has room for what the queue's head (or a waiting sender) needs, or the channel or peer went. */
    boolean hasRoomOrGone()
    {
        return ring.freeSpaceAcquire() >= roomNeeded || lease.isClosed() || lease.isPeerGone();
    }

    private void checkSendable() throws IpcException
    {
        if (shut)
        {
            throw channel.closedException();
        }
        checkWritable();
    }

    /** The ring may be written: the channel is not closed and the peer is there. */
    private void checkWritable() throws IpcException
    {
        if (lease.isClosed())
        {
            throw channel.closedException();
        }
        if (lease.isPeerGone())
        {
            throw new IpcPeerClosedException("peer closed: cannot send " + channel);
        }
    }

    /**
     * Whether the last publish woke the peer (it was asleep): a hint for this side's own reader, which then yields at
     * once while the peer is behind (see {@link WaitProtocol#yieldAtOnceAfterWaking}). Written by the sending thread,
     * read by the receiving one, without ordering: a stale value only moves a yield by a few checks.
     *
     * @return {@code true} if the last publish made a wake call.
     */
    boolean lastPublishWoke()
    {
        return lastPublishWoke;
    }

    private void onPublish()
    {
        if (wakePeer(peerReaderWait, lease.segment(), !serverSide, processBarrierRegistered))
        {
            counters.addAtomic(Counters.WAKEUPS_SENT, 1);
            lastPublishWoke = true;
        }
        else if (lastPublishWoke)
        {
            lastPublishWoke = false;
        }
    }

    /**
     * The wake check after a publish or a consume, as the peer's idle word asks: none for a busy-spinning peer, which
     * never sleeps; without a fence for a peer that runs the process barrier before it sleeps, if this process is
     * reached by that barrier; with a fence otherwise (and for any value a hostile peer wrote).
     *
     * @param peerWait    the peer's wait word.
     * @param segment     the mapping.
     * @param peerIsServer whose idle word to read.
     * @param registered  whether this process is registered for the process barrier.
     * @return {@code true} if a wake-up was sent.
     */
    static boolean wakePeer(final WaitProtocol peerWait, final ByteBuffer segment, final boolean peerIsServer,
        final boolean registered)
    {
        final int peerIdle = SegmentHeader.idleAcquire(segment, peerIsServer);
        return peerIdle != SegmentDescriptor.IDLE_NEVER_PARKS &&
            peerWait.wakeIfWaiting(!registered || peerIdle != SegmentDescriptor.IDLE_PARKS_AFTER_BARRIER);
    }

    private IpcTimeoutException dispatcherCannotWait(final int length)
    {
        return new IpcTimeoutException("no room for a claim of length=" + length + " now, and the dispatcher thread " +
            "never waits: use send, which queues what does not fit " + channel);
    }
}
