package ipc.shared.codec;

/**
 * Layout of a call frame: the header in front of every message of a call channel ({@code ipc.api.call}). It travels
 * inside one channel message, so the channel's ring gives it its length. All integers little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  magic 0xCA   |  version (1)  |     kind      |     flags     |
 *  +---------------------------------------------------------------+
 *  |                   credits (signed 32-bit)                     |
 *  +---------------------------------------------------------------+
 *  |                   correlation id (64-bit)                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          payload ...                         ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Kinds, with what each may carry (anything else is a protocol violation):
 * <pre>
 *  REQUEST (client to server): flags 0 (one reply) or FLAG_STREAM | credits: 0 for one reply, else the first
 *                              credits 0..MAX_CREDITS | payload: the request
 *  REPLY   (server to client): flags 0 | credits 0 | payload: the reply; completes the call
 *  ITEM    (server to client): flags 0 | credits 0 | payload: one item of a stream; spends one credit
 *  END     (server to client): flags 0 | credits 0 | no payload; completes a stream
 *  ERROR   (server to client): flags 0 | credits 0 | payload: the handler's message, UTF-8, at most
 *                              MAX_ERROR_TEXT bytes; completes the call
 *  CANCEL  (client to server): flags 0 | credits 0 | no payload; nobody waits for the call any more
 *  CREDIT  (client to server): flags 0 | credits 1..MAX_CREDITS more items | no payload
 * </pre>
 *
 * The correlation id is chosen by the client, positive, increasing, never reused on a channel. A server answers a
 * REQUEST whose id is already active as a protocol violation; CANCEL and CREDIT for an id it does not know are
 * ignored (the call may have just completed). A client drops a frame for an id it issued but no longer waits for
 * (timed out or cancelled: counted as late) and treats an id it never issued, an ITEM beyond its credits, or a
 * stream frame on a plain call as a protocol violation. A channel carries either plain messages or calls, never
 * both. A reader with another version rejects the frame naming both ({@code app=1 peer=2}).
 */
public final class CallFrameDescriptor
{
    /** First byte of every call frame. */
    public static final byte MAGIC = (byte)0xCA;
    /** Version of the call header; a peer with another one is refused. */
    public static final byte VERSION = 1;

    /** Offset of the magic byte. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version byte. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Byte.BYTES;
    /** Offset of the kind byte. */
    public static final int KIND_OFFSET = VERSION_OFFSET + Byte.BYTES;
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = KIND_OFFSET + Byte.BYTES;
    /** Offset of the credits. */
    public static final int CREDITS_OFFSET = FLAGS_OFFSET + Byte.BYTES;
    /** Offset of the correlation id. */
    public static final int CORRELATION_ID_OFFSET = CREDITS_OFFSET + Integer.BYTES;
    /** Length of the header; the payload follows. */
    public static final int HEADER_LENGTH = CORRELATION_ID_OFFSET + Long.BYTES;

    /** A request. */
    public static final byte KIND_REQUEST = 1;
    /** The one reply of a plain call. */
    public static final byte KIND_REPLY = 2;
    /** One item of a streamed reply. */
    public static final byte KIND_ITEM = 3;
    /** The end of a streamed reply. */
    public static final byte KIND_END = 4;
    /** The handler's failure. */
    public static final byte KIND_ERROR = 5;
    /** The client gave up the call. */
    public static final byte KIND_CANCEL = 6;
    /** More credits for a stream. */
    public static final byte KIND_CREDIT = 7;

    /** REQUEST flag: the client wants a stream of items. */
    public static final byte FLAG_STREAM = 1;

    /** Most credits one frame may carry: 2^20, the largest credit window of {@code ipc.api.call.CallOptions}. */
    public static final int MAX_CREDITS = 1 << 20;
    /** Longest ERROR text in bytes, as {@code ipc.api.call.IpcRemoteException.MAX_MESSAGE_BYTES}. */
    public static final int MAX_ERROR_TEXT = 1024;

    private CallFrameDescriptor()
    {
    }
}
