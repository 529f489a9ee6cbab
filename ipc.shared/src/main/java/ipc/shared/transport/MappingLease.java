package ipc.shared.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import ipc.shared.ring.SegmentDescriptor;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.spi.ConnectionResources;

/**
 * The lease on one connection's mapping and handles (the role Aeron's {@code LogBuffers} plays): whether the channel
 * is closed, whether the peer is gone, who may still touch the segment, and the one place that unmaps it, once.
 *
 * <h2>Parties</h2>
 * Four parties may touch the mapping: the receiving thread (it holds the inbound half's receive flag), the sending
 * thread (it holds the outbound half's send lock), the {@link ChannelOwner} (until it detached), and
 * {@link #beginClose()}..{@link #endClose()} while the closed state is written into the segment. No per-operation
 * reference count: the flag and the lock that single-reader and serialized-sender semantics need anyway are the
 * references. Each party leaves with a write and then calls {@link #releaseIfLast()}, which reads every party's
 * state; the last to leave sees the others gone, and a CAS lets exactly one of them unmap. So a close from one thread
 * never unmaps memory that another thread is copying, and the hot path pays no extra atomic instruction. The owner
 * and the closers leave with a volatile write (a fence before their reads); the sender and the receiver, whose exits
 * are on every message's path, leave with a release store and no fence, so the others watch them a moment when they
 * read them busy (see {@link #hasLeft}).
 */
final class MappingLease
{
    /**
     * How long a leaving party watches a busy sender or receiver before it leaves the unmap to that party (see
     * {@link #hasLeft}): a store drains from a store buffer in well under a microsecond.
     */
    private static final long LEAVING_NANOS = 50_000;

    private final ConnectionResources resources;
    private final ByteBuffer segment;
    private final boolean serverSide;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger closers = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean ownerAttached = true;
    private volatile boolean peerGone;
    private BooleanSupplier receiving = () -> false;
    private BooleanSupplier sending = () -> false;

    MappingLease(final ConnectionResources resources, final boolean serverSide)
    {
        this.resources = resources;
        this.segment = resources.segment();
        this.serverSide = serverSide;
    }

    /**
     * Names the two halves' busy states; called once, before the channel is shared with other threads.
     */
    void parties(final BooleanSupplier receiving, final BooleanSupplier sending)
    {
        this.receiving = receiving;
        this.sending = sending;
    }

    ConnectionResources resources()
    {
        return resources;
    }

    ByteBuffer segment()
    {
        return segment;
    }

    boolean isClosed()
    {
        return closed.get();
    }

    /**
     * Starts a close: counted before the closed flag is set, so that nobody can see the channel closed and unmap
     * under the closer's writes. Always followed by {@link #endClose()}.
     *
     * @return {@code true} for the one call that closed the channel.
     */
    boolean beginClose()
    {
        closers.incrementAndGet();
        return closed.compareAndSet(false, true);
    }

    void endClose()
    {
        closers.decrementAndGet();
        releaseIfLast();
    }

    /** The owner no longer watches the channel and closed its control channel. */
    void ownerDetached()
    {
        ownerAttached = false;
        releaseIfLast();
    }

    /**
     * The peer closed gracefully (its state word) or its process died (seen by the owner on the control channel).
     * Reads the mapping: only for a party that holds it.
     */
    boolean isPeerGone()
    {
        if (peerGone)
        {
            return true;
        }
        if (SegmentHeader.getStateAcquire(segment, !serverSide) == SegmentDescriptor.STATE_CLOSED)
        {
            peerGone = true;
        }
        return peerGone;
    }

    /** The flag alone, without reading the mapping: safe on any thread at any time. */
    boolean peerGoneFlag()
    {
        return peerGone;
    }

    void peerGone()
    {
        peerGone = true;
    }

    /** Unmaps the segment once the channel is closed and every party has left it. */
    void releaseIfLast()
    {
        if (closed.get() && closers.get() == 0 && !ownerAttached && hasLeft(receiving) && hasLeft(sending) &&
            released.compareAndSet(false, true))
        {
            resources.close();
        }
    }

    /**
     * Whether a party that leaves without a fence has left: the sending thread (its send lock's unlock is a release
     * store) or the receiving thread (its receive flag is reset with a release store): a fence there would cost every
     * send and every receive. Such a party reads the other parties after its store, and a store may wait in its CPU's
     * store buffer while those reads go ahead. So a party leaving at the very moment another party leaves can read that
     * party as still there, while that party reads it as still busy: each would leave the unmap to the other. So when
     * such a party reads busy we watch it for a while: one that has already read us as still there is only waiting for
     * its store to drain, which takes far less than {@link #LEAVING_NANOS}. One still busy after that started its exit
     * after our own exit (a fence, or this very watch), so its own reads will see us gone and it unmaps. Two such
     * parties leaving together each watch the other, and one of them sees the other's store first.
     */
    static boolean hasLeft(final BooleanSupplier busy)
    {
        if (!busy.getAsBoolean())
        {
            return true;
        }
        final long deadline = System.nanoTime() + LEAVING_NANOS;
        while (true)
        {
            Thread.onSpinWait();
            // The clock first, then the look: the look that decides is taken after the whole watch, even if this
            // thread was descheduled in it. A watcher that took its last look, lost the CPU past the deadline and
            // then gave up on the strength of that look left the unmap to a party that had left meanwhile (1 lease
            // of 1,000,000 in MappingLeaseTest, in a stress run on 2 vCPUs).
            final boolean watched = System.nanoTime() - deadline >= 0;
            if (!busy.getAsBoolean())
            {
                return true;
            }
            if (watched)
            {
                return false;
            }
        }
    }
}
