package ipc.bench;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Base64;

import org.HdrHistogram.Histogram;

/**
 * The two-process scenarios, identical for every transport. Client and server both know the script (the counts),
 * so no control messages travel on the link. Timing loops are split into calls of {@link #CHUNK} iterations so
 * the JIT compiles them as ordinary methods.
 */
final class Scenarios
{
    static final int CHUNK = 10_000;
    /** Length of the acknowledgement that ends a streaming phase. */
    private static final int ACK_SIZE = 64;
    private static final long HIGHEST_NANOS = 60_000_000_000L;

    private Scenarios()
    {
    }

    /**
     * The client: ping-pong, then one-way streams towards the server; prints result lines.
     *
     * @param link      the connected link.
     * @param counts    the script.
     * @param streaming whether to run the streaming phases (the floor probe does not).
     * @param out       where result lines go.
     * @throws Exception on any failure.
     */
    static void client(final Link link, final Counts counts, final boolean streaming, final PrintStream out)
        throws Exception
    {
        long sequence = 0;
        final Histogram warm = new Histogram(HIGHEST_NANOS, 3);
        sequence = pingPong(link, warm, sequence, counts.rttWarmup());
        final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
        sequence = pingPong(link, histogram, sequence, counts.rttPerRound());
        out.println("RTT " + encode(histogram));

        if (streaming)
        {
            for (int i = 0; i < Counts.SIZES.length; i++)
            {
                final int size = Counts.SIZES[i];
                sendStream(link, size, counts.streamWarmup()[i]);
                final long start = System.nanoTime();
                sendStream(link, size, counts.streamPerRound()[i]);
                final long nanos = System.nanoTime() - start;
                out.println("STREAM " + size + " " + counts.streamPerRound()[i] + " " + nanos);
            }
        }
        out.println("OK");
        out.flush();
    }

    /**
     * The server: echoes the ping-pong, then receives and verifies the streams.
     *
     * @param link      the accepted link.
     * @param counts    the script.
     * @param streaming as for the client.
     * @throws Exception on any failure, including a sequence error.
     */
    static void server(final Link link, final Counts counts, final boolean streaming) throws Exception
    {
        final long roundTrips = (long)counts.rttWarmup() + counts.rttPerRound();
        for (long done = 0; done < roundTrips; done += CHUNK)
        {
            echo(link, done, (int)Math.min(CHUNK, roundTrips - done));
        }
        if (streaming)
        {
            for (int i = 0; i < Counts.SIZES.length; i++)
            {
                receiveStream(link, Counts.SIZES[i], counts.streamWarmup()[i]);
                receiveStream(link, Counts.SIZES[i], counts.streamPerRound()[i]);
            }
        }
    }

    private static long pingPong(final Link link, final Histogram histogram, final long first, final int count)
        throws Exception
    {
        long sequence = first;
        for (int done = 0; done < count; done += CHUNK)
        {
            sequence = pingPongChunk(link, histogram, sequence, Math.min(CHUNK, count - done));
        }
        return sequence;
    }

    private static long pingPongChunk(final Link link, final Histogram histogram, final long first, final int count)
        throws Exception
    {
        long sequence = first;
        for (int i = 0; i < count; i++)
        {
            final long start = System.nanoTime();
            link.send(sequence, Counts.RTT_SIZE);
            final long echoed = link.receive(Counts.RTT_SIZE);
            final long rtt = System.nanoTime() - start;
            if (echoed != sequence)
            {
                throw new IllegalStateException("echo out of sequence: sent=" + sequence + " received=" + echoed);
            }
            histogram.recordValue(Math.min(rtt, HIGHEST_NANOS));
            sequence++;
        }
        return sequence;
    }

    private static void echo(final Link link, final long first, final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            final long sequence = link.receive(Counts.RTT_SIZE);
            if (sequence != first + i)
            {
                throw new IllegalStateException("ping out of sequence: expected=" + (first + i) +
                    " received=" + sequence);
            }
            link.send(sequence, Counts.RTT_SIZE);
        }
    }

    private static void sendStream(final Link link, final int size, final int count) throws Exception
    {
        for (int done = 0; done < count; done += CHUNK)
        {
            sendChunk(link, size, done, Math.min(CHUNK, count - done));
        }
        final long ack = link.receive(ACK_SIZE);
        if (ack != count)
        {
            throw new IllegalStateException("receiver acknowledged a different count: sent=" + count + " ack=" + ack);
        }
    }

    private static void sendChunk(final Link link, final int size, final long first, final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            link.send(first + i, size);
        }
    }

    private static void receiveStream(final Link link, final int size, final int count) throws Exception
    {
        long expected = 0;
        while (expected < count)
        {
            expected = receiveChunk(link, size, expected, Math.min(count, expected + CHUNK));
        }
        if (expected != count)
        {
            throw new IllegalStateException("received more than sent: count=" + count + " received=" + expected);
        }
        link.send(count, ACK_SIZE);
    }

    private static long receiveChunk(final Link link, final int size, final long first, final long end)
        throws Exception
    {
        long expected = first;
        while (expected < end)
        {
            expected = link.receiveBatch(expected, size);
        }
        return expected;
    }

    static String encode(final Histogram histogram)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        final byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(final String text) throws java.util.zip.DataFormatException
    {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
    }
}
