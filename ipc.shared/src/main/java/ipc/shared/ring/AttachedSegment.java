package ipc.shared.ring;

/**
 * What an attaching side learns from a validated segment header.
 *
 * @param layout         the geometry the creator used.
 * @param maxMessageSize the largest message, after reassembly, either side may send.
 * @param version        the layout version word found in the segment ({@code major << 16 | minor}).
 */
public record AttachedSegment(SegmentLayout layout, int maxMessageSize, int version)
{
}
