package ipc.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcException;

/**
 * Where server names live: a directory only the owner can enter. In order of preference:
 * <ol>
 *   <li>the system property {@value #PROPERTY} (for setups shared between users, or tests): must exist, belong
 *       to this user or root, and not be writable by group or others;</li>
 *   <li>{@code $XDG_RUNTIME_DIR/ipc} (a per-user 0700 tmpfs on systemd systems);</li>
 *   <li>{@code <java.io.tmpdir>/ipc-<uid>}, created 0700.</li>
 * </ol>
 * A directory of ours that exists with looser permissions, or belongs to another user, is refused: someone could
 * otherwise put a socket of theirs under our name.
 */
final class SocketDirectory
{
    /** System property naming the socket directory explicitly. */
    static final String PROPERTY = "ipc.socketDirectory";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

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
     * @param explicit the value of {@value #PROPERTY}, or null.
     * @param runtime  the value of {@code XDG_RUNTIME_DIR}, or null.
     * @param tmpdir   the value of {@code java.io.tmpdir}.
     */
    static Path resolve(final long uid, final String explicit, final String runtime, final String tmpdir)
        throws IpcException
    {
        if (null != explicit && !explicit.isEmpty())
        {
            final Path directory = Paths.get(explicit).toAbsolutePath();
            checkOwnedAndNotWritableByOthers(directory, uid);
            return directory;
        }
        final Path directory = null != runtime && !runtime.isEmpty() && Files.isDirectory(Paths.get(runtime)) ?
            Paths.get(runtime, "ipc") : Paths.get(tmpdir, "ipc-" + uid);
        try
        {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        catch (final java.nio.file.FileAlreadyExistsException ignore)
        {
            // Checked below, as is one we just made.
        }
        catch (final IOException ex)
        {
            throw new IpcAccessDeniedException("cannot create socket directory: directory=" + directory + " " + ex, ex);
        }
        checkPrivate(directory, uid);
        return directory;
    }

    private static void checkPrivate(final Path directory, final long uid) throws IpcException
    {
        try
        {
            final int owner = (Integer)Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory,
                LinkOption.NOFOLLOW_LINKS);
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS) || owner != uid ||
                !permissions.equals(OWNER_ONLY))
            {
                throw new IpcAccessDeniedException("socket directory is not private: directory=" + directory +
                    " owner=" + owner + " uid=" + uid + " permissions=" + PosixFilePermissions.toString(permissions) +
                    " expected=rwx------");
            }
        }
        catch (final IOException ex)
        {
            throw new IpcAccessDeniedException("cannot check socket directory: directory=" + directory + " " + ex, ex);
        }
    }

    private static void checkOwnedAndNotWritableByOthers(final Path directory, final long uid) throws IpcException
    {
        try
        {
            final int owner = (Integer)Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory,
                LinkOption.NOFOLLOW_LINKS);
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS) || (owner != uid && owner != 0) ||
                permissions.contains(PosixFilePermission.GROUP_WRITE) ||
                permissions.contains(PosixFilePermission.OTHERS_WRITE))
            {
                throw new IpcAccessDeniedException("socket directory must belong to this user or root and not be " +
                    "writable by others: directory=" + directory + " owner=" + owner + " uid=" + uid +
                    " permissions=" + PosixFilePermissions.toString(permissions));
            }
        }
        catch (final IOException ex)
        {
            throw new IpcAccessDeniedException("cannot use socket directory: " + PROPERTY + "=" + directory + " " + ex,
                ex);
        }
    }
}
