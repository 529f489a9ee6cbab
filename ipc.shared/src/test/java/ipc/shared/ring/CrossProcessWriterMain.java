package ipc.shared.ring;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The writer half of {@link CrossProcessRingTest}, run in a second JVM: maps the segment file, attaches, and
 * sends the message pattern on the client-to-server ring, busy spinning when the ring is full.
 */
public final class CrossProcessWriterMain
{
    private CrossProcessWriterMain()
    {
    }

    /**
     * Entry point.
     *
     * @param args segment file path, number of messages.
     * @throws Exception on any failure (the parent sees a non-zero exit).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path path = Path.of(args[0]);
        final long messages = Long.parseLong(args[1]);
        final MappedByteBuffer segment = map(path);
        final AttachedSegment attached = SegmentHeader.attach(segment, segment.capacity());
        SegmentHeader.putStateRelease(segment, false, SegmentDescriptor.STATE_OPEN);

        final RingMessageWriter writer = new RingMessageWriter(
            new SpscRing(segment, attached.layout(), Direction.CLIENT_TO_SERVER), attached.maxMessageSize(),
            PublishListener.NONE);
        final MessagePattern pattern = CrossProcessRingTest.pattern();
        final ByteBuffer scratch = ByteBuffer.allocate(pattern.largestLength());
        final SpinWaiter waiter = new SpinWaiter();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        for (long sequence = 0; sequence < messages; sequence++)
        {
            final int length = pattern.encode(scratch, sequence);
            writer.send(scratch, 0, length, waiter, deadline);
            if (sequence % CrossProcessRingTest.EMPTY_EVERY == 0)
            {
                writer.send(scratch, 0, 0, waiter, deadline);
            }
        }
        SegmentHeader.putStateRelease(segment, false, SegmentDescriptor.STATE_CLOSED);
        System.out.println("writer done: messages=" + messages + " fragments=" + writer.fragmentsSent() +
            " fullRingWaits=" + waiter.waits);
    }

    static MappedByteBuffer map(final Path path) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
    }
}
