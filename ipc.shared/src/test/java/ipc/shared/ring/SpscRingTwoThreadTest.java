package ipc.shared.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * Writer and reader on two threads, busy spinning, millions of hand-offs: fails on any loss, duplication,
 * reordering or corruption.
 */
class SpscRingTwoThreadTest
{
    private static final long MESSAGES = 2_000_000;

    @Test
    void shouldDeliverMillionsOfMessagesInOrderAcrossThreads()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(60), this::run);
    }

    private void run() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(64 * 1024);
        final int maxMessage = 64 * 1024;
        final ByteBuffer segment = TestSegments.newSegment(layout, maxMessage);
        final MessagePattern writerPattern = new MessagePattern(300, 500, 9000, 30_000);
        final MessagePattern readerPattern = new MessagePattern(300, 500, 9000, 30_000);
        final AtomicReference<Throwable> writerFailure = new AtomicReference<>();

        final Thread writerThread = new Thread(() ->
        {
            try
            {
                final RingMessageWriter writer = new RingMessageWriter(
                    new SpscRing(segment, layout, Direction.CLIENT_TO_SERVER), maxMessage, PublishListener.NONE);
                final ByteBuffer scratch = ByteBuffer.allocate(writerPattern.largestLength());
                final SpinWaiter waiter = new SpinWaiter();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
                for (long sequence = 0; sequence < MESSAGES; sequence++)
                {
                    final int length = writerPattern.encode(scratch, sequence);
                    writer.send(scratch, 0, length, waiter, deadline);
                }
            }
            catch (final Throwable ex)
            {
                writerFailure.set(ex);
            }
        }, "ring-writer");

        final RingMessageReader reader = new RingMessageReader(
            new SpscRing(segment, layout, Direction.CLIENT_TO_SERVER), maxMessage, ConsumeListener.NONE);
        final long[] expected = { 0 };
        final String[] failure = { null };
        final MessageHandler handler = (buffer, index, length) ->
        {
            if (null == failure[0])
            {
                failure[0] = readerPattern.verify(buffer, index, length, expected[0]);
            }
            expected[0]++;
        };

        final long start = System.nanoTime();
        writerThread.start();
        try
        {
            while (expected[0] < MESSAGES && null == failure[0])
            {
                if (0 == reader.poll(handler, 64))
                {
                    if (!writerThread.isAlive() && reader.poll(handler, 64) == 0)
                    {
                        break;
                    }
                    Thread.onSpinWait();
                }
            }
        }
        finally
        {
            writerThread.join(TimeUnit.SECONDS.toMillis(55));
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("two threads: %d messages (%d fragments) in %.2f s: %.0f messages/s%n",
            expected[0], reader.fragmentsReceived(), seconds, expected[0] / seconds);

        assertNull(writerFailure.get(), () -> "writer failed: " + writerFailure.get());
        assertNull(failure[0]);
        assertEquals(MESSAGES, expected[0]);
        assertEquals(0, reader.poll(handler, 64), "duplicate or extra message");
    }
}
