package ipc.bench.jmh;

import java.nio.ByteBuffer;

import ipc.api.IpcException;
import ipc.shared.ring.ConsumeListener;
import ipc.shared.ring.Direction;
import ipc.shared.ring.MessageHandler;
import ipc.shared.ring.PublishListener;
import ipc.shared.ring.RingMessageReader;
import ipc.shared.ring.RingMessageWriter;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.ring.SpscRing;
import org.openjdk.jmh.infra.Control;

/** The two ends of one ring on a fresh direct segment laid out by {@link SegmentHeader#initialize}, for the benchmarks. */
final class RingPair
{
    final RingMessageWriter writer;
    final RingMessageReader reader;

    RingPair(final int capacity, final int maxMessageSize)
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(capacity);
        final ByteBuffer segment = ByteBuffer.allocateDirect((int)layout.segmentLength());
        SegmentHeader.initialize(segment, layout, maxMessageSize);
        writer = new RingMessageWriter(new SpscRing(segment, layout, Direction.CLIENT_TO_SERVER), maxMessageSize,
            PublishListener.NONE);
        reader = new RingMessageReader(new SpscRing(segment, layout, Direction.CLIENT_TO_SERVER), maxMessageSize,
            ConsumeListener.NONE);
    }

    /**
     * The consumer's side of a stream: polls up to {@code limit} messages, spinning until at least one came or the
     * measurement stopped.
     *
     * @param control  the benchmark's control, whose stop ends the spin.
     * @param limit    the most messages per poll.
     * @param consumer what sees the messages.
     * @return what the consumer saw, for the blackhole.
     * @throws IpcException if the ring is corrupt.
     */
    long poll(final Control control, final int limit, final Consumer consumer) throws IpcException
    {
        while (reader.poll(consumer, limit) == 0)
        {
            if (control.stopMeasurement)
            {
                return consumer.sum;
            }
            Thread.onSpinWait();
        }
        return consumer.sum;
    }

    /** What a consumer saw, so that a poll cannot be optimised away. */
    static final class Consumer implements MessageHandler
    {
        long sum;

        @Override
        public void onMessage(final ByteBuffer buffer, final int index, final int length)
        {
            sum += buffer.getLong(index) + length;
        }
    }
}
