package ipc.shared.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import ipc.api.IpcAccessDeniedException;

/**
 * The socket-directory rules shared by the POSIX backends, on this machine's file system.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX file permissions; the Windows backend has no directory")
class SocketDirectoriesTest
{
    @TempDir
    Path parent;

    private final String previous = System.getProperty(SocketDirectories.PROPERTY);

    @AfterEach
    void restoreProperty()
    {
        if (null == previous)
        {
            System.clearProperty(SocketDirectories.PROPERTY);
        }
        else
        {
            System.setProperty(SocketDirectories.PROPERTY, previous);
        }
    }

    @Test
    void shouldCreateAPrivateDirectoryAndAcceptItAgain() throws Exception
    {
        final long uid = ownUid();
        final Path directory = parent.resolve("ipc-" + uid);
        assertEquals(directory, SocketDirectories.privateDirectory(directory, uid));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
        assertEquals(directory, SocketDirectories.privateDirectory(directory, uid));
    }

    @Test
    void shouldRefuseADefaultDirectoryWithLooserPermissionsOrAnotherOwner() throws Exception
    {
        final long uid = ownUid();
        final Path loose = Files.createDirectory(parent.resolve("loose"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        final IpcAccessDeniedException ex = assertThrows(IpcAccessDeniedException.class,
            () -> SocketDirectories.privateDirectory(loose, uid));
        assertTrue(ex.getMessage().contains("not private"), ex.getMessage());
        final Path mine = SocketDirectories.privateDirectory(parent.resolve("mine"), uid);
        assertThrows(IpcAccessDeniedException.class, () -> SocketDirectories.privateDirectory(mine, uid + 1));
    }

    @Test
    void shouldTakeTheExplicitDirectoryOnlyIfNobodyElseCanWriteIt() throws Exception
    {
        final long uid = ownUid();
        System.clearProperty(SocketDirectories.PROPERTY);
        assertNull(SocketDirectories.explicitDirectory(uid));

        final Path shared = Files.createDirectory(parent.resolve("shared"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        System.setProperty(SocketDirectories.PROPERTY, shared.toString());
        assertEquals(shared, SocketDirectories.explicitDirectory(uid));

        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx--x"));
        final IpcAccessDeniedException ex = assertThrows(IpcAccessDeniedException.class,
            () -> SocketDirectories.explicitDirectory(uid));
        assertTrue(ex.getMessage().contains("writable by others"), ex.getMessage());

        System.setProperty(SocketDirectories.PROPERTY, parent.resolve("missing").toString());
        assertThrows(IpcAccessDeniedException.class, () -> SocketDirectories.explicitDirectory(uid));
    }

    private static long ownUid() throws Exception
    {
        final Path probe = Files.createTempFile("uid", ".probe");
        try
        {
            return ((Integer)Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        }
        finally
        {
            Files.delete(probe);
        }
    }
}
