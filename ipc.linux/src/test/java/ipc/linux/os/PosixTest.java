package ipc.linux.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ipc.api.IpcException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class PosixTest
{
    @TempDir
    Path temp;

    @Test
    void shouldThrowIpcExceptionWithEbadfWhenClosingUnknownDescriptor()
    {
        final IpcException e = assertThrows(IpcException.class, () -> Posix.close(-1));
        assertTrue(e.getMessage().startsWith("close failed: errno=9 (Bad file descriptor)"), e.getMessage());
    }

    @Test
    void shouldReportOwnIdentity()
    {
        assertEquals(ProcessHandle.current().pid(), Posix.getpid());
        assertTrue(Posix.getuid() >= 0);
    }

    @Test
    void shouldCreatePrivateDirectoryAndReadItsOwnerAndMode() throws Exception
    {
        final String dir = temp.resolve("private").toString();
        assertTrue(Posix.mkdir(dir, 0700));
        assertFalse(Posix.mkdir(dir, 0700));
        final FileStatus status = Posix.stat(dir);
        assertTrue(status.isDirectory());
        assertEquals(Posix.getuid(), status.uid());
        assertEquals(0700, status.permissions());
        assertEquals(Files.getAttribute(Path.of(dir), "unix:uid"), status.uid());
        Posix.chmod(dir, 0750);
        assertEquals(0750, Posix.stat(dir).permissions());
    }

    @Test
    void shouldUnlinkOnceAndReportMissingFile() throws Exception
    {
        final Path file = Files.createFile(temp.resolve("f"));
        assertTrue(Posix.unlink(file.toString()));
        assertFalse(Posix.unlink(file.toString()));
        assertThrows(IpcException.class, () -> Posix.stat(file.toString()));
    }

    @Test
    void shouldRoundTimeoutsUpToWholeMillisecondsWithoutOverflow()
    {
        assertEquals(-1, Posix.toMillis(-1));
        assertEquals(0, Posix.toMillis(0));
        assertEquals(1, Posix.toMillis(1));
        assertEquals(1, Posix.toMillis(1_000_000));
        assertEquals(2, Posix.toMillis(1_000_001));
        assertEquals(Integer.MAX_VALUE, Posix.toMillis(Long.MAX_VALUE));
    }
}
