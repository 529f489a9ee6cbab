package ipc.shared.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import ipc.shared.ring.Direction;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.WakeSignal;

/** A connection's resources over a given segment, with no handles or signals, that count their closes (the unmap). */
final class CountingResources implements ConnectionResources
{
    private final ByteBuffer segment;
    private final AtomicInteger closes = new AtomicInteger();

    CountingResources(final ByteBuffer segment)
    {
        this.segment = segment;
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
        throw new UnsupportedOperationException();
    }

    @Override
    public WakeSignal writerSignal(final Direction direction)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close()
    {
        closes.incrementAndGet();
    }
}
