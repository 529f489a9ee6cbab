package ipc.shared.ring;

/**
 * Layout of the shared segment of one connection: a header, two ring control blocks and two data areas.
 *
 * <pre>
 *  offset
 *       0 +------------------------------------------------------------+
 *         | Magic (8 ASCII bytes "IPCSEG\0\1")                          |
 *       8 | Layout version (int, major &lt;&lt; 16 | minor), WRITTEN LAST   |
 *      12 | Ring capacity (int, same for both directions)               |
 *      16 | Segment length (long)                                       |
 *      24 | Max message size (int)                                      |
 *      28 | ... pad to 128                                              |
 *     128 +------------------------------------------------------------+
 *         | Client state (int) | client idle (int) ... pad to 128       |
 *     256 +------------------------------------------------------------+
 *         | Server state (int) | server idle (int) ... pad to 128       |
 *     384 +------------------------------------------------------------+
 *         | Client-to-server ring control block (4 x 128, see          |
 *         | {@link RingDescriptor})                                     |
 *     896 +------------------------------------------------------------+
 *         | Server-to-client ring control block (4 x 128)               |
 *    1408 +------------------------------------------------------------+
 *         | ... pad to the page boundary                                |
 *    4096 +------------------------------------------------------------+
 *         | Client-to-server data area (ring capacity bytes)            |
 *         +------------------------------------------------------------+
 *         | Server-to-client data area (ring capacity bytes)            |
 *         +------------------------------------------------------------+
 * </pre>
 *
 * The creator touches and zeroes every page, writes every field, and stores the layout version last with
 * release: a version of zero means "not ready". An attaching side loads the version with acquire, so once it
 * sees a non-zero version every other header field is visible. Data areas are page aligned, and since the ring
 * capacity is a power of two of at least a page, the second data area is page aligned as well.
 */
public final class SegmentDescriptor
{
    /** Size of a page; data areas start on a multiple of it. */
    public static final int PAGE_SIZE = 4096;

    /** Size of a slot holding one contended or cold group of fields. */
    public static final int SLOT_LENGTH = RingDescriptor.SLOT_LENGTH;

    /** The magic bytes, in memory order; they say "this is an IPC segment" whatever the byte order. */
    private static final byte[] MAGIC = { 'I', 'P', 'C', 'S', 'E', 'G', 0, 1 };

    /** Major version of the layout this code writes and reads; a different major is refused. */
    public static final int LAYOUT_MAJOR_VERSION = 1;

    /**
     * Minor version of the layout this code writes; a different minor of the same major is accepted. Minor 2: the
     * server's inbound reader word may hold {@code WaitProtocol.WAITING_ON_WORD} (a reader asleep on the word
     * itself), which a writer wakes with an address wake (a futex on Linux) instead of the doorbell.
     */
    public static final int LAYOUT_MINOR_VERSION = 3;

    /** The layout version word this code writes: {@code major << 16 | minor}. */
    public static final int LAYOUT_VERSION = LAYOUT_MAJOR_VERSION << 16 | LAYOUT_MINOR_VERSION;

    /** Offset of the magic (8 bytes). */
    public static final int MAGIC_OFFSET = 0;

    /** Offset of the layout version (int), stored last with release: the "ready" flag. */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;

    /** Offset of the ring capacity (int) of both directions. */
    public static final int RING_CAPACITY_OFFSET = VERSION_OFFSET + Integer.BYTES;

    /** Offset of the segment length (long) as the creator laid it out. */
    public static final int SEGMENT_LENGTH_OFFSET = RING_CAPACITY_OFFSET + Integer.BYTES;

    /** Offset of the maximum message size (int) in bytes, after reassembly of fragments. */
    public static final int MAX_MESSAGE_SIZE_OFFSET = SEGMENT_LENGTH_OFFSET + Long.BYTES;

    /** Offset of the client state word (int, alone in its slot): {@link #STATE_OPEN}, {@link #STATE_CLOSED}. */
    public static final int CLIENT_STATE_OFFSET = SLOT_LENGTH;

    /** Offset of the server state word (int, alone in its slot). */
    public static final int SERVER_STATE_OFFSET = CLIENT_STATE_OFFSET + SLOT_LENGTH;

    /**
     * Offset of the client's idle word (int, beside its state; written once when the side attaches, since 1.1):
     * {@link #IDLE_MAY_PARK} or {@link #IDLE_NEVER_PARKS}. A peer that never parks needs no wake check after a
     * publish, so the other side skips the fence that the check costs.
     */
    public static final int CLIENT_IDLE_OFFSET = CLIENT_STATE_OFFSET + Integer.BYTES;

    /** Offset of the server's idle word; see {@link #CLIENT_IDLE_OFFSET}. */
    public static final int SERVER_IDLE_OFFSET = SERVER_STATE_OFFSET + Integer.BYTES;

    /** Offset of the control block of the client-to-server ring. */
    public static final int CLIENT_TO_SERVER_CONTROL_OFFSET = SERVER_STATE_OFFSET + SLOT_LENGTH;

    /** Offset of the control block of the server-to-client ring. */
    public static final int SERVER_TO_CLIENT_CONTROL_OFFSET =
        CLIENT_TO_SERVER_CONTROL_OFFSET + RingDescriptor.CONTROL_BLOCK_LENGTH;

    /** Bytes used by the header and the control blocks, before page alignment. */
    public static final int HEADER_USED_LENGTH = SERVER_TO_CLIENT_CONTROL_OFFSET + RingDescriptor.CONTROL_BLOCK_LENGTH;

    /** Offset of the first data area (client to server): the header rounded up to a page. */
    public static final int DATA_OFFSET = (HEADER_USED_LENGTH + PAGE_SIZE - 1) & -PAGE_SIZE;

    /** State word value: this side has not attached yet (the creator zeroes it). */
    public static final int STATE_NOT_ATTACHED = 0;

    /** State word value: this side is attached and open. */
    public static final int STATE_OPEN = 1;

    /** State word value: this side has closed; the peer must not wait for it any more. */
    public static final int STATE_CLOSED = 2;

    /** Idle word: this side may sleep on its wait words (also what a 1.0 peer, which writes nothing, means). */
    public static final int IDLE_MAY_PARK = 0;

    /** Idle word: this side busy-spins and never sleeps on its wait words, so it never needs waking. */
    public static final int IDLE_NEVER_PARKS = 1;

    /**
     * Idle word (since 1.3): this side may sleep, and runs a process barrier ({@code ipc.shared.wait.ProcessBarrier})
     * between announcing a sleep and checking its condition, so a waker whose own process is registered for that
     * barrier checks the wait word without a fence. A 1.2 peer reads it as {@link #IDLE_MAY_PARK}, and fences.
     */
    public static final int IDLE_PARKS_AFTER_BARRIER = 2;

    /** Smallest ring capacity: one page, so data areas stay page aligned. */
    public static final int MIN_RING_CAPACITY = PAGE_SIZE;

    /**
     * Largest ring capacity: both data areas and the header must fit in one {@code ByteBuffer}, whose indices
     * are ints, so two rings of 1 GiB cannot be addressed; 512 MiB is the largest power of two that fits.
     */
    public static final int MAX_RING_CAPACITY = 1 << 29;

    /** Largest maximum message size a segment may announce: bounds what a reader will ever allocate. */
    public static final int MAX_MESSAGE_SIZE_LIMIT = 1 << 30;

    private SegmentDescriptor()
    {
    }

    /**
     * Returns the magic byte at an index, so callers can write and check it without exposing a mutable array.
     *
     * @param index 0 to 7.
     * @return the magic byte.
     */
    public static byte magicByte(final int index)
    {
        return MAGIC[index];
    }

    /**
     * Number of magic bytes.
     *
     * @return 8.
     */
    public static int magicLength()
    {
        return MAGIC.length;
    }

    /**
     * Renders a layout version word as {@code major.minor}.
     *
     * @param version a version word.
     * @return e.g. {@code "1.0"}.
     */
    public static String versionString(final int version)
    {
        return (version >>> 16) + "." + (version & 0xFFFF);
    }
}
