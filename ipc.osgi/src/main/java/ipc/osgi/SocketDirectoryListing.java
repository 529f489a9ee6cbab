package ipc.osgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The server names of this user on Linux, read from the socket directory without touching any server.
 *
 * <p>{@code ipc.api} does not expose where the backend keeps its sockets, so the directory is derived here the way
 * {@code ipc.linux}'s {@code SocketDirectory} chooses it: the system property {@value #PROPERTY}, else
 * {@code $XDG_RUNTIME_DIR/ipc}, else {@code <java.io.tmpdir>/ipc-<uid>}. If that backend changes its rule, this
 * class must follow.
 *
 * <p>A name is {@code <name>.sock} (the listening socket) and {@code <name>.lock}, which a live server holds locked
 * with {@code fcntl} for its whole life; the kernel drops the lock when its process dies. So a name is <b>live</b>
 * when {@code /proc/locks} lists a lock on its lock file's device and inode, with the owner's pid, and
 * <b>stale</b> otherwise (left by a server that died; the next bind of the name replaces it). Reading
 * {@code /proc/locks} takes no lock and connects to nothing, so listing disturbs no server.
 */
final class SocketDirectoryListing
{
    /** ipc.linux's system property naming the socket directory explicitly. */
    static final String PROPERTY = "ipc.socketDirectory";

    private static final Path PROC_LOCKS = Paths.get("/proc/locks");
    private static final String SOCKET_SUFFIX = ".sock";
    private static final String LOCK_SUFFIX = ".lock";

    /**
     * One name in the directory.
     *
     * @param name the server name.
     * @param live whether a live process holds it.
     * @param pid  the holder's pid, or -1 when stale.
     */
    record Entry(String name, boolean live, long pid)
    {
    }

    private SocketDirectoryListing()
    {
    }

    /** The socket directory ipc.linux uses in this process. */
    static Path directory() throws IOException
    {
        final String explicit = System.getProperty(PROPERTY);
        if (null != explicit && !explicit.isEmpty())
        {
            return Paths.get(explicit).toAbsolutePath();
        }
        final String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (null != runtime && !runtime.isEmpty() && Files.isDirectory(Paths.get(runtime)))
        {
            return Paths.get(runtime, "ipc");
        }
        // /proc/self belongs to the process's effective uid: the uid ipc.linux gets from getuid() unless setuid.
        final Object uid = Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
        return Paths.get(System.getProperty("java.io.tmpdir"), "ipc-" + uid);
    }

    /** The names in a directory, sorted; none if the directory does not exist yet. */
    static List<Entry> list(final Path directory) throws IOException
    {
        final TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory))
        {
            for (final Path file : files)
            {
                final String fileName = file.getFileName().toString();
                if (fileName.endsWith(SOCKET_SUFFIX) || fileName.endsWith(LOCK_SUFFIX))
                {
                    names.add(fileName.substring(0, fileName.lastIndexOf('.')));
                }
            }
        }
        catch (final NoSuchFileException ex)
        {
            return List.of();
        }

        final Map<String, Long> holders = lockHolders();
        final List<Entry> entries = new ArrayList<>();
        for (final String name : names)
        {
            final Long pid = holders.get(fileKey(directory.resolve(name + LOCK_SUFFIX)));
            entries.add(new Entry(name, null != pid, null == pid ? -1 : pid));
        }
        return entries;
    }

    /**
     * The holders of the granted locks in {@code /proc/locks}, by {@code major:minor:inode} (hexadecimal device
     * numbers, decimal inode, as the kernel prints them; see proc(5)). Lines of waiters ({@code ->}) are skipped.
     */
    private static Map<String, Long> lockHolders() throws IOException
    {
        final Map<String, Long> holders = new HashMap<>();
        for (final String line : Files.readAllLines(PROC_LOCKS, StandardCharsets.US_ASCII))
        {
            // "1: POSIX  ADVISORY  WRITE 2279 00:14:2567 0 EOF"
            final String[] fields = line.trim().split("\\s+");
            if (fields.length < 6 || "->".equals(fields[1]))
            {
                continue;
            }
            final String[] device = fields[5].split(":");
            if (device.length != 3)
            {
                continue;
            }
            try
            {
                final String key = Long.parseLong(device[0], 16) + ":" + Long.parseLong(device[1], 16) + ":" +
                    Long.parseLong(device[2]);
                holders.put(key, Long.parseLong(fields[4]));
            }
            catch (final NumberFormatException ex)
            {
                // A lock type this parser does not know (the pid of an OFD lock is -1, still a number): skip it.
            }
        }
        return holders;
    }

    /** {@code major:minor:inode} of a file, matching {@link #lockHolders()}, or "" if it does not exist. */
    private static String fileKey(final Path file) throws IOException
    {
        try
        {
            final long device = (Long)Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            final long inode = (Long)Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            // glibc's gnu_dev_major / gnu_dev_minor (sys/sysmacros.h): the 64-bit dev_t splits major and minor.
            final long major = ((device >>> 32) & 0xfffff000L) | ((device >>> 8) & 0xfffL);
            final long minor = ((device >>> 12) & 0xffffff00L) | (device & 0xffL);
            return major + ":" + minor + ":" + inode;
        }
        catch (final NoSuchFileException ex)
        {
            return "";
        }
    }
}
