package ipc.shared.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ipc.api.IpcProtocolException;

class FrameCodecTest
{
    private static ByteBuffer encode(final Frame frame)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        FrameCodec.encode(frame, buffer);
        return buffer.flip();
    }

    @Test
    void shouldRoundTripEveryFrameType() throws Exception
    {
        final Frame[] frames = {
            new Frame.Hello(1, 0, 4242L),
            new Frame.Welcome(1, 3, 65536, 4 << 20, 2, 135168L, 77L),
            new Frame.Ready(),
            new Frame.Reject(RejectReason.ACCESS_DENIED, "peer uid not allowed: uid=1000 \u00e9"),
        };
        for (final Frame frame : frames)
        {
            final ByteBuffer buffer = encode(frame);
            assertEquals(buffer.remaining(), FrameCodec.frameLength(buffer));
            assertEquals(frame, FrameCodec.decode(buffer));
            assertEquals(0, buffer.remaining());
        }
    }

    @Test
    void shouldDecodeBackToBackFrames() throws Exception
    {
        final ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        FrameCodec.encode(new Frame.Hello(1, 0, 1), buffer);
        FrameCodec.encode(new Frame.Ready(), buffer);
        buffer.flip();
        assertTrue(FrameCodec.decode(buffer) instanceof Frame.Hello);
        assertTrue(FrameCodec.decode(buffer) instanceof Frame.Ready);
    }

    @Test
    void shouldAskForMoreBytesUntilTheHeaderIsComplete() throws Exception
    {
        final ByteBuffer buffer = encode(new Frame.Hello(1, 0, 1));
        for (int length = 0; length < FrameDescriptor.HEADER_LENGTH; length++)
        {
            assertEquals(-1, FrameCodec.frameLength(buffer.duplicate().limit(length)));
        }
    }

    @Test
    void shouldRejectTruncatedFrames()
    {
        final ByteBuffer whole = encode(new Frame.Welcome(1, 0, 4096, 100, 2, 12288, 1));
        for (int length = 0; length < whole.remaining(); length++)
        {
            final ByteBuffer truncated = whole.duplicate().limit(length);
            final IpcProtocolException ex = assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(truncated));
            assertTrue(ex.getMessage().contains("truncated"), ex.getMessage());
        }
    }

    @Test
    void shouldRejectBadMagicNamingBothValues()
    {
        final ByteBuffer buffer = encode(new Frame.Ready());
        buffer.putShort(FrameDescriptor.MAGIC_OFFSET, (short)0x1234);
        final IpcProtocolException ex = assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(buffer));
        assertTrue(ex.getMessage().contains("expected=0x5049") && ex.getMessage().contains("actual=0x1234"),
            ex.getMessage());
    }

    @Test
    void shouldRejectBodyLengthsBeyondTheLimitBeforeAllocating()
    {
        final ByteBuffer buffer = encode(new Frame.Ready());
        for (final int bad : new int[] {-1, Integer.MIN_VALUE, FrameDescriptor.MAX_BODY_LENGTH + 1, Integer.MAX_VALUE})
        {
            buffer.putInt(FrameDescriptor.BODY_LENGTH_OFFSET, bad);
            final IpcProtocolException ex = assertThrows(IpcProtocolException.class,
                () -> FrameCodec.frameLength(buffer));
            assertTrue(ex.getMessage().contains("bodyLength=" + bad), ex.getMessage());
        }
    }

    @Test
    void shouldRejectWrongBodyLengthForFixedFrames()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(FrameDescriptor.MAGIC).put(FrameDescriptor.TYPE_HELLO).put((byte)0).putInt(4).putInt(0);
        buffer.flip();
        final IpcProtocolException ex = assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(buffer));
        assertTrue(ex.getMessage().contains("expected=" + FrameDescriptor.HELLO_BODY_LENGTH), ex.getMessage());
    }

    @Test
    void shouldRejectUnknownTypeAndNonZeroReserved()
    {
        final ByteBuffer unknown = encode(new Frame.Ready());
        unknown.put(FrameDescriptor.TYPE_OFFSET, (byte)99);
        assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(unknown));

        final ByteBuffer reserved = encode(new Frame.Ready());
        reserved.put(FrameDescriptor.RESERVED_OFFSET, (byte)1);
        assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(reserved));
    }

    @Test
    void shouldRejectRejectFramesWithInconsistentOrInvalidText()
    {
        final ByteBuffer inconsistent = encode(new Frame.Reject(RejectReason.PROTOCOL_ERROR, "abc"));
        inconsistent.putShort(FrameDescriptor.HEADER_LENGTH + 2, (short)2);
        assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(inconsistent));

        final ByteBuffer invalidUtf8 = encode(new Frame.Reject(RejectReason.PROTOCOL_ERROR, "abc"));
        invalidUtf8.put(FrameDescriptor.HEADER_LENGTH + 4, (byte)0xFF);
        assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(invalidUtf8));
    }

    @Test
    void shouldTruncateLongRejectTextAtACharacterBoundary() throws Exception
    {
        final String text = "\u20ac".repeat(FrameDescriptor.MAX_REJECT_TEXT);
        final Frame.Reject decoded = (Frame.Reject)FrameCodec.decode(encode(new Frame.Reject(RejectReason.UNKNOWN, text)));
        assertTrue(decoded.text().length() > 100 && text.startsWith(decoded.text()));
    }

    @Test
    void shouldReturnTheLengthItWroteAndAdvanceByIt()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN).position(10);
        final int length = FrameCodec.encode(new Frame.Hello(1, 0, 7), buffer);
        assertEquals(FrameDescriptor.HEADER_LENGTH + FrameDescriptor.HELLO_BODY_LENGTH, length);
        assertEquals(10 + length, buffer.position());
    }

    @Test
    void shouldNameTheHeaderLengthWhenEvenTheHeaderIsTruncated()
    {
        final ByteBuffer buffer = encode(new Frame.Ready()).limit(3);
        final IpcProtocolException ex = assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(buffer));
        assertTrue(ex.getMessage().contains("available=3 needed=" + FrameDescriptor.HEADER_LENGTH), ex.getMessage());
        final ByteBuffer body = encode(new Frame.Hello(1, 0, 1));
        body.limit(body.limit() - 1);
        final IpcProtocolException short1 = assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(body));
        assertTrue(short1.getMessage().contains("needed=" + (body.limit() + 1)), short1.getMessage());
    }

    @Test
    void shouldRejectAReadyFrameWithABody()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(FrameDescriptor.MAGIC).put(FrameDescriptor.TYPE_READY).put((byte)0).putInt(4).putInt(0);
        assertThrows(IpcProtocolException.class, () -> FrameCodec.decode(buffer.flip()));
    }

    @Test
    void shouldCarryRejectTextsOfEveryLengthUpToTheLimitUncut() throws Exception
    {
        for (final String text : new String[] {"", "x", "y".repeat(FrameDescriptor.MAX_REJECT_TEXT)})
        {
            final Frame.Reject decoded =
                (Frame.Reject)FrameCodec.decode(encode(new Frame.Reject(RejectReason.PROTOCOL_ERROR, text)));
            assertEquals(text, decoded.text());
        }
        final String tooLong = "z".repeat(FrameDescriptor.MAX_REJECT_TEXT + 1);
        assertEquals(tooLong.substring(1), ((Frame.Reject)FrameCodec.decode(
            encode(new Frame.Reject(RejectReason.PROTOCOL_ERROR, tooLong)))).text());
    }

    @Test
    void shouldMapUnknownRejectCodesToUnknown()
    {
        assertEquals(RejectReason.UNKNOWN, RejectReason.fromCode(65535));
        assertEquals(RejectReason.ACCESS_DENIED, RejectReason.fromCode(RejectReason.ACCESS_DENIED.code()));
    }

    @Test
    void shouldNeverThrowAnythingButProtocolErrorsOnRandomInput()
    {
        final Random random = new Random(42);
        final byte[] bytes = new byte[FrameDescriptor.MAX_FRAME_LENGTH + 16];
        for (int i = 0; i < 200_000; i++)
        {
            random.nextBytes(bytes);
            final ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, random.nextInt(bytes.length));
            if (random.nextBoolean() && buffer.limit() >= FrameDescriptor.HEADER_LENGTH)
            {
                // Make valid headers common, so bodies get exercised too.
                buffer.order(ByteOrder.LITTLE_ENDIAN).putShort(0, FrameDescriptor.MAGIC)
                    .put(2, (byte)(1 + random.nextInt(4))).put(3, (byte)0)
                    .putInt(4, random.nextInt(FrameDescriptor.MAX_BODY_LENGTH + 1));
            }
            try
            {
                FrameCodec.decode(buffer);
            }
            catch (final IpcProtocolException expected)
            {
                // Malformed input must end here and only here: anything else fails the test.
            }
        }
    }
}
