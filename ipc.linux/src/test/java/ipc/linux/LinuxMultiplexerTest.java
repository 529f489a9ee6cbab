package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.linux.os.EventFd;
import ipc.linux.os.Posix;

/**
 * The multiplexer's own wake-up descriptor after {@link LinuxMultiplexer#close()}: its number goes back to the
 * process, and whatever gets it next (a peer's socket, a memfd, an application file) must never receive a write.
 */
@EnabledOnOs(OS.LINUX)
class LinuxMultiplexerTest
{
    @Test
    void shouldNotWriteToADescriptorThatReusedTheWakeupNumberAfterClose() throws Exception
    {
        final Set<Integer> before = eventFds();
        final LinuxMultiplexer multiplexer = new LinuxMultiplexer();
        final Set<Integer> created = eventFds();
        created.removeAll(before);
        assertEquals(1, created.size(), "one eventfd of the multiplexer's own: " + created);
        final int wakeupNumber = created.iterator().next();
        multiplexer.close();

        // Take descriptor numbers until the freed one comes back (the kernel hands out the lowest free number).
        final List<Integer> taken = new ArrayList<>();
        int victim = -1;
        try
        {
            for (int i = 0; i < 64 && victim < 0; i++)
            {
                final int fd = EventFd.create();
                taken.add(fd);
                if (fd == wakeupNumber)
                {
                    victim = fd;
                }
            }
            assertTrue(victim >= 0, "the wake-up number " + wakeupNumber + " was not reused: " + taken);
            multiplexer.wakeup();
            multiplexer.wakeup();
            assertEquals(0L, EventFd.drain(victim), "wakeup() after close() wrote to fd " + victim +
                ", which now belongs to someone else");
        }
        finally
        {
            taken.forEach(Posix::closeQuietly);
        }
    }

    @Test
    void shouldWakeASelectAndCloseIdempotently() throws Exception
    {
        final LinuxMultiplexer multiplexer = new LinuxMultiplexer();
        try
        {
            multiplexer.wakeup();
            final long start = System.nanoTime();
            assertEquals(0, multiplexer.select(5_000_000_000L, (key, hangUp) -> { }));
            assertTrue(System.nanoTime() - start < 2_000_000_000L, "select did not return on wakeup");
        }
        finally
        {
            multiplexer.close();
            multiplexer.close();
        }
    }

    private static Set<Integer> eventFds() throws IOException
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.filter(fd -> target(fd).equals("anon_inode:[eventfd]"))
                .map(fd -> Integer.parseInt(fd.getFileName().toString())).collect(Collectors.toSet());
        }
    }

    private static String target(final Path fd)
    {
        try
        {
            return Files.readSymbolicLink(fd).toString();
        }
        catch (final IOException ex)
        {
            return "";
        }
    }
}
