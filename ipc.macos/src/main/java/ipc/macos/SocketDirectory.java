package ipc.macos;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

import ipc.api.IpcException;
import ipc.macos.os.UnixSocket;
import ipc.shared.posix.SocketDirectories;
import ipc.shared.transport.Names;

/**
 * Where server names live on macOS: a directory only the owner can enter, short enough that every valid name's
 * socket path fits {@code sun_path} (104 bytes with its NUL; {@code $TMPDIR} under {@code /var/folders/...} alone
 * takes about 49). In order of preference:
 * <ol>
 *   <li>the system property {@value #PROPERTY}: must exist, belong to this user or root, and not be writable by
 *       group or others; a name whose path would not fit in it is refused with a clear error;</li>
 *   <li>{@code <java.io.tmpdir>/ipc-<uid>} when that is at most {@link #MAX_DIRECTORY_BYTES} bytes long, created
 *       0700;</li>
 *   <li>otherwise (the usual case on macOS) {@code /tmp/ipc-<uid>}, created 0700.</li>
 * </ol>
 * A directory of ours that exists with looser permissions, or belongs to another user, is refused.
 */
final class SocketDirectory
{
    /** System property naming the socket directory explicitly (the same as on Linux). */
    static final String PROPERTY = SocketDirectories.PROPERTY;
    /** The suffix of a socket file. */
    static final String SOCKET_SUFFIX = ".sock";
    /** The longest directory in which every valid name fits: 103 - '/' - 64 - ".sock" = 33 bytes. */
    static final int MAX_DIRECTORY_BYTES = UnixSocket.MAX_PATH_BYTES - 1 - Names.MAX_LENGTH - SOCKET_SUFFIX.length();
    /** The short per-user parent used when the temporary directory is too long. */
    static final String SHORT_PARENT = "/tmp";

    private SocketDirectory()
    {
    }

    /**
     * The default directory for a user, before any file system check.
     *
     * @param tmpdir the value of {@code java.io.tmpdir}.
     * @param uid    the user id.
     * @return {@code <tmpdir>/ipc-<uid>} if short enough, else {@code /tmp/ipc-<uid>}.
     */
    static Path defaultDirectory(final String tmpdir, final long uid)
    {
        final Path preferred = Paths.get(tmpdir, "ipc-" + uid);
        if (bytes(preferred.toString()) <= MAX_DIRECTORY_BYTES)
        {
            return preferred;
        }
        return Paths.get(SHORT_PARENT, "ipc-" + uid);
    }

    /**
     * The socket path of a name in a directory, refusing one that cannot fit {@code sun_path}.
     *
     * @param directory the socket directory.
     * @param name      a validated name.
     * @return {@code <directory>/<name>.sock}.
     * @throws IpcException naming the lengths if the path is longer than {@link UnixSocket#MAX_PATH_BYTES} bytes.
     */
    static Path socketPath(final Path directory, final String name) throws IpcException
    {
        final Path path = directory.resolve(name + SOCKET_SUFFIX);
        final int length = bytes(path.toString());
        if (length > UnixSocket.MAX_PATH_BYTES)
        {
            throw new IpcException("server name does not fit a macOS socket path (sun_path is 104 bytes): name=" +
                name + " path=" + path + " bytes=" + length + " max=" + UnixSocket.MAX_PATH_BYTES +
                " longestNameHere=" + maxNameLength(directory));
        }
        return path;
    }

    /**
     * The longest name whose socket path fits in a directory.
     *
     * @param directory the socket directory.
     * @return the length in bytes (names are ASCII), possibly 0 or less for an absurdly long directory.
     */
    static int maxNameLength(final Path directory)
    {
        return UnixSocket.MAX_PATH_BYTES - bytes(directory.toString()) - 1 - SOCKET_SUFFIX.length();
    }

    static Path resolve(final long uid) throws IpcException
    {
        final Path explicit = SocketDirectories.explicitDirectory(uid);
        if (null != explicit)
        {
            return explicit;
        }
        return SocketDirectories.privateDirectory(defaultDirectory(System.getProperty("java.io.tmpdir"), uid), uid);
    }

    private static int bytes(final String path)
    {
        return path.getBytes(StandardCharsets.UTF_8).length;
    }
}
