package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.sun.jna.Native;

import ipc.linux.jna.Fcntl;
import ipc.linux.jna.LibC;
import ipc.linux.os.SharedMemory;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;

/**
 * The client maps the segment pre-faulted ({@code MAP_POPULATE}), so its hot path never takes a page fault: right
 * after attach, every page of its mapping is already in its page tables. {@code /proc/self/smaps} reports that as
 * the mapping's {@code Rss}; a plain {@code mmap} of the same segment shows {@code Rss: 0 kB} until each page is used.
 */
@EnabledOnOs(OS.LINUX)
class ClientPrefaultTest
{
    private static final SegmentLayout LAYOUT = SegmentLayout.forCapacity(64 * 1024);

    @Test
    void shouldMapEveryPageOfTheSegmentWhenTheClientAttaches() throws Exception
    {
        try (LinuxConnection server = LinuxConnection.create(LAYOUT))
        {
            SegmentHeader.initialize(server.segment(), LAYOUT, 1 << 20);
            final int memFd = dup((int)server.handlesForPeer()[0]);
            final int doorbell = dup((int)server.handlesForPeer()[1]);
            try (LinuxConnection client = LinuxConnection.attach(LAYOUT, memFd, doorbell))
            {
                final long address = SharedMemory.address(client.segment());
                assertEquals(LAYOUT.segmentLength() / 1024, residentKib(address),
                    "pages of the client's mapping not yet in its page tables: the hot path would fault them in");
            }
        }
    }

    /** The {@code Rss} of the mapping that starts at an address, from {@code /proc/self/smaps}, in KiB. */
    private static long residentKib(final long address) throws IOException
    {
        final List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        final String start = Long.toHexString(address) + "-";
        for (int i = 0; i < lines.size(); i++)
        {
            if (lines.get(i).startsWith(start))
            {
                for (int j = i + 1; j < lines.size(); j++)
                {
                    final String line = lines.get(j);
                    if (line.startsWith("Rss:"))
                    {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            }
        }
        throw new AssertionError("mapping not found in /proc/self/smaps: address=0x" + Long.toHexString(address));
    }

    private static int dup(final int fd)
    {
        final int copy = LibC.fcntl(fd, Fcntl.F_DUPFD_CLOEXEC, 0);
        assertTrue(copy >= 0, "dup failed: errno=" + Native.getLastError());
        return copy;
    }
}
