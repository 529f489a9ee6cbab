package ipc.shared.posix;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
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
 * The rules of a POSIX backend's socket directory, the same on Linux and macOS (only the default location differs,
 * and each backend chooses it): a directory named by the system property {@value #PROPERTY} must exist, belong to
 * this user or root, and not be writable by group or others; a default directory is created 0700 and must then be
 * this user's and exactly 0700. Anything else is refused with {@link IpcAccessDeniedException}: someone could
 * otherwise put a socket of theirs under our name. Checks never follow a symbolic link at the directory itself.
 */
public final class SocketDirectories
{
    /** System property naming the socket directory explicitly (shared setups, tests). */
    public static final String PROPERTY = "ipc.socketDirectory";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private SocketDirectories()
    {
    }

    /**
     * The directory {@value #PROPERTY} names, checked, if it is set.
     *
     * @param uid this process's user id.
     * @return the absolute directory, or {@code null} if the property is unset or empty.
     * @throws IpcAccessDeniedException if it is no directory, belongs to another user than this one or root, or is
     *                                  writable by group or others.
     */
    public static Path explicitDirectory(final long uid) throws IpcException
    {
        final String explicit = System.getProperty(PROPERTY);
        if (null == explicit || explicit.isEmpty())
        {
            return null;
        }
        final Path directory = Paths.get(explicit).toAbsolutePath();
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
        return directory;
    }

    /**
     * Creates a default directory 0700 if it does not exist, then checks that it is this user's and private.
     *
     * @param directory the backend's default directory.
     * @param uid       this process's user id.
     * @return the directory.
     * @throws IpcAccessDeniedException if it cannot be created, belongs to another user, or is not exactly 0700.
     */
    public static Path privateDirectory(final Path directory, final long uid) throws IpcException
    {
        try
        {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        catch (final FileAlreadyExistsException ignore)
        {
            // Checked below, as is one we just made.
        }
        catch (final IOException ex)
        {
            throw new IpcAccessDeniedException("cannot create socket directory: directory=" + directory + " " + ex, ex);
        }
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
        return directory;
    }
}
