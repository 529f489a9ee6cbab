package ipc.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import ipc.api.IpcException;
import ipc.shared.posix.SocketDirectories;

/**
 * Where server names live: a directory only the owner can enter. In order of preference:
 * <ol>
 *   <li>the system property {@value #PROPERTY} (for setups shared between users, or tests): must exist, belong
 *       to this user or root, and not be writable by group or others;</li>
 *   <li>{@code $XDG_RUNTIME_DIR/ipc} (a per-user 0700 tmpfs on systemd systems);</li>
 *   <li>{@code <java.io.tmpdir>/ipc-<uid>}, created 0700.</li>
 * </ol>
 * A directory of ours that exists with looser permissions, or belongs to another user, is refused: someone could
 * otherwise put a socket of theirs under our name. The checks are the POSIX backends' shared
 * {@link SocketDirectories}.
 */
final class SocketDirectory
{
    /** System property naming the socket directory explicitly. */
    static final String PROPERTY = SocketDirectories.PROPERTY;

    private SocketDirectory()
    {
    }

    static Path resolve(final long uid) throws IpcException
    {
        return resolve(uid, System.getProperty(PROPERTY), System.getenv("XDG_RUNTIME_DIR"),
            System.getProperty("java.io.tmpdir"));
    }

    /**
     * The socket directory from explicit inputs (the tests' entry).
     *
     * @param uid      this process's user id.
     * @param explicit the value of {@value #PROPERTY}, or null.
     * @param runtime  the value of {@code XDG_RUNTIME_DIR}, or null.
     * @param tmpdir   the value of {@code java.io.tmpdir}.
     * @return the checked directory.
     * @throws IpcException as {@link SocketDirectories}: refused, or not creatable.
     */
    static Path resolve(final long uid, final String explicit, final String runtime, final String tmpdir)
        throws IpcException
    {
        final Path named = SocketDirectories.explicitDirectory(explicit, uid);
        if (null != named)
        {
            return named;
        }
        final Path directory = null != runtime && !runtime.isEmpty() && Files.isDirectory(Paths.get(runtime)) ?
            Paths.get(runtime, "ipc") : Paths.get(tmpdir, "ipc-" + uid);
        return SocketDirectories.privateDirectory(directory, uid);
    }
}
