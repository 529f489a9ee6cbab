package ipc.shared.codec;

import static ipc.shared.codec.FrameDescriptor.BODY_LENGTH_OFFSET;
import static ipc.shared.codec.FrameDescriptor.HEADER_LENGTH;
import static ipc.shared.codec.FrameDescriptor.HELLO_BODY_LENGTH;
import static ipc.shared.codec.FrameDescriptor.MAGIC;
import static ipc.shared.codec.FrameDescriptor.MAGIC_OFFSET;
import static ipc.shared.codec.FrameDescriptor.MAX_BODY_LENGTH;
import static ipc.shared.codec.FrameDescriptor.MAX_REJECT_TEXT;
import static ipc.shared.codec.FrameDescriptor.READY_BODY_LENGTH;
import static ipc.shared.codec.FrameDescriptor.REJECT_FIXED_LENGTH;
import static ipc.shared.codec.FrameDescriptor.RESERVED_OFFSET;
import static ipc.shared.codec.FrameDescriptor.STATS_BODY_LENGTH;
import static ipc.shared.codec.FrameDescriptor.STATS_REPLY_BODY_LENGTH;
import static ipc.shared.codec.FrameDescriptor.TYPE_HELLO;
import static ipc.shared.codec.FrameDescriptor.TYPE_OFFSET;
import static ipc.shared.codec.FrameDescriptor.TYPE_READY;
import static ipc.shared.codec.FrameDescriptor.TYPE_REJECT;
import static ipc.shared.codec.FrameDescriptor.TYPE_STATS;
import static ipc.shared.codec.FrameDescriptor.TYPE_STATS_REPLY;
import static ipc.shared.codec.FrameDescriptor.TYPE_WELCOME;
import static ipc.shared.codec.FrameDescriptor.WELCOME_BODY_LENGTH;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import ipc.api.IpcProtocolException;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;

/**
 * Encodes and decodes control-channel frames ({@link FrameDescriptor}). Decoding treats its input as hostile:
 * every length is checked before it is used, nothing is allocated beyond {@link FrameDescriptor#MAX_FRAME_LENGTH},
 * and anything malformed is an {@link IpcProtocolException} naming the offending value. Stateless and thread-safe.
 */
public final class FrameCodec
{
    private FrameCodec()
    {
    }

    /**
     * Encodes a frame at the buffer's position and advances it.
     *
     * @param frame the frame.
     * @param dst   room for at least {@link FrameDescriptor#MAX_FRAME_LENGTH} bytes.
     * @return the number of bytes written.
     */
    public static int encode(final Frame frame, final ByteBuffer dst)
    {
        final ByteBuffer out = dst.slice().order(ByteOrder.LITTLE_ENDIAN);
        out.position(HEADER_LENGTH);
        final byte type;
        if (frame instanceof Frame.Hello)
        {
            final Frame.Hello hello = (Frame.Hello)frame;
            type = TYPE_HELLO;
            out.putShort((short)hello.protocolMajor()).putShort((short)hello.protocolMinor()).putInt(0)
                .putLong(hello.pid());
        }
        else if (frame instanceof Frame.Welcome)
        {
            final Frame.Welcome welcome = (Frame.Welcome)frame;
            type = TYPE_WELCOME;
            out.putShort((short)welcome.protocolMajor()).putShort((short)welcome.protocolMinor())
                .putInt(welcome.ringCapacity()).putInt(welcome.maxMessageSize()).putInt(welcome.handleCount())
                .putLong(welcome.segmentLength()).putLong(welcome.pid());
        }
        else if (frame instanceof Frame.Ready)
        {
            type = TYPE_READY;
        }
        else if (frame instanceof Frame.Stats)
        {
            final Frame.Stats stats = (Frame.Stats)frame;
            type = TYPE_STATS;
            out.putShort((short)stats.protocolMajor()).putShort((short)stats.protocolMinor()).putInt(0);
        }
        else if (frame instanceof Frame.StatsReply)
        {
            final Frame.StatsReply reply = (Frame.StatsReply)frame;
            final IpcServerStats stats = reply.stats();
            final IpcStats traffic = stats.traffic();
            type = TYPE_STATS_REPLY;
            out.putShort((short)reply.protocolMajor()).putShort((short)reply.protocolMinor())
                .putInt(stats.openConnections()).putLong(stats.acceptedConnections())
                .putLong(stats.rejectedConnections())
                .putLong(traffic.messagesSent()).putLong(traffic.messagesReceived())
                .putLong(traffic.bytesSent()).putLong(traffic.bytesReceived())
                .putLong(traffic.fragmentsSent()).putLong(traffic.fragmentsReceived())
                .putLong(traffic.wakeupsSent()).putLong(traffic.parks()).putLong(traffic.spinHits())
                .putLong(traffic.fullRingWaits()).putLong(traffic.protocolErrors());
        }
        else
        {
            final Frame.Reject reject = (Frame.Reject)frame;
            type = TYPE_REJECT;
            final byte[] text = truncatedUtf8(reject.text());
            out.putShort((short)reject.reason().code()).putShort((short)text.length).put(text);
        }

        final int length = out.position();
        out.putShort(MAGIC_OFFSET, MAGIC).put(TYPE_OFFSET, type).put(RESERVED_OFFSET, (byte)0)
            .putInt(BODY_LENGTH_OFFSET, length - HEADER_LENGTH);
        dst.position(dst.position() + length);
        return length;
    }

    /**
     * How long the frame starting at the buffer's position is, once its header has arrived.
     *
     * @param src bytes received so far, from position to limit; not modified.
     * @return the whole frame's length, or -1 if the header is not complete yet.
     * @throws IpcProtocolException if the header is malformed.
     */
    public static int frameLength(final ByteBuffer src) throws IpcProtocolException
    {
        if (src.remaining() < HEADER_LENGTH)
        {
            return -1;
        }
        final ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        final short magic = in.getShort(MAGIC_OFFSET);
        if (magic != MAGIC)
        {
            throw new IpcProtocolException("bad frame magic: expected=0x" + Integer.toHexString(MAGIC) +
                " actual=0x" + Integer.toHexString(magic & 0xFFFF));
        }
        final byte type = in.get(TYPE_OFFSET);
        final int bodyLength = in.getInt(BODY_LENGTH_OFFSET);
        if (bodyLength < 0 || bodyLength > MAX_BODY_LENGTH)
        {
            throw new IpcProtocolException("bad frame body length: type=" + type + " bodyLength=" + bodyLength +
                " max=" + MAX_BODY_LENGTH);
        }
        return HEADER_LENGTH + bodyLength;
    }

    /**
     * Decodes the complete frame at the buffer's position and advances past it.
     *
     * @param src at least {@link #frameLength(ByteBuffer)} bytes.
     * @return the frame.
     * @throws IpcProtocolException if the frame is malformed or incomplete.
     */
    public static Frame decode(final ByteBuffer src) throws IpcProtocolException
    {
        final int frameLength = frameLength(src);
        if (frameLength < 0 || src.remaining() < frameLength)
        {
            throw new IpcProtocolException("truncated frame: available=" + src.remaining() + " needed=" +
                (frameLength < 0 ? HEADER_LENGTH : frameLength));
        }
        final ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN).limit(frameLength);
        final byte type = in.get(TYPE_OFFSET);
        if (in.get(RESERVED_OFFSET) != 0)
        {
            throw new IpcProtocolException("bad frame: reserved byte not zero: type=" + type);
        }
        final int bodyLength = frameLength - HEADER_LENGTH;
        in.position(HEADER_LENGTH);
        final Frame frame;
        switch (type)
        {
            case TYPE_HELLO:
                expectBodyLength(type, bodyLength, HELLO_BODY_LENGTH);
                final int helloMajor = Short.toUnsignedInt(in.getShort());
                final int helloMinor = Short.toUnsignedInt(in.getShort());
                in.getInt();
                frame = new Frame.Hello(helloMajor, helloMinor, in.getLong());
                break;

            case TYPE_WELCOME:
                expectBodyLength(type, bodyLength, WELCOME_BODY_LENGTH);
                frame = new Frame.Welcome(
                    Short.toUnsignedInt(in.getShort()), Short.toUnsignedInt(in.getShort()),
                    in.getInt(), in.getInt(), in.getInt(), in.getLong(), in.getLong());
                break;

            case TYPE_READY:
                expectBodyLength(type, bodyLength, READY_BODY_LENGTH);
                frame = new Frame.Ready();
                break;

            case TYPE_REJECT:
                if (bodyLength < REJECT_FIXED_LENGTH)
                {
                    throw new IpcProtocolException("bad REJECT frame: bodyLength=" + bodyLength + " min=" +
                        REJECT_FIXED_LENGTH);
                }
                final int reason = Short.toUnsignedInt(in.getShort());
                final int textLength = Short.toUnsignedInt(in.getShort());
                if (textLength > MAX_REJECT_TEXT || textLength != bodyLength - REJECT_FIXED_LENGTH)
                {
                    throw new IpcProtocolException("bad REJECT frame: textLength=" + textLength + " bodyLength=" +
                        bodyLength);
                }
                frame = new Frame.Reject(RejectReason.fromCode(reason), utf8(in.limit(in.position() + textLength)));
                break;

            case TYPE_STATS:
                expectBodyLength(type, bodyLength, STATS_BODY_LENGTH);
                final int statsMajor = Short.toUnsignedInt(in.getShort());
                final int statsMinor = Short.toUnsignedInt(in.getShort());
                final int statsReserved = in.getInt();
                if (statsReserved != 0)
                {
                    throw new IpcProtocolException("bad STATS frame: reserved field not zero: reserved=" +
                        statsReserved);
                }
                frame = new Frame.Stats(statsMajor, statsMinor);
                break;

            case TYPE_STATS_REPLY:
                expectBodyLength(type, bodyLength, STATS_REPLY_BODY_LENGTH);
                frame = decodeStatsReply(in);
                break;

            default:
                throw new IpcProtocolException("unknown frame type: type=" + type);
        }
        src.position(src.position() + frameLength);
        return frame;
    }

    private static Frame.StatsReply decodeStatsReply(final ByteBuffer in) throws IpcProtocolException
    {
        final int major = Short.toUnsignedInt(in.getShort());
        final int minor = Short.toUnsignedInt(in.getShort());
        final int open = in.getInt();
        if (open < 0)
        {
            throw new IpcProtocolException("bad STATS_REPLY frame: negative openConnections=" + open);
        }
        final long[] values = new long[2 + FrameDescriptor.STATS_COUNTERS];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = in.getLong();
            if (values[i] < 0)
            {
                // A counter cannot be negative: the reply is corrupt or forged.
                throw new IpcProtocolException("bad STATS_REPLY frame: negative counter: index=" + i + " value=" +
                    values[i]);
            }
        }
        final IpcStats traffic = new IpcStats(values[2], values[3], values[4], values[5], values[6], values[7],
            values[8], values[9], values[10], values[11], values[12]);
        return new Frame.StatsReply(major, minor, new IpcServerStats(open, values[0], values[1], traffic));
    }

    private static void expectBodyLength(final byte type, final int actual, final int expected)
        throws IpcProtocolException
    {
        if (actual != expected)
        {
            throw new IpcProtocolException("bad frame body length: type=" + type + " bodyLength=" + actual +
                " expected=" + expected);
        }
    }

    private static String utf8(final ByteBuffer bytes) throws IpcProtocolException
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes)
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new IpcProtocolException("bad REJECT frame: text is not UTF-8", ex);
        }
    }

    private static byte[] truncatedUtf8(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REJECT_TEXT)
        {
            return bytes;
        }
        // Cut at a character boundary so the receiver's strict decoder accepts it.
        int end = MAX_REJECT_TEXT;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--;
        }
        final byte[] cut = new byte[end];
        System.arraycopy(bytes, 0, cut, 0, end);
        return cut;
    }
}
