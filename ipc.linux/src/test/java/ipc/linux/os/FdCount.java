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

    static long open()
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isOpen(final int fd)
    {
        return Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
}
