package ipc.shared.posix;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
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

    /** {@code S_IFMT}: the file type bits of {@code st_mode} (the same value on Linux and macOS). */
    private static final int TYPE_BITS = 0170000;
    /** {@code S_IFDIR}. */
    private static final int DIRECTORY_TYPE = 0040000;
    /** The permission bits compared (read, write, search for owner, group, others), as PosixFilePermission has them. */
    private static final int PERMISSION_BITS = 0777;
    private static final int OWNER_ONLY_MODE = 0700;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;

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
        return explicitDirectory(System.getProperty(PROPERTY), uid);
    }

    /**
     * A directory named explicitly, checked, if one is named.
     *
     * @param explicit the value of {@value #PROPERTY}, or {@code null}.
     * @param uid      this process's user id.
     * @return the absolute directory, or {@code null} if {@code explicit} is null or empty.
     * @throws IpcAccessDeniedException as {@link #explicitDirectory(long)}.
     */
    public static Path explicitDirectory(final String explicit, final long uid) throws IpcException
    {
        if (null == explicit || explicit.isEmpty())
        {
            return null;
        }
        final Path directory = Paths.get(explicit).toAbsolutePath();
        final Status status;
        try
        {
            status = Status.read(directory);
        }
        catch (final IOException ex)
        {
            throw new IpcAccessDeniedException("cannot use socket directory: " + PROPERTY + "=" + directory + " " + ex,
                ex);
        }
        if (!status.isDirectory() || (status.owner != uid && status.owner != 0) ||
            (status.mode & (GROUP_WRITE | OTHERS_WRITE)) != 0)
        {
            throw new IpcAccessDeniedException("socket directory must belong to this user or root and not be " +
                "writable by others: directory=" + directory + " owner=" + status.owner + " uid=" + uid +
                " permissions=" + status.permissions());
        }
        return directory;
    }

    /**
     * Creates a default directory 0700 if it does not exist, then checks that it is this user's and private. The
     * usual case, a directory that exists, costs one {@code lstat}: this runs on every connect.
     *
     * @param directory the backend's default directory.
     * @param uid       this process's user id.
     * @return the directory.
     * @throws IpcAccessDeniedException if it cannot be created, belongs to another user, or is not exactly 0700.
     */
    public static Path privateDirectory(final Path directory, final long uid) throws IpcException
    {
        Status status;
        try
        {
            status = Status.read(directory);
        }
        catch (final NoSuchFileException missing)
        {
            status = null;
        }
        catch (final IOException ex)
        {
            throw new IpcAccessDeniedException("cannot check socket directory: directory=" + directory + " " + ex, ex);
        }
        if (null == status)
        {
            try
            {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            catch (final FileAlreadyExistsException ignore)
            {
                // Made by someone else meanwhile: checked below, as is one we just made.
            }
            catch (final IOException ex)
            {
                throw new IpcAccessDeniedException("cannot create socket directory: directory=" + directory + " " + ex,
                    ex);
            }
            try
            {
                status = Status.read(directory);
            }
            catch (final IOException ex)
            {
                throw new IpcAccessDeniedException("cannot check socket directory: directory=" + directory + " " + ex,
                    ex);
            }
        }
        if (!status.isDirectory() || status.owner != uid || (status.mode & PERMISSION_BITS) != OWNER_ONLY_MODE)
        {
            throw new IpcAccessDeniedException("socket directory is not private: directory=" + directory +
                " owner=" + status.owner + " uid=" + uid + " permissions=" + status.permissions() +
                " expected=rwx------");
        }
        return directory;
    }

    /** A directory's type, owner and mode from one {@code lstat} (the JDK's {@code unix} attribute view). */
    private static final class Status
    {
        private final long owner;
        private final int mode;

        private Status(final long owner, final int mode)
        {
            this.owner = owner;
            this.mode = mode;
        }

        static Status read(final Path path) throws IOException
        {
            final Map<String, Object> attributes =
                Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            return new Status(Integer.toUnsignedLong((Integer)attributes.get("uid")), (Integer)attributes.get("mode"));
        }

        boolean isDirectory()
        {
            return (mode & TYPE_BITS) == DIRECTORY_TYPE;
        }

        String permissions()
        {
            final Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            final PosixFilePermission[] order = {
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
            for (int i = 0; i < order.length; i++)
            {
                if ((mode & (0400 >> i)) != 0)
                {
                    set.add(order[i]);
                }
            }
            return PosixFilePermissions.toString(set);
        }
    }
}
