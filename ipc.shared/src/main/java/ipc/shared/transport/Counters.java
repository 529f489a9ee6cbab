package ipc.shared.transport;

import java.util.concurrent.atomic.AtomicLongArray;

import ipc.api.IpcStats;
import ipc.shared.wait.WaitProtocol;

/**
 * A channel's statistics counters. Each counter has one writer at a time (the send lock's holder, or the single
 * reader), so increments are a plain read and a release store: no locked instruction on the hot path. Snapshots
 * read them with acquire from any thread.
 */
final class Counters
{
    static final int MESSAGES_SENT = 0;
    static final int MESSAGES_RECEIVED = 1;
    static final int BYTES_SENT = 2;
    static final int BYTES_RECEIVED = 3;
    static final int FRAGMENTS_SENT = 4;
    static final int FRAGMENTS_RECEIVED = 5;
    static final int WAKEUPS_SENT = 6;
    static final int PARKS = 7;
    static final int SPIN_HITS = 8;
    static final int FULL_RING_WAITS = 9;
    static final int PROTOCOL_ERRORS = 10;
    private static final int COUNT = 11;
    // Sender-side and receiver-side counters live 8 longs apart so the two threads do not share a cache line.
    private static final int STRIDE = 8;

    private final AtomicLongArray values = new AtomicLongArray(COUNT * STRIDE);

    void add(final int counter, final long delta)
    {
        final int index = counter * STRIDE;
        values.setRelease(index, values.getPlain(index) + delta);
    }

    void increment(final int counter)
    {
        add(counter, 1);
    }

    /** For counters that several threads may bump (wake-ups from close paths): atomic. */
    void addAtomic(final int counter, final long delta)
    {
        values.getAndAdd(counter * STRIDE, delta);
    }

    /** Counts how a receiver's wait ended; the receiving thread only. */
    void countWait(final WaitProtocol.Outcome outcome)
    {
        increment(outcome == WaitProtocol.Outcome.SPUN ? SPIN_HITS : PARKS);
    }

    /** Counts how a wait ended, from a thread that may race another counting one (a sender). */
    void countWaitAtomic(final WaitProtocol.Outcome outcome)
    {
        addAtomic(outcome == WaitProtocol.Outcome.SPUN ? SPIN_HITS : PARKS, 1);
    }

    long get(final int counter)
    {
        return values.getAcquire(counter * STRIDE);
    }

    IpcStats snapshot()
    {
        return new IpcStats(
            get(MESSAGES_SENT), get(MESSAGES_RECEIVED), get(BYTES_SENT), get(BYTES_RECEIVED),
            get(FRAGMENTS_SENT), get(FRAGMENTS_RECEIVED), get(WAKEUPS_SENT), get(PARKS), get(SPIN_HITS),
            get(FULL_RING_WAITS), get(PROTOCOL_ERRORS));
    }
}
