package ipc.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import ipc.api.IpcException;
import ipc.shared.transport.Names;

/** The socket-path length rules: sun_path is 104 bytes on macOS (xnu bsd/sys/un.h:79). Pure Java. */
class SocketDirectoryTest
{
    /** A typical macOS $TMPDIR: 49 bytes before any name of ours. */
    private static final String MACOS_TMPDIR = "/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T/";
    private static final String LONGEST_NAME = "n".repeat(Names.MAX_LENGTH);

    @Test
    void shouldKeepEveryValidNameWithinSunPathInTheDefaultDirectory()
    {
        // 103 usable bytes (one for the NUL) - '/' - 64-character name - ".sock" leaves 33 for the directory.
        assertEquals(33, SocketDirectory.MAX_DIRECTORY_BYTES);
        final Path directory = SocketDirectory.defaultDirectory(MACOS_TMPDIR, 4_294_967_294L);
        assertEquals(Path.of("/tmp/ipc-4294967294"), directory, "the long $TMPDIR is not used");
        assertTrue(SocketDirectory.maxNameLength(directory) >= Names.MAX_LENGTH);
    }

    @Test
    void shouldUseTheTemporaryDirectoryWhenItIsShortEnough()
    {
        assertEquals(Path.of("/tmp/ipc-501"), SocketDirectory.defaultDirectory("/tmp", 501));
        assertEquals(Path.of("/private/tmp/x/ipc-501"), SocketDirectory.defaultDirectory("/private/tmp/x", 501));
        // 33 bytes exactly is still fine, 34 is not.
        final String tmp33 = "/" + "d".repeat(33 - 1 - "/ipc-501".length());
        assertEquals(33, (tmp33 + "/ipc-501").length());
        assertEquals(Path.of(tmp33, "ipc-501"), SocketDirectory.defaultDirectory(tmp33, 501));
        assertEquals(Path.of("/tmp/ipc-501"), SocketDirectory.defaultDirectory(tmp33 + "d", 501));
    }

    @Test
    void shouldAcceptTheLongestNameInTheLongestDefaultDirectory() throws IpcException
    {
        final Path directory = Path.of("/" + "d".repeat(SocketDirectory.MAX_DIRECTORY_BYTES - 1));
        final Path path = SocketDirectory.socketPath(directory, LONGEST_NAME);
        assertEquals(103, path.toString().getBytes(StandardCharsets.UTF_8).length);
        assertEquals(Names.MAX_LENGTH, SocketDirectory.maxNameLength(directory));
    }

    @Test
    void shouldRefuseANameWhosePathCannotFitWithAClearError()
    {
        final Path directory = Path.of(MACOS_TMPDIR, "ipc-501");
        final IpcException refused = assertThrows(IpcException.class,
            () -> SocketDirectory.socketPath(directory, LONGEST_NAME));
        assertTrue(refused.getMessage().contains("sun_path is 104 bytes"), refused.getMessage());
        assertTrue(refused.getMessage().contains("max=103"), refused.getMessage());
        assertTrue(refused.getMessage().contains("longestNameHere=" + SocketDirectory.maxNameLength(directory)),
            refused.getMessage());
    }

    @Test
    void shouldAcceptExactlyTheLongestNameThatFitsAndNoLonger() throws IpcException
    {
        final Path directory = Path.of(MACOS_TMPDIR, "ipc-501");
        final int longest = SocketDirectory.maxNameLength(directory);
        assertEquals(103 - (MACOS_TMPDIR.length() - 1 + "/ipc-501".length()) - 1 - ".sock".length(), longest);
        SocketDirectory.socketPath(directory, "a".repeat(longest));
        assertThrows(IpcException.class, () -> SocketDirectory.socketPath(directory, "a".repeat(longest + 1)));
    }
}
