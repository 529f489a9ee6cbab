package ipc.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.opentest4j.TestAbortedException;

import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.windows.os.PipeNames;
import ipc.windows.os.ProcessTokens;

/**
 * A client process of another Windows user is refused: the Windows counterpart of {@code ipc.conformance}'s
 * {@code PeerUidTest} (Windows has no uids, so that class is off there). The test creates a throwaway local user
 * with a random password ({@link LocalUser}: {@code NetUserAdd}, which needs an administrator, as the job of a hosted
 * Windows runner is), starts {@link OtherUserClientMain} as that user ({@code CreateProcessWithLogonW}) against a
 * serving server, and deletes the user afterwards. The other user's process
 * <ul>
 *   <li>does not even find the server by its name: pipe names hold the user's SID, so its {@code connect} looks in
 *       its own namespace;</li>
 *   <li>opening the server's pipe by its full name gets {@code ERROR_ACCESS_DENIED} from the pipe's DACL (this
 *       user's SID and SYSTEM only), before the server sees anything: no connection is accepted or rejected.</li>
 * </ul>
 * Where this machine does not allow it (not an administrator, no Secondary Logon service, a logon policy) the class
 * is skipped with the reason; with {@code -Dipc.test.requirePeerUid=true} (the property {@code PeerUidTest} reads
 * for the same purpose) that fails it instead. Never run on the Linux build machines ({@code LocalUserTest} checks
 * the layouts, constants and text it relies on there); the hosted CI's Windows job runs it.
 */
@EnabledOnOs(OS.WINDOWS)
class OtherUserRefusalTest
{
    /** The property that turns a skip into a failure, as in {@code PeerUidTest.REQUIRED_PROPERTY}. */
    private static final String REQUIRED_PROPERTY = "ipc.test.requirePeerUid";
    /** winerror.h: {@code ERROR_ACCESS_DENIED 5L}. */
    private static final int ERROR_ACCESS_DENIED = 5;
    private static final int CHILD_TIMEOUT_MILLIS = 90_000;
    private static final WindowsTransport TRANSPORT = new WindowsTransport();

    private static LocalUser user;
    private static Path shared;
    private static String classPath;

    /**
     * Ends the class: skipped with the reason, or failed where {@value #REQUIRED_PROPERTY} is {@code true}, since a skip
     * there would hide that nothing was tested.
     */
    private static void skipOrFail(final String reason)
    {
        if (Boolean.getBoolean(REQUIRED_PROPERTY))
        {
            Assertions.fail("cannot run although " + REQUIRED_PROPERTY + "=true: " + reason);
        }
        throw new TestAbortedException("skipped: " + reason);
    }

    @BeforeAll
    static void createUserAndSharedDirectory() throws Exception
    {
        try
        {
            user = LocalUser.create(new SecureRandom());
        }
        catch (final LocalUser.RefusedException ex)
        {
            skipOrFail(ex.getMessage());
        }
        // The class path may sit under this user's profile, which the other user cannot read: copy it to a
        // directory of our own that the other user may read and write (its output file, JNA's native library).
        shared = Path.of(System.getenv().getOrDefault("SystemDrive", "C:") + File.separator,
            "ipcu-" + ProcessHandle.current().pid());
        Files.createDirectories(shared.resolve("tmp"));
        final List<String> entries = new ArrayList<>();
        int n = 0;
        for (final Path entry : TestClassPath.entries())
        {
            final Path target = shared.resolve("cp").resolve((n++) + "-" + entry.getFileName());
            copyTree(entry, target);
            entries.add(target.toString());
        }
        classPath = String.join(File.pathSeparator, entries);
        final String grant = run("icacls", shared.toString(), "/grant", user.name() + ":(OI)(CI)M", "/T", "/Q");
        System.out.println("other user " + user.name() + " shared=" + shared + ": " + grant);
    }

    @AfterAll
    static void deleteUserAndSharedDirectory() throws Exception
    {
        try
        {
            if (null != user)
            {
                user.close();
            }
        }
        finally
        {
            TRANSPORT.deactivate();
            if (null != shared)
            {
                try (Stream<Path> paths = Files.walk(shared))
                {
                    for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
                    {
                        Files.delete(path);
                    }
                }
            }
        }
    }

    @Test
    @Timeout(180)
    void shouldRefuseAClientOfAnotherUserAtThePipe() throws Exception
    {
        final String name = "other-user-" + ProcessHandle.current().pid();
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve((channel, message) -> channel.send(message));
            final String ourSid = ProcessTokens.currentUserSid();
            final String pipe = PipeNames.serverPipe(ourSid, name);
            final Path output = shared.resolve("outcome.txt");
            // JNA's System.load is a restricted method: JDK 24+ warns without the flag (JDK 17 accepts it silently).
            final List<String> command = List.of(javaExecutable(), "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                "-Djna.tmpdir=" + shared.resolve("tmp"), "-cp", classPath, OtherUserClientMain.class.getName(), output.toString(), name, pipe);
            final int exit;
            try
            {
                exit = user.run(command.get(0), command, environment(), shared.toString(), CHILD_TIMEOUT_MILLIS);
            }
            catch (final LocalUser.RefusedException ex)
            {
                skipOrFail(ex.getMessage());
                return;
            }
            assertTrue(Files.exists(output), "the other user's JVM wrote nothing: exit=" + exit +
                " (could it read " + javaExecutable() + " and " + shared + "?)");
            final List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
            assertEquals(0, exit, "exit of the other user's process: " + lines);
            final String sid = line(lines, "USER sid=");
            assertTrue(sid.startsWith("S-1-"), "the other process's user: " + lines);
            assertNotEquals(ourSid, sid, "the process must run as another user: " + lines);
            assertFalse(line(lines, "CONNECT ").startsWith("OK"), "another user must not reach our server: " + lines);
            assertEquals("error=" + ERROR_ACCESS_DENIED, line(lines, "OPEN "),
                "the pipe's DACL must refuse another user: " + lines);
            assertEquals(0, server.stats().acceptedConnections(), server.stats().toString());
        }
    }

    private static String line(final List<String> lines, final String prefix)
    {
        return lines.stream().filter(text -> text.startsWith(prefix)).map(text -> text.substring(prefix.length()))
            .findFirst().orElseThrow(() -> new AssertionError("no line " + prefix + " in " + lines));
    }

    private static String javaExecutable()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java.exe").toString();
    }

    /** The child's whole environment: what Windows and the JVM need, temporary files in the shared directory. */
    private static Map<String, String> environment()
    {
        final Map<String, String> environment = new LinkedHashMap<>();
        for (final String key : List.of("SystemRoot", "SystemDrive", "windir", "ComSpec", "PATH",
            "PROCESSOR_ARCHITECTURE", "NUMBER_OF_PROCESSORS"))
        {
            final String value = System.getenv(key);
            if (null != value)
            {
                environment.put(key, value);
            }
        }
        environment.put("TEMP", shared.resolve("tmp").toString());
        environment.put("TMP", shared.resolve("tmp").toString());
        return environment;
    }

    /** Copies a jar, or a directory tree of classes, to {@code target}. */
    private static void copyTree(final Path source, final Path target) throws IOException
    {
        try (Stream<Path> paths = Files.walk(source))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                final Path copy = target.resolve(source.relativize(path).toString());
                Files.createDirectories(Files.isDirectory(path) ? copy : copy.getParent());
                if (!Files.isDirectory(path))
                {
                    Files.copy(path, copy);
                }
            }
        }
    }

    private static String run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output.trim();
    }
}
