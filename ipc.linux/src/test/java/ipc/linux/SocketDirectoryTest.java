package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ipc.api.IpcAccessDeniedException;
import ipc.linux.os.Posix;

/**
 * The README's refusals of a socket directory someone else could put a socket into: the default directory
 * ({@code <tmp>/ipc-<uid>}, or {@code $XDG_RUNTIME_DIR/ipc}) must be this user's, mode 0700, and no symbolic link; a
 * directory named by {@code ipc.socketDirectory} must belong to this user or root, not be writable by group or
 * others, and be no symbolic link.
 */
@EnabledOnOs(OS.LINUX)
class SocketDirectoryTest
{
    /** Someone else: the conventional "nobody". */
    private static final int OTHER_UID = 65534;

    private Path tmp;
    private long uid;

    @BeforeEach
    void createTemporaryDirectory() throws IOException
    {
        tmp = Files.createTempDirectory("ipcd", PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
        uid = Posix.getuid();
    }

    @AfterEach
    void deleteTemporaryDirectory() throws IOException
    {
        try (Stream<Path> paths = Files.walk(tmp))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void shouldCreateTheDefaultDirectoryOwnerOnly() throws Exception
    {
        final Path directory = SocketDirectory.resolve(uid, null, null, tmp.toString());
        assertEquals(tmp.resolve("ipc-" + uid), directory);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
        assertEquals(directory, SocketDirectory.resolve(uid, null, null, tmp.toString()), "and accept it again");
    }

    @Test
    void shouldUseTheRuntimeDirectoryWhenThereIsOne() throws Exception
    {
        final Path runtime = Files.createDirectory(tmp.resolve("run"));
        assertEquals(runtime.resolve("ipc"), SocketDirectory.resolve(uid, null, runtime.toString(), "/nonexistent"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rwxr-xr-x", "rwxrwxrwx", "rwx--x--x", "rwxrwx---"})
    void shouldRefuseADefaultDirectoryOthersCanEnter(final String mode) throws Exception
    {
        final Path directory = Files.createDirectory(tmp.resolve("ipc-" + uid));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
        final IpcAccessDeniedException ex = assertThrows(IpcAccessDeniedException.class,
            () -> SocketDirectory.resolve(uid, null, null, tmp.toString()));
        assertTrue(ex.getMessage().contains("permissions=" + mode), ex.getMessage());
    }

    @Test
    void shouldRefuseADefaultDirectoryThatIsASymbolicLink() throws Exception
    {
        final Path target = Files.createDirectory(tmp.resolve("elsewhere"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(tmp.resolve("ipc-" + uid), target);
        final IpcAccessDeniedException ex = assertThrows(IpcAccessDeniedException.class,
            () -> SocketDirectory.resolve(uid, null, null, tmp.toString()));
        assertTrue(ex.getMessage().contains("not private"), ex.getMessage());
    }

    @Test
    void shouldRefuseADefaultDirectoryOfAnotherOwner() throws Exception
    {
        final Path directory = Files.createDirectory(tmp.resolve("ipc-" + uid),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        chownOrSkip(directory);
        final IpcAccessDeniedException ex = assertThrows(IpcAccessDeniedException.class,
            () -> SocketDirectory.resolve(uid, null, null, tmp.toString()));
        assertTrue(ex.getMessage().contains("owner=" + OTHER_UID), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rwx------", "rwxr-xr-x", "rwx--x--x"})
    void shouldAcceptAnExplicitDirectoryNobodyElseCanWrite(final String mode) throws Exception
    {
        final Path directory = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
        assertEquals(directory, SocketDirectory.resolve(uid, directory.toString(), null, "/nonexistent"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rwxrwxrwx", "rwxrwx---", "rwx---rwx", "rwxrwxrwt"})
    void shouldRefuseAnExplicitDirectoryOthersCanWrite(final String mode) throws Exception
    {
        final Path directory = Files.createDirectory(tmp.resolve("shared"));
        // The sticky bit (t) does not show in POSIX permissions: 1777 reads as rwxrwxrwx, refused all the same.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode.replace('t', 'x')));
        final IpcAccessDeniedException ex = assertThrows(IpcAccessDeniedException.class,
            () -> SocketDirectory.resolve(uid, directory.toString(), null, "/nonexistent"));
        assertTrue(ex.getMessage().contains("not be writable by others"), ex.getMessage());
    }

    @Test
    void shouldRefuseAnExplicitDirectoryThatIsASymbolicLink() throws Exception
    {
        final Path target = Files.createDirectory(tmp.resolve("elsewhere"));
        final Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        assertTrue(Files.isSymbolicLink(link));
        assertThrows(IpcAccessDeniedException.class,
            () -> SocketDirectory.resolve(uid, link.toString(), null, "/nonexistent"));
    }

    @Test
    void shouldRefuseAnExplicitDirectoryOfAnotherUser() throws Exception
    {
        final Path directory = Files.createDirectory(tmp.resolve("theirs"));
        chownOrSkip(directory);
        // Root's directories are fine (a shared /run/ipc); this one belongs to someone who is neither us nor root.
        final IpcAccessDeniedException ex = assertThrows(IpcAccessDeniedException.class,
            () -> SocketDirectory.resolve(uid == OTHER_UID ? 1 : uid, directory.toString(), null, "/nonexistent"));
        assertTrue(ex.getMessage().contains("owner=" + OTHER_UID), ex.getMessage());
    }

    /** Gives a directory to another user: only root can; anyone else skips, saying why. */
    private static void chownOrSkip(final Path directory) throws IOException
    {
        assumeTrue(Posix.getuid() == 0, "skipped: only root can give a directory to another user");
        Files.setAttribute(directory, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
        assertEquals(OTHER_UID, Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    }
}
