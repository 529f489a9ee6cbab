package ipc.shared.ring;

/**
 * Layout of the control block of one ring: four contended words, each alone in its own 128-byte slot so that
 * the reader's and the writer's stores never share a cache line (nor an adjacent-line prefetch pair).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Head position (long, reader)                  |  slot 0
 *  |                        ... 120 bytes pad                       |
 *  +---------------------------------------------------------------+
 *  |                  Tail position (long, writer)                  |  slot 1
 *  |                        ... 120 bytes pad                       |
 *  +---------------------------------------------------------------+
 *  |  Reader wait word (int)  |           ... 124 bytes pad        |  slot 2
 *  +---------------------------------------------------------------+
 *  |  Writer wait word (int)  |           ... 124 bytes pad        |  slot 3
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Head and tail are byte positions that only grow; the index in the data area is {@code position & (capacity - 1)}.
 * The reader stores head with release after consuming, the writer loads it with acquire; tail is stored with
 * release by the writer for observability only (the record length word is the commit flag).
 */
public final class RingDescriptor
{
    /** Size of one slot: two cache lines, so adjacent-line prefetch cannot couple two contended words. */
    public static final int SLOT_LENGTH = 128;

    /** Offset of the head position: bytes consumed so far, written by the reader only. */
    public static final int HEAD_OFFSET = 0;

    /** Offset of the tail position: bytes produced so far, written by the writer only. */
    public static final int TAIL_OFFSET = HEAD_OFFSET + SLOT_LENGTH;

    /** Offset of the reader wait word: the futex word on which the reader announces that it sleeps. */
    public static final int READER_WAIT_OFFSET = TAIL_OFFSET + SLOT_LENGTH;

    /** Offset of the writer wait word: the futex word on which a writer blocked by a full ring sleeps. */
    public static final int WRITER_WAIT_OFFSET = READER_WAIT_OFFSET + SLOT_LENGTH;

    /** Length of one ring control block. */
    public static final int CONTROL_BLOCK_LENGTH = WRITER_WAIT_OFFSET + SLOT_LENGTH;

    private RingDescriptor()
    {
    }
}
