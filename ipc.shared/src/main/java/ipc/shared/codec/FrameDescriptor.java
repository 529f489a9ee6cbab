package ipc.shared.codec;

/**
 * Layout of a control-channel frame. All integers little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            magic 'I' 'P'      |     type      |   reserved(0) |
 *  +---------------------------------------------------------------+
 *  |                  body length (bytes after header)             |
 *  +---------------------------------------------------------------+
 *  |                            body ...                          ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Bodies:
 * <pre>
 *  HELLO   (client to server): u16 protocol major | u16 protocol minor | u32 reserved | u64 client pid
 *  WELCOME (server to client): u16 protocol major | u16 protocol minor | u32 ring capacity
 *                              | u32 max message size | u32 handle count | u64 segment length | u64 server pid
 *  READY   (client to server): empty; the client mapped and validated the segment
 *  REJECT  (either way)      : u16 reason | u16 text length | text (UTF-8, at most MAX_REJECT_TEXT bytes)
 *  STATS   (client to server): u16 protocol major | u16 protocol minor | u32 reserved (0); instead of HELLO, on a
 *                              fresh connection (protocol 1.1)
 *  STATS_REPLY (server to client): u16 protocol major | u16 protocol minor | u32 open connections
 *                              | u64 accepted connections | u64 rejected connections
 *                              | STATS_COUNTERS x u64: the traffic counters in the order of ipc.api.IpcStats
 * </pre>
 *
 * A STATS request is answered with one STATS_REPLY (or a REJECT) and the server closes the connection; it never
 * creates a segment. A server older than protocol 1.1 does not know the type and refuses or closes the connection.
 */
public final class FrameDescriptor
{
    /** Frame magic, "IP" read as a little-endian short. */
    public static final short MAGIC = 0x5049;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the frame type byte. */
    public static final int TYPE_OFFSET = MAGIC_OFFSET + Short.BYTES;
    /** Offset of the reserved byte, zero. */
    public static final int RESERVED_OFFSET = TYPE_OFFSET + Byte.BYTES;
    /** Offset of the body length. */
    public static final int BODY_LENGTH_OFFSET = RESERVED_OFFSET + Byte.BYTES;
    /** Length of the frame header. */
    public static final int HEADER_LENGTH = BODY_LENGTH_OFFSET + Integer.BYTES;

    /** Largest body any frame type has: a REJECT with its longest text. */
    public static final int MAX_REJECT_TEXT = 512;
    /** Largest body accepted at all: anything longer is a protocol violation, before any allocation. */
    public static final int MAX_BODY_LENGTH = Short.BYTES * 2 + MAX_REJECT_TEXT;
    /** Largest frame. */
    public static final int MAX_FRAME_LENGTH = HEADER_LENGTH + MAX_BODY_LENGTH;

    /** Client's greeting. */
    public static final byte TYPE_HELLO = 1;
    /** Server's acceptance, carrying the segment's handles. */
    public static final byte TYPE_WELCOME = 2;
    /** Client's confirmation that it attached the segment. */
    public static final byte TYPE_READY = 3;
    /** Refusal with a reason. */
    public static final byte TYPE_REJECT = 4;
    /** Client's request for the server's counters, instead of HELLO (protocol 1.1). */
    public static final byte TYPE_STATS = 5;
    /** Server's answer to STATS: its counters, fixed size. */
    public static final byte TYPE_STATS_REPLY = 6;

    /** Body length of HELLO. */
    public static final int HELLO_BODY_LENGTH = 2 + 2 + 4 + 8;
    /** Body length of WELCOME. */
    public static final int WELCOME_BODY_LENGTH = 2 + 2 + 4 + 4 + 4 + 8 + 8;
    /** Body length of READY. */
    public static final int READY_BODY_LENGTH = 0;
    /** Fixed part of a REJECT body, before the text. */
    public static final int REJECT_FIXED_LENGTH = 2 + 2;
    /** Body length of STATS. */
    public static final int STATS_BODY_LENGTH = 2 + 2 + 4;
    /** Traffic counters in a STATS_REPLY: the components of {@code ipc.api.IpcStats}, in their order. */
    public static final int STATS_COUNTERS = 11;
    /** Body length of STATS_REPLY. */
    public static final int STATS_REPLY_BODY_LENGTH = 2 + 2 + 4 + 8 + 8 + STATS_COUNTERS * 8;

    /** Major version of the control protocol; a peer with another major is rejected. */
    public static final short PROTOCOL_MAJOR = 1;
    /**
     * Minor version of the control protocol: 1 added STATS; 2 says that the client wakes the server's inbound reader
     * word when it holds {@code WaitProtocol.WAITING_ON_WORD} (layout minor 2), so that a server's reader may sleep on
     * that word. A server arms an older client's connection on its doorbell only. 3: the handshake ends with
     * WELCOME when both sides say 3 or later; the server opens the connection as it sends WELCOME, and the client
     * sends no READY (see {@link #MINOR_OPENS_AT_WELCOME}).
     */
    public static final short PROTOCOL_MINOR = 3;
    /** The first {@link #PROTOCOL_MINOR} whose clients wake a reader asleep on its word. */
    public static final short MINOR_WAKES_WORDS = 2;
    /**
     * The first {@link #PROTOCOL_MINOR} whose handshake ends with WELCOME: a server whose client's HELLO says this
     * minor or later opens the connection as it sends WELCOME, and a client whose WELCOME says so sends no READY.
     * Nothing may follow on the control channel then: a client that cannot use the segment closes it (after a REJECT
     * that the server does not read), and its server sees a connection that opened and closed. With an older peer on
     * either side, READY still ends the handshake.
     *
     * <p>Why: READY made the first request of every connection wait for the server to wake up, read READY, and build
     * its side of the channel; now the server does that while the client maps the segment.
     */
    public static final short MINOR_OPENS_AT_WELCOME = 3;

    private FrameDescriptor()
    {
    }
}
