package ipc.shared.codec;

import static ipc.shared.codec.CallFrameDescriptor.FLAG_STREAM;
import static ipc.shared.codec.CallFrameDescriptor.HEADER_LENGTH;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CANCEL;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CREDIT;
import static ipc.shared.codec.CallFrameDescriptor.KIND_END;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ERROR;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ITEM;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REPLY;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REQUEST;
import static ipc.shared.codec.CallFrameDescriptor.MAX_CREDITS;
import static ipc.shared.codec.CallFrameDescriptor.MAX_ERROR_TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ipc.api.IpcProtocolException;

class CallFrameCodecTest
{
    private static CallHeader decode(final byte[] frame) throws IpcProtocolException
    {
        final CallHeader header = new CallHeader();
        CallFrameCodec.decode(ByteBuffer.wrap(frame), header);
        return header;
    }

    private static String rejection(final byte[] frame)
    {
        return assertThrows(IpcProtocolException.class, () -> decode(frame)).getMessage();
    }

    @Test
    void shouldLayOutTheHeaderLittleEndianAsDocumented()
    {
        final byte[] frame = CallFrameCodec.frame(KIND_REQUEST, FLAG_STREAM, 0x01020304, 0x1122334455667788L,
            new byte[] {9});
        assertEquals(16, HEADER_LENGTH);
        assertEquals(17, frame.length);
        final ByteBuffer le = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((byte)0xCA, le.get(0));
        assertEquals(1, le.get(1));
        assertEquals(KIND_REQUEST, le.get(2));
        assertEquals(FLAG_STREAM, le.get(3));
        assertEquals(0x04, le.get(4));
        assertEquals(0x01020304, le.getInt(4));
        assertEquals((byte)0x88, le.get(8));
        assertEquals(0x1122334455667788L, le.getLong(8));
        assertEquals(9, le.get(16));
    }

    @Test
    void shouldGiveTheHeadersFirstEightBytesAsOneLittleEndianWord() throws Exception
    {
        // The word a writer puts into the ring in place of putHeader's first eight bytes: every kind, both flags,
        // credits across the int range (the top bit included), and a frame made of the two words decodes as it.
        final byte[] kinds = {KIND_REQUEST, KIND_REPLY, KIND_ITEM, KIND_END, KIND_ERROR, KIND_CANCEL, KIND_CREDIT};
        final int[] credits = {0, 1, MAX_CREDITS, 0x01020304, -1, Integer.MIN_VALUE};
        for (final byte kind : kinds)
        {
            for (final byte flags : new byte[] {0, FLAG_STREAM, (byte)0x80, (byte)0xFF})
            {
                for (final int credit : credits)
                {
                    final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
                    CallFrameCodec.putHeader(header, 0, kind, flags, credit, 42);
                    assertEquals(CallFrameCodec.headerWord(kind, flags, credit), header.getLong(0),
                        "kind=" + kind + " flags=" + flags + " credits=" + credit);
                }
            }
        }
        final ByteBuffer frame = ByteBuffer.allocate(HEADER_LENGTH + 1).order(ByteOrder.LITTLE_ENDIAN);
        frame.putLong(0, CallFrameCodec.headerWord(KIND_REQUEST, FLAG_STREAM, 7)).putLong(8, 0x1122334455667788L)
            .put(HEADER_LENGTH, (byte)9);
        final CallHeader decoded = new CallHeader();
        CallFrameCodec.decode(frame, decoded);
        assertEquals(KIND_REQUEST, decoded.kind());
        assertEquals(FLAG_STREAM, decoded.flags());
        assertEquals(7, decoded.credits());
        assertEquals(0x1122334455667788L, decoded.id());
        assertEquals(1, decoded.payloadLength());
    }

    @Test
    void shouldWriteAndReadTheSameBytesWhateverTheBuffersByteOrder() throws Exception
    {
        final byte[] expected = CallFrameCodec.frame(KIND_REQUEST, FLAG_STREAM, 0x0102, 0x1122334455667788L, null);
        for (final ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN})
        {
            final ByteBuffer direct = ByteBuffer.allocateDirect(HEADER_LENGTH + 3).order(order);
            CallFrameCodec.putHeader(direct, 3, KIND_REQUEST, FLAG_STREAM, 0x0102, 0x1122334455667788L);
            final byte[] written = new byte[HEADER_LENGTH];
            direct.get(3, written);
            assertArrayEquals(expected, written, "written through a " + order + " buffer");
            assertEquals(order, direct.order(), "the caller's buffer keeps its order");
            final CallHeader header = new CallHeader();
            CallFrameCodec.decode(ByteBuffer.wrap(expected).order(order), header);
            assertEquals(0x0102, header.credits(), order.toString());
            assertEquals(0x1122334455667788L, header.id(), order.toString());
        }
    }

    @Test
    void shouldRoundTripEveryKind() throws Exception
    {
        final byte[][] frames = {
            CallFrameCodec.frame(KIND_REQUEST, (byte)0, 0, 1, new byte[] {1, 2, 3}),
            CallFrameCodec.frame(KIND_REQUEST, FLAG_STREAM, MAX_CREDITS, 2, new byte[0]),
            CallFrameCodec.frame(KIND_REPLY, (byte)0, 0, 3, new byte[] {4}),
            CallFrameCodec.frame(KIND_ITEM, (byte)0, 0, 4, new byte[] {5, 6}),
            CallFrameCodec.frame(KIND_END, (byte)0, 0, 5, null),
            CallFrameCodec.frame(KIND_ERROR, (byte)0, 0, 6, CallFrameCodec.errorText("boom")),
            CallFrameCodec.frame(KIND_CANCEL, (byte)0, 0, 7, null),
            CallFrameCodec.frame(KIND_CREDIT, (byte)0, 1, Long.MAX_VALUE, null),
        };
        final byte[] kinds = {KIND_REQUEST, KIND_REQUEST, KIND_REPLY, KIND_ITEM, KIND_END, KIND_ERROR, KIND_CANCEL,
            KIND_CREDIT};
        for (int i = 0; i < frames.length; i++)
        {
            final CallHeader header = decode(frames[i]);
            assertEquals(kinds[i], header.kind());
            assertEquals(frames[i].length - HEADER_LENGTH, header.payloadLength());
            assertEquals(HEADER_LENGTH, header.payloadIndex());
        }
        assertEquals(MAX_CREDITS, decode(frames[1]).credits());
        assertEquals(Long.MAX_VALUE, decode(frames[7]).id());
    }

    @Test
    void shouldFindThePayloadAtTheBuffersPosition() throws Exception
    {
        final byte[] frame = CallFrameCodec.frame(KIND_REPLY, (byte)0, 0, 42, new byte[] {7, 8});
        final byte[] padded = new byte[frame.length + 10];
        System.arraycopy(frame, 0, padded, 5, frame.length);
        final CallHeader header = new CallHeader();
        CallFrameCodec.decode(ByteBuffer.wrap(padded, 5, frame.length), header);
        assertEquals(42, header.id());
        assertEquals(5 + HEADER_LENGTH, header.payloadIndex());
        assertEquals(2, header.payloadLength());
    }

    @Test
    void shouldRejectEveryTruncatedHeader()
    {
        final byte[] frame = CallFrameCodec.frame(KIND_REPLY, (byte)0, 0, 1, null);
        for (int length = 0; length < HEADER_LENGTH; length++)
        {
            assertTrue(rejection(Arrays.copyOf(frame, length)).contains("truncated: length=" + length));
        }
    }

    @Test
    void shouldRejectAPlainMessageAndAnotherVersionNamingBoth()
    {
        final byte[] plain = "hello, not a call frame".getBytes(StandardCharsets.US_ASCII);
        assertTrue(rejection(plain).contains("not a call frame: magic=0x68"), rejection(plain));
        final byte[] future = CallFrameCodec.frame(KIND_REPLY, (byte)0, 0, 1, null);
        future[1] = 2;
        assertTrue(rejection(future).contains("app=1 peer=2"), rejection(future));
    }

    @Test
    void shouldRejectHostileFields()
    {
        assertTrue(rejection(CallFrameCodec.frame((byte)0, (byte)0, 0, 1, null)).contains("unknown kind: kind=0"));
        assertTrue(rejection(CallFrameCodec.frame((byte)8, (byte)0, 0, 1, null)).contains("unknown kind: kind=8"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_REPLY, (byte)0, 0, 0, null)).contains("id=0"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_REPLY, (byte)0, 0, -5, null)).contains("id=-5"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_REQUEST, (byte)2, 0, 1, null)).contains("flags=2"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_REQUEST, (byte)0, 3, 1, null)).contains("credits=3"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_REQUEST, FLAG_STREAM, -1, 1, null)).contains("credits=-1"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_REQUEST, FLAG_STREAM, MAX_CREDITS + 1, 1, null))
            .contains("credits=" + (MAX_CREDITS + 1)));
        assertTrue(rejection(CallFrameCodec.frame(KIND_CREDIT, (byte)0, 0, 1, null)).contains("credits=0"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_CREDIT, (byte)0, Integer.MAX_VALUE, 1, null))
            .contains("credits=" + Integer.MAX_VALUE));
        assertTrue(rejection(CallFrameCodec.frame(KIND_CREDIT, (byte)0, Integer.MIN_VALUE, 1, null))
            .contains("credits=" + Integer.MIN_VALUE));
        assertTrue(rejection(CallFrameCodec.frame(KIND_REPLY, FLAG_STREAM, 0, 1, null)).contains("flags=1"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_ITEM, (byte)0, 1, 1, null)).contains("credits=1"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_END, (byte)0, 0, 1, new byte[1])).contains("payloadLength=1"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_CANCEL, (byte)0, 0, 1, new byte[1]))
            .contains("payloadLength=1"));
        assertTrue(rejection(CallFrameCodec.frame(KIND_ERROR, (byte)0, 0, 1, new byte[MAX_ERROR_TEXT + 1]))
            .contains("payloadLength=" + (MAX_ERROR_TEXT + 1)));
    }

    @Test
    void shouldNeverThrowAnythingButProtocolExceptionsOnRandomBytes()
    {
        final Random random = new Random(13);
        final CallHeader header = new CallHeader();
        for (int i = 0; i < 200_000; i++)
        {
            final byte[] frame = new byte[random.nextInt(40)];
            random.nextBytes(frame);
            if (frame.length > 2 && random.nextBoolean())
            {
                frame[0] = (byte)0xCA;
                frame[1] = 1;
                frame[2] = (byte)(random.nextInt(9));
            }
            try
            {
                CallFrameCodec.decode(ByteBuffer.wrap(frame), header);
                assertTrue(header.id() > 0);
                assertTrue(header.payloadIndex() + header.payloadLength() <= frame.length);
            }
            catch (final IpcProtocolException expected)
            {
                // Rejected, as it should be mostly.
            }
        }
    }

    @Test
    void shouldCutLongErrorTextOnACharacterBoundary()
    {
        assertArrayEquals(new byte[0], CallFrameCodec.errorText(null));
        assertEquals("short", CallFrameCodec.errorMessage(CallFrameCodec.errorText("short")));
        final String euros = "\u20ac".repeat(1000);
        final byte[] cut = CallFrameCodec.errorText(euros);
        assertEquals(MAX_ERROR_TEXT - MAX_ERROR_TEXT % 3, cut.length);
        assertEquals("\u20ac".repeat(cut.length / 3), CallFrameCodec.errorMessage(cut));
        assertEquals(MAX_ERROR_TEXT, CallFrameCodec.errorText("x".repeat(100_000)).length);
    }

    @Test
    void shouldDecodeMalformedErrorTextWithReplacements()
    {
        assertEquals("a\ufffdb", CallFrameCodec.errorMessage(new byte[] {'a', (byte)0xFF, 'b'}));
    }
}
