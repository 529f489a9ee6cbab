package ipc.shared.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link SegmentPages#prefault}: one touch per 4 KiB page that changes no byte, and (on Linux, where the kernel reports
 * it) every page of a fresh shared mapping of pages that already exist is in this process's page tables afterwards,
 * as the macOS and Windows clients rely on.
 */
class SegmentPagesTest
{
    private static final int PAGE = SegmentDescriptor.PAGE_SIZE;

    @Test
    void shouldTouchEveryPageOnceAndChangeNoByte() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(64 * 1024);
        final ByteBuffer segment = TestSegments.newSegment(layout, 1 << 16);
        for (int i = SegmentDescriptor.DATA_OFFSET; i < segment.capacity(); i++)
        {
            segment.put(i, (byte)(i * 31));
        }
        final ByteBuffer before = ByteBuffer.allocate(segment.capacity()).put(segment.duplicate().clear()).flip();
        assertEquals(layout.segmentLength() / PAGE, SegmentPages.prefault(segment, layout.segmentLength()));
        assertEquals(before, segment.duplicate().clear(), "the touches must leave every byte as it was");
        SegmentHeader.attach(segment, layout.segmentLength());
    }

    @Test
    void shouldRefuseWhatItCannotTouchSafely()
    {
        final ByteBuffer direct = ByteBuffer.allocateDirect(2 * PAGE);
        assertThrows(IllegalArgumentException.class, () -> SegmentPages.prefault(ByteBuffer.allocate(2 * PAGE), PAGE));
        assertThrows(IllegalArgumentException.class, () -> SegmentPages.prefault(direct, 3L * PAGE));
        assertThrows(IllegalArgumentException.class, () -> SegmentPages.prefault(direct, PAGE + 4L));
        assertThrows(IllegalArgumentException.class, () -> SegmentPages.prefault(direct, -PAGE));
        assertEquals(0, SegmentPages.prefault(direct, 0));
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "reads the mapping's resident pages from /proc/self/smaps, which " +
        "only Linux has; macOS and Windows pre-fault with the same SegmentPages code, checked there by their backends' " +
        "end-to-end tests only")
    void shouldMapEveryPageOfAFreshSharedMapping() throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        final Path file = (Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")))
            .resolve("segment-pages-" + UUID.randomUUID());
        final int length = 64 * PAGE;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            // The creator's pages exist (as after SegmentHeader.initialize); this mapping has none of them yet.
            channel.write(ByteBuffer.allocate(length), 0);
            final MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            final String name = file.getFileName().toString();
            assertEquals(0, residentKib(name), "a fresh mapping starts with no page mapped");
            SegmentPages.prefault(mapping, length);
            assertEquals(length / 1024, residentKib(name),
                "pages of the mapping not yet in the page tables: the hot path would fault them in");
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    /** The {@code Rss} of this process's mapping of a file, from {@code /proc/self/smaps}, in KiB. */
    private static long residentKib(final String fileName) throws IOException
    {
        // smaps: a header line per mapping (ending in the file's path), then "Key: value kB" lines.
        final List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        int line = 0;
        while (line < lines.size() && !lines.get(line).endsWith("/" + fileName))
        {
            line++;
        }
        return lines.stream().skip(line + 1L).filter(text -> text.startsWith("Rss:")).findFirst()
            .map(text -> Long.parseLong(text.replaceAll("[^0-9]", "")))
            .orElseThrow(() -> new AssertionError("mapping not found in /proc/self/smaps: file=" + fileName));
    }
}
