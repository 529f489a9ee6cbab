package ipc.linux.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's open file descriptors, to prove that nothing leaks. */
final class FdCount
{
    private FdCount()
    {
    }

    /**
     * Descriptors of the kinds these tests create: sockets, eventfd/epoll (anon inodes) and memfds. The JVM opens
     * and closes files of its own, and other tests' threads may still be closing their sockets, so callers assert
     * that this count does not grow, rather than that it stays the same.
     */
    static long open()
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.map(FdCount::target).filter(target -> target.startsWith("socket:") ||
                target.startsWith("anon_inode:") || target.startsWith("/memfd:")).count();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static String target(final Path fd)
    {
        try
        {
            return Files.readSymbolicLink(fd).toString();
        }
        catch (final IOException e)
        {
            // Closed between the listing and the read: not open any more.
            return "";
        }
    }

    static boolean isOpen(final int fd)
    {
        return Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
}
