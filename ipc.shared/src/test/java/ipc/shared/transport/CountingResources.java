package ipc.shared.transport;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import ipc.shared.ring.Direction;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;

/**
 * A connection's resources over a given segment, with no handles, that count their closes (the unmap). Its signals
 * are in-memory, one per wait word, shared by whichever channels are built over this object (both sides of one
 * segment, in one process).
 */
final class CountingResources implements ConnectionResources
{
    private final ByteBuffer segment;
    private final AtomicInteger closes = new AtomicInteger();
    private final Map<Direction, LocalSignal> readers = new EnumMap<>(Direction.class);
    private final Map<Direction, LocalSignal> writers = new EnumMap<>(Direction.class);

    CountingResources(final ByteBuffer segment)
    {
        this.segment = segment;
        for (final Direction direction : Direction.values())
        {
            readers.put(direction, new LocalSignal());
            writers.put(direction, new LocalSignal());
        }
    }

    /** Whether a thread sleeps on the writer signal of a ring (waiting for room). */
    boolean writerAsleep(final Direction direction)
    {
        return writers.get(direction).sleepers.hasQueuedThreads();
    }

    /** How many times {@link #close()} ran. */
    int closes()
    {
        return closes.get();
    }

    @Override
    public ByteBuffer segment()
    {
        return segment;
    }

    @Override
    public long[] handlesForPeer()
    {
        return new long[0];
    }

    @Override
    public WakeSignal readerSignal(final Direction direction)
    {
        return readers.get(direction);
    }

    @Override
    public WakeSignal writerSignal(final Direction direction)
    {
        return writers.get(direction);
    }

    @Override
    public void close()
    {
        closes.incrementAndGet();
    }

    /** A semaphore per word: a wake releases one sleeper, or the next one to come. */
    private static final class LocalSignal implements WakeSignal
    {
        final Semaphore sleepers = new Semaphore(0);

        @Override
        public void await(final long timeoutNanos)
        {
            try
            {
                sleepers.tryAcquire(timeoutNanos < 0 ? Long.MAX_VALUE : timeoutNanos, TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void wake()
        {
            sleepers.release();
        }

        @Override
        public Selectable selectable()
        {
            return null;
        }

        @Override
        public boolean drain()
        {
            sleepers.drainPermits();
            return true;
        }
    }
}
