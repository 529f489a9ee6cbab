package ipc.shared.codec;

import static ipc.shared.codec.CallFrameDescriptor.CORRELATION_ID_OFFSET;
import static ipc.shared.codec.CallFrameDescriptor.CREDITS_OFFSET;
import static ipc.shared.codec.CallFrameDescriptor.FLAGS_OFFSET;
import static ipc.shared.codec.CallFrameDescriptor.FLAG_STREAM;
import static ipc.shared.codec.CallFrameDescriptor.HEADER_LENGTH;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CANCEL;
import static ipc.shared.codec.CallFrameDescriptor.KIND_CREDIT;
import static ipc.shared.codec.CallFrameDescriptor.KIND_END;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ERROR;
import static ipc.shared.codec.CallFrameDescriptor.KIND_ITEM;
import static ipc.shared.codec.CallFrameDescriptor.KIND_OFFSET;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REPLY;
import static ipc.shared.codec.CallFrameDescriptor.KIND_REQUEST;
import static ipc.shared.codec.CallFrameDescriptor.MAGIC;
import static ipc.shared.codec.CallFrameDescriptor.MAGIC_OFFSET;
import static ipc.shared.codec.CallFrameDescriptor.MAX_CREDITS;
import static ipc.shared.codec.CallFrameDescriptor.MAX_ERROR_TEXT;
import static ipc.shared.codec.CallFrameDescriptor.VERSION;
import static ipc.shared.codec.CallFrameDescriptor.VERSION_OFFSET;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import ipc.api.IpcProtocolException;

/**
 * Encodes and decodes call frames ({@link CallFrameDescriptor}). Decoding treats its input as hostile (it may be
 * shared memory the peer still writes): each header field is read exactly once, checked, and kept in a
 * {@link CallHeader}; anything malformed is an {@link IpcProtocolException} naming the offending value. Stateless and
 * thread-safe.
 */
public final class CallFrameCodec
{
    private CallFrameCodec()
    {
    }

    /**
     * A whole frame as a new array: header and payload.
     *
     * @param kind    one of the {@code KIND_*} constants.
     * @param flags   the flags.
     * @param credits the credits.
     * @param id      the correlation id.
     * @param payload the payload, or {@code null} for none.
     * @return the frame.
     */
    public static byte[] frame(final byte kind, final byte flags, final int credits, final long id,
        final byte[] payload)
    {
        final int payloadLength = null == payload ? 0 : payload.length;
        final byte[] frame = new byte[HEADER_LENGTH + payloadLength];
        final ByteBuffer out = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        putHeader(out, 0, kind, flags, credits, id);
        if (payloadLength > 0)
        {
            System.arraycopy(payload, 0, frame, HEADER_LENGTH, payloadLength);
        }
        return frame;
    }

    /**
     * The header's first eight bytes (magic, version, kind, flags, credits) as a little-endian long, for a writer that
     * puts the header straight into the ring as two longs: this one, then the correlation id.
     *
     * @param kind    one of the {@code KIND_*} constants.
     * @param flags   the flags.
     * @param credits the credits.
     * @return the eight bytes that {@link #putHeader} writes first, read as a little-endian long.
     */
    public static long headerWord(final byte kind, final byte flags, final int credits)
    {
        return (MAGIC & 0xFFL) << (Byte.SIZE * MAGIC_OFFSET) |
            (VERSION & 0xFFL) << (Byte.SIZE * VERSION_OFFSET) |
            (kind & 0xFFL) << (Byte.SIZE * KIND_OFFSET) |
            (flags & 0xFFL) << (Byte.SIZE * FLAGS_OFFSET) |
            (credits & 0xFFFF_FFFFL) << (Byte.SIZE * CREDITS_OFFSET);
    }

    /**
     * Writes a header at an absolute index of a buffer (whose byte order is ignored).
     *
     * @param out     the buffer, with {@link CallFrameDescriptor#HEADER_LENGTH} bytes of room at {@code index}.
     * @param index   where the header starts.
     * @param kind    one of the {@code KIND_*} constants.
     * @param flags   the flags.
     * @param credits the credits.
     * @param id      the correlation id.
     */
    public static void putHeader(final ByteBuffer out, final int index, final byte kind, final byte flags,
        final int credits, final long id)
    {
        final boolean swap = out.order() != ByteOrder.LITTLE_ENDIAN;
        out.put(index + MAGIC_OFFSET, MAGIC);
        out.put(index + VERSION_OFFSET, VERSION);
        out.put(index + KIND_OFFSET, kind);
        out.put(index + FLAGS_OFFSET, flags);
        out.putInt(index + CREDITS_OFFSET, swap ? Integer.reverseBytes(credits) : credits);
        out.putLong(index + CORRELATION_ID_OFFSET, swap ? Long.reverseBytes(id) : id);
    }

    /**
     * Decodes and checks the header of the frame between the buffer's position and limit; the buffer is not moved.
     *
     * @param frame  the frame.
     * @param header receives the header's fields.
     * @throws IpcProtocolException if the frame is truncated or any field breaks {@link CallFrameDescriptor}.
     */
    public static void decode(final ByteBuffer frame, final CallHeader header) throws IpcProtocolException
    {
        final int start = frame.position();
        final int length = frame.remaining();
        if (length < HEADER_LENGTH)
        {
            throw new IpcProtocolException("call frame truncated: length=" + length + " header=" + HEADER_LENGTH);
        }
        // Little-endian fields read in the buffer's own order and swapped if need be: no view to allocate.
        final boolean swap = frame.order() != ByteOrder.LITTLE_ENDIAN;
        final byte magic = frame.get(start + MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            throw new IpcProtocolException("not a call frame: magic=0x" +
                Integer.toHexString(magic & 0xFF) + " expected=0x" + Integer.toHexString(MAGIC & 0xFF));
        }
        final byte version = frame.get(start + VERSION_OFFSET);
        if (version != VERSION)
        {
            throw new IpcProtocolException("call frame version mismatch: app=" + VERSION + " peer=" + (version & 0xFF));
        }
        final byte kind = frame.get(start + KIND_OFFSET);
        final byte flags = frame.get(start + FLAGS_OFFSET);
        final int rawCredits = frame.getInt(start + CREDITS_OFFSET);
        final long rawId = frame.getLong(start + CORRELATION_ID_OFFSET);
        final int credits = swap ? Integer.reverseBytes(rawCredits) : rawCredits;
        final long id = swap ? Long.reverseBytes(rawId) : rawId;
        final int payloadLength = length - HEADER_LENGTH;
        if (id <= 0)
        {
            throw new IpcProtocolException("call frame with bad correlation id: id=" + id + " kind=" + kind);
        }
        switch (kind)
        {
            case KIND_REQUEST:
                check(flags == 0 || flags == FLAG_STREAM, "flags", flags, kind);
                check(credits >= 0 && credits <= MAX_CREDITS && (flags == FLAG_STREAM || credits == 0),
                    "credits", credits, kind);
                break;
            case KIND_REPLY:
            case KIND_ITEM:
                checkPlain(flags, credits, kind);
                break;
            case KIND_ERROR:
                checkPlain(flags, credits, kind);
                check(payloadLength <= MAX_ERROR_TEXT, "payloadLength", payloadLength, kind);
                break;
            case KIND_END:
            case KIND_CANCEL:
                checkPlain(flags, credits, kind);
                check(payloadLength == 0, "payloadLength", payloadLength, kind);
                break;
            case KIND_CREDIT:
                check(flags == 0, "flags", flags, kind);
                check(credits >= 1 && credits <= MAX_CREDITS, "credits", credits, kind);
                check(payloadLength == 0, "payloadLength", payloadLength, kind);
                break;
            default:
                throw new IpcProtocolException("call frame of unknown kind: kind=" + kind + " id=" + id);
        }
        header.set(kind, flags, credits, id, start + HEADER_LENGTH, payloadLength);
    }

    /**
     * A handler's message as ERROR payload: UTF-8, cut on a character boundary to at most
     * {@link CallFrameDescriptor#MAX_ERROR_TEXT} bytes.
     *
     * @param message the message, or {@code null}.
     * @return the bytes.
     */
    public static byte[] errorText(final String message)
    {
        final String text = null == message ? "" : message;
        final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
        final ByteBuffer out = ByteBuffer.allocate(MAX_ERROR_TEXT);
        // Stops at the first character that does not fit whole: the text is cut, never split inside a character.
        encoder.encode(CharBuffer.wrap(text, 0, Math.min(text.length(), MAX_ERROR_TEXT)), out, true);
        final byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    /**
     * An ERROR payload as text: malformed UTF-8 is replaced, never refused.
     *
     * @param payload the payload, at most {@link CallFrameDescriptor#MAX_ERROR_TEXT} bytes (checked by decode).
     * @return the text.
     */
    public static String errorMessage(final byte[] payload)
    {
        return new String(payload, StandardCharsets.UTF_8);
    }

    private static void checkPlain(final byte flags, final int credits, final byte kind) throws IpcProtocolException
    {
        check(flags == 0, "flags", flags, kind);
        check(credits == 0, "credits", credits, kind);
    }

    private static void check(final boolean valid, final String field, final long value, final byte kind)
        throws IpcProtocolException
    {
        if (!valid)
        {
            throw new IpcProtocolException("call frame with bad " + field + ": " + field + "=" + value + " kind=" +
                kind);
        }
    }
}
