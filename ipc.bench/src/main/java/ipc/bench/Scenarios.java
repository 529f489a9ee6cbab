package ipc.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * The two-process loops, identical for every transport, run by the child JVMs one phase at a time. A phase is
 * capped by time: the client works until its deadline, then sends an {@link Link#END} message, which ends the
 * server's loop too; both then wait for the parent's next command without using the CPU (a busy-spinning
 * transport does not spin between phases). Timing loops are split into calls of at most {@link #CHUNK}
 * iterations so the JIT compiles them as ordinary methods.
 */
final class Scenarios
{
    static final int CHUNK = 10_000;
    /** Highest value the histograms track: a minute, in nanoseconds. */
    static final long HIGHEST_NANOS = 60_000_000_000L;
    /** Length of the acknowledgement that ends a streaming phase. */
    private static final int ACK_SIZE = 64;
    /** Messages a stream sends between two reads of the clock: 64 makes the clock's ~24 ns under 0.5 % here. */
    private static final int STREAM_BATCH = 64;

    private Scenarios()
    {
    }

    /**
     * Client: back-to-back ping-pong until the deadline, each round trip timed, then {@link Link#END} if the server
     * is an accept-mode echo loop.
     *
     * @param link      the connected link.
     * @param histogram where the round-trip times go, in nanoseconds.
     * @param first     the first sequence number.
     * @param millis    how long.
     * @param end       whether to send {@link Link#END} at the end.
     * @return the next sequence number.
     * @throws Exception on any failure.
     */
    static long pingPong(final Link link, final Histogram histogram, final long first, final long millis,
        final boolean end) throws Exception
    {
        final long deadline = System.nanoTime() + millis * 1_000_000L;
        long sequence = first;
        do
        {
            sequence = pingPongChunk(link, histogram, sequence, deadline);
        }
        while (System.nanoTime() - deadline < 0);
        if (end)
        {
            link.send(Link.END, Counts.RTT_SIZE);
        }
        return sequence;
    }

    private static long pingPongChunk(final Link link, final Histogram histogram, final long first,
        final long deadline) throws Exception
    {
        long sequence = first;
        for (int i = 0; i < CHUNK; i++)
        {
            final long start = System.nanoTime();
            link.send(sequence, Counts.RTT_SIZE);
            final long echoed = link.receive(Counts.RTT_SIZE);
            final long end = System.nanoTime();
            check(sequence, echoed);
            histogram.recordValue(Math.min(end - start, HIGHEST_NANOS));
            sequence++;
            if (end - deadline >= 0)
            {
                break;
            }
        }
        return sequence;
    }

    /**
     * Client: paced request/response. A 64-byte request is sent at every tick of an absolute schedule (start +
     * k × period, waited for with {@link LockSupport#parkNanos}), and the time from {@code send} to the reply's
     * {@code receive} is recorded. A tick that passed while the previous reply was awaited is skipped, not made
     * up in a burst.
     *
     * @param link         the connected link.
     * @param histogram    where the round-trip times go, in nanoseconds.
     * @param first        the first sequence number.
     * @param periodNanos  the request period.
     * @param millis       how long.
     * @param end          whether to send {@link Link#END} at the end.
     * @return the next sequence number.
     * @throws Exception on any failure.
     */
    static long paced(final Link link, final Histogram histogram, final long first, final long periodNanos,
        final long millis, final boolean end) throws Exception
    {
        final long start = System.nanoTime();
        final long deadline = start + millis * 1_000_000L;
        long next = start + periodNanos;
        long sequence = first;
        while (true)
        {
            long now;
            while ((now = System.nanoTime()) - next < 0)
            {
                LockSupport.parkNanos(next - now);
            }
            if (now - deadline >= 0)
            {
                break;
            }
            final long sent = System.nanoTime();
            link.send(sequence, Counts.RTT_SIZE);
            final long echoed = link.receive(Counts.RTT_SIZE);
            final long received = System.nanoTime();
            check(sequence, echoed);
            histogram.recordValue(Math.min(received - sent, HIGHEST_NANOS));
            sequence++;
            do
            {
                next += periodNanos;
            }
            while (next - received <= 0);
        }
        if (end)
        {
            link.send(Link.END, Counts.RTT_SIZE);
        }
        return sequence;
    }

    /**
     * Client: a one-way stream of messages numbered from 0 until the deadline, then {@link Link#END}, then the
     * receiver's acknowledgement, which carries the count it verified.
     *
     * @param link   the connected link.
     * @param size   message length.
     * @param millis how long to send.
     * @return {messages, nanoseconds from the first send to the acknowledgement}.
     * @throws Exception on any failure, including a wrong acknowledgement.
     */
    static long[] stream(final Link link, final int size, final long millis) throws Exception
    {
        final long start = System.nanoTime();
        final long deadline = start + millis * 1_000_000L;
        long sent = 0;
        do
        {
            sent = sendChunk(link, size, sent, deadline);
        }
        while (System.nanoTime() - deadline < 0);
        link.send(Link.END, size);
        final long ack = link.receive(ACK_SIZE);
        final long nanos = System.nanoTime() - start;
        if (ack != sent)
        {
            throw new IllegalStateException("receiver acknowledged a different count: sent=" + sent + " ack=" + ack);
        }
        return new long[] {sent, nanos};
    }

    private static long sendChunk(final Link link, final int size, final long first, final long deadline)
        throws Exception
    {
        long sequence = first;
        for (int batch = 0; batch < CHUNK / STREAM_BATCH; batch++)
        {
            for (int i = 0; i < STREAM_BATCH; i++)
            {
                link.send(sequence++, size);
            }
            if (System.nanoTime() - deadline >= 0)
            {
                break;
            }
        }
        return sequence;
    }

    /**
     * Client: opens a connection, makes one 64-byte round trip, closes it, {@code count} times, pausing after each,
     * and times the three steps.
     *
     * @param transport the serve transport.
     * @param endpoint  its server's endpoint.
     * @param count     connections.
     * @param gapNanos  pause after each.
     * @param parts     four histograms in nanoseconds: the whole, connect, round trip, close.
     * @throws Exception on any failure.
     */
    static void connects(final Transport transport, final String endpoint, final int count, final long gapNanos,
        final Histogram[] parts) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            final long t0 = System.nanoTime();
            final Link link = transport.connect(endpoint);
            final long t1 = System.nanoTime();
            final long echoed;
            final long t2;
            try
            {
                link.send(i, Counts.RTT_SIZE);
                echoed = link.receive(Counts.RTT_SIZE);
                t2 = System.nanoTime();
            }
            finally
            {
                link.close();
            }
            final long t3 = System.nanoTime();
            check(i, echoed);
            parts[0].recordValue(Math.min(t3 - t0, HIGHEST_NANOS));
            parts[1].recordValue(Math.min(t1 - t0, HIGHEST_NANOS));
            parts[2].recordValue(Math.min(t2 - t1, HIGHEST_NANOS));
            parts[3].recordValue(Math.min(t3 - t2, HIGHEST_NANOS));
            final long resume = t3 + gapNanos;
            long now;
            while ((now = System.nanoTime()) - resume < 0)
            {
                LockSupport.parkNanos(resume - now);
            }
        }
    }

    /**
     * Server: echoes 64-byte messages, checking their order, until {@link Link#END}.
     *
     * @param link  the accepted link.
     * @param first the sequence number the next message must carry.
     * @return the sequence number expected next.
     * @throws Exception on any failure, including a sequence error.
     */
    static long echo(final Link link, final long first) throws Exception
    {
        long expected = first;
        long next;
        while ((next = echoChunk(link, expected)) >= 0)
        {
            expected = next;
        }
        return ~next;
    }

    /** Echoes up to {@link #CHUNK} messages; returns the next expected sequence, or its complement at END. */
    private static long echoChunk(final Link link, final long first) throws Exception
    {
        long expected = first;
        for (int i = 0; i < CHUNK; i++)
        {
            final long sequence = link.receive(Counts.RTT_SIZE);
            if (sequence == Link.END)
            {
                return ~expected;
            }
            if (sequence != expected)
            {
                throw new IllegalStateException("ping out of sequence: expected=" + expected + " received=" + sequence);
            }
            link.send(sequence, Counts.RTT_SIZE);
            expected++;
        }
        return expected;
    }

    /**
     * Server: receives a stream numbered from 0, verifying every sequence number, until {@link Link#END}; then
     * acknowledges the count.
     *
     * @param link the accepted link.
     * @param size the length every message must have.
     * @return the count.
     * @throws Exception on any failure, including a sequence error.
     */
    static long sink(final Link link, final int size) throws Exception
    {
        long expected = 0;
        while (expected >= 0)
        {
            expected = receiveChunk(link, size, expected);
        }
        final long count = ~expected;
        link.send(count, ACK_SIZE);
        return count;
    }

    private static long receiveChunk(final Link link, final int size, final long first) throws Exception
    {
        long expected = first;
        final long end = first + CHUNK;
        while (expected >= 0 && expected < end)
        {
            expected = link.receiveBatch(expected, size);
        }
        return expected;
    }

    private static void check(final long sent, final long echoed)
    {
        if (echoed != sent)
        {
            throw new IllegalStateException("echo out of sequence: sent=" + sent + " received=" + echoed);
        }
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
