package ipc.shared.ring;

import java.nio.ByteBuffer;

/**
 * Pre-faults the peer's mapping of a segment, so that the peer's hot path never takes a first-touch page fault
 * (DESIGN.md section 3): the creator's pages exist ({@link SegmentHeader#initialize} wrote every one), but the
 * peer's page tables are empty until it touches them. Linux maps with {@code MAP_POPULATE}; macOS and Windows have
 * no such flag for a shared mapping, so their clients call {@link #prefault}: xnu's {@code madvise(MADV_WILLNEED)}
 * asks the pager of file-backed objects to read ahead ({@code osfmk/vm/vm_map.c vm_map_willneed}) and maps nothing,
 * and Windows' {@code PrefetchVirtualMemory} "is not added to the target process' working set; it is cached in
 * physical memory" (learn.microsoft.com, memoryapi.h, PrefetchVirtualMemory, Remarks): the pages are resident
 * already, it is this process's page tables that are empty.
 *
 * <p>Each page is touched by a write that changes nothing: an atomic add of zero to its first int. A read fault
 * alone may leave a page mapped read-only in this process until its first write (a kernel that tracks dirty pages
 * through the write permission takes a second, cheaper fault then); a write fault leaves nothing for the hot path. The add is atomic, so a value the peer stores into the same word at the same
 * moment is never lost. The stride is {@link SegmentDescriptor#PAGE_SIZE} (4 KiB), the smallest page of every
 * supported system: on 16 KiB pages (Apple silicon) three of four touches find the page already mapped.
 */
public final class SegmentPages
{
    private SegmentPages()
    {
    }

    /**
     * Touches every page of a mapped segment with a write that changes nothing.
     *
     * @param segment a direct, page-aligned buffer over the mapping.
     * @param length  the bytes to pre-fault, from offset 0: a multiple of {@link SegmentDescriptor#PAGE_SIZE} (as every
     *                segment length is) and at most the buffer's capacity.
     * @return the number of touches made, one per {@link SegmentDescriptor#PAGE_SIZE} bytes.
     * @throws IllegalArgumentException if the buffer is not direct or aligned, or the length is out of range.
     */
    public static int prefault(final ByteBuffer segment, final long length)
    {
        SharedMemory.checkSegmentBuffer(segment);
        if (length < 0 || length > segment.capacity() || length % SegmentDescriptor.PAGE_SIZE != 0)
        {
            throw new IllegalArgumentException("length must be a multiple of " + SegmentDescriptor.PAGE_SIZE +
                " within the buffer: length=" + length + " capacity=" + segment.capacity());
        }
        int touches = 0;
        for (long offset = 0; offset < length; offset += SegmentDescriptor.PAGE_SIZE)
        {
            SharedMemory.getAndAddInt(segment, (int)offset, 0);
            touches++;
        }
        return touches;
    }
}
