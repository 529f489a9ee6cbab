package ipc.shared.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ipc.api.IpcProtocolException;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;

/**
 * The STATS request and its reply (control protocol 1.1): round trips, fixed sizes, and hostile input.
 */
class StatsFrameCodecTest
{
    /** Offset of the reply's open-connections field: after the header, major and minor. */
    private static final int OPEN_OFFSET = FrameDescriptor.HEADER_LENGTH + 2 + 2;
    /** Offset of the reply's first u64 (accepted connections). */
    private static final int FIRST_COUNTER_OFFSET = OPEN_OFFSET + 4;

    private static final IpcServerStats SAMPLE = new IpcServerStats(3, 17, 2,
        new IpcStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Long.MAX_VALUE));

    private static ByteBuffer encode(final Frame frame)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        FrameCodec.encode(frame, buffer);
        return buffer.flip();
    }

    @Test
    void shouldRoundTripTheRequestAndTheReplyAtTheirFixedSizes() throws Exception
    {
        final Frame.Stats request = new Frame.Stats(FrameDescriptor.PROTOCOL_MAJOR, FrameDescriptor.PROTOCOL_MINOR);
        final ByteBuffer requestBytes = encode(request);
        assertEquals(FrameDescriptor.HEADER_LENGTH + FrameDescriptor.STATS_BODY_LENGTH, requestBytes.remaining());
        assertEquals(request, FrameCodec.decode(requestBytes));

        final Frame.StatsReply reply = new Frame.StatsReply(1, 1, SAMPLE);
        final ByteBuffer replyBytes = encode(reply);
        assertEquals(FrameDescriptor.HEADER_LENGTH + FrameDescriptor.STATS_REPLY_BODY_LENGTH, replyBytes.remaining());
        assertEquals(replyBytes.remaining(), FrameCodec.frameLength(replyBytes));
        assertEquals(reply, FrameCodec.decode(replyBytes));
        assertEquals(0, replyBytes.remaining());

        final Frame.StatsReply zero = new Frame.StatsReply(1, 1, new IpcServerStats(0, 0, 0, IpcStats.ZERO));
        assertEquals(zero, FrameCodec.decode(encode(zero)));
    }

    @Test
    void shouldCarryEveryTrafficCounterInItsOwnPlace() throws Exception
    {
        // Distinct values per component: a swapped pair would not round-trip.
        for (int i = 0; i < FrameDescriptor.STATS_COUNTERS; i++)
        {
            final long[] values = new long[FrameDescriptor.STATS_COUNTERS];
            values[i] = 1000 + i;
            final IpcStats traffic = new IpcStats(values[0], values[1], values[2], values[3], values[4], values[5],
                values[6], values[7], values[8], values[9], values[10]);
            final Frame.StatsReply reply = new Frame.StatsReply(1, 1, new IpcServerStats(i, i + 1, i + 2, traffic));
            assertEquals(reply, FrameCodec.decode(encode(reply)));
        }
    }

    @Test
    void shouldRejectEveryBodyLengthButTheFixedOnes()
    {
        for (final byte type : new byte[] {FrameDescriptor.TYPE_STATS, FrameDescriptor.TYPE_STATS_REPLY})
        {
            final int expected = type == FrameDescriptor.TYPE_STATS ?
                FrameDescriptor.STATS_BODY_LENGTH : FrameDescriptor.STATS_REPLY_BODY_LENGTH;
            for (int bodyLength = 0; bodyLength <= FrameDescriptor.MAX_BODY_LENGTH; bodyLength++)
            {
                if (bodyLength == expected)
                {
                    continue;
                }
                final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH)
                    .order(ByteOrder.LITTLE_ENDIAN);
                buffer.putShort(FrameDescriptor.MAGIC).put(type).put((byte)0).putInt(bodyLength);
                buffer.position(FrameDescriptor.HEADER_LENGTH + bodyLength).flip();
                final IpcProtocolException ex = assertThrows(IpcProtocolException.class,
                    () -> FrameCodec.decode(buffer));
                assertTrue(ex.getMessage().contains("expected=" + expected), ex.getMessage());
            }
        }
    }

    @Test
    void shouldRejectARequestWithANonZeroReservedField()
    {
        final ByteBuffer buffer = encode(new Frame.Stats(1, 1));
        buffer.putInt(FrameDescriptor.HEADER_LENGTH + 4, 0xDEAD);
        final IpcProtocolException ex = assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(buffer));
        assertTrue(ex.getMessage().contains("reserved"), ex.getMessage());
    }

    @Test
    void shouldRejectNegativeCountsInAReply()
    {
        final ByteBuffer open = encode(new Frame.StatsReply(1, 1, SAMPLE));
        open.putInt(OPEN_OFFSET, -1);
        final IpcProtocolException openEx = assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(open));
        assertTrue(openEx.getMessage().contains("openConnections=-1"), openEx.getMessage());

        for (int i = 0; i < 2 + FrameDescriptor.STATS_COUNTERS; i++)
        {
            final ByteBuffer counter = encode(new Frame.StatsReply(1, 1, SAMPLE));
            counter.putLong(FIRST_COUNTER_OFFSET + i * Long.BYTES, Long.MIN_VALUE);
            final IpcProtocolException ex = assertThrows(IpcProtocolException.class,
                () -> FrameCodec.decode(counter));
            assertTrue(ex.getMessage().contains("index=" + i), ex.getMessage());
        }
    }

    @Test
    void shouldRejectTruncatedRepliesAtEveryLength()
    {
        final ByteBuffer whole = encode(new Frame.StatsReply(1, 1, SAMPLE));
        for (int length = 0; length < whole.remaining(); length++)
        {
            final ByteBuffer truncated = whole.duplicate().limit(length);
            assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(truncated));
        }
    }

    @Test
    void shouldNeverThrowAnythingButProtocolErrorsOnRandomStatsBodies()
    {
        final Random random = new Random(11);
        final byte[] bytes = new byte[FrameDescriptor.MAX_FRAME_LENGTH];
        for (int i = 0; i < 100_000; i++)
        {
            random.nextBytes(bytes);
            final boolean reply = random.nextBoolean();
            final int bodyLength = random.nextInt(4) == 0 ? random.nextInt(FrameDescriptor.MAX_BODY_LENGTH + 1) :
                reply ? FrameDescriptor.STATS_REPLY_BODY_LENGTH : FrameDescriptor.STATS_BODY_LENGTH;
            final ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, FrameDescriptor.HEADER_LENGTH + bodyLength)
                .order(ByteOrder.LITTLE_ENDIAN);
            buffer.putShort(0, FrameDescriptor.MAGIC)
                .put(2, reply ? FrameDescriptor.TYPE_STATS_REPLY : FrameDescriptor.TYPE_STATS)
                .put(3, (byte)0).putInt(4, bodyLength);
            try
            {
                final Frame frame = FrameCodec.decode(buffer);
                if (frame instanceof Frame.StatsReply)
                {
                    final IpcServerStats stats = ((Frame.StatsReply)frame).stats();
                    assertTrue(stats.openConnections() >= 0 && stats.acceptedConnections() >= 0, stats.toString());
                }
            }
            catch (final IpcProtocolException expected)
            {
                // Malformed input must end here and only here: anything else fails the test.
            }
        }
    }
}
