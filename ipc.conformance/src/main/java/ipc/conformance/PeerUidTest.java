package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.api.IpcServer;

/**
 * A client running as another user: refused by the socket's mode by default, refused by the server's uid check when
 * the socket is opened to others for a different uid ({@code SO_PEERCRED} on Linux, {@code LOCAL_PEERCRED} on
 * macOS), accepted when its uid is allowed. The client is a second JVM started as that user:
 * <ul>
 *   <li>Linux: needs root (as on CI) to create the user {@value #LINUX_USER} and switch to it with {@code setpriv};</li>
 *   <li>macOS: needs password-less {@code sudo} (as on the hosted runners) to run it as the built-in user
 *   {@value #MAC_USER};</li>
 * </ul>
 * skipped with the reason otherwise. Windows has no uids: there {@code ipc.windows}' {@code OtherUserRefusalTest}
 * runs a client as a throwaway local user ({@code NetUserAdd}, {@code CreateProcessWithLogonW}) and sees the pipe's
 * DACL refuse it; the server's SID check (REJECT) is tested with a fake channel ({@code HandshakeAdmissionTest}).
 */
@HostSuite
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "Windows has no uids; ipc.windows' OtherUserRefusalTest runs a " +
    "client as another Windows user instead")
class PeerUidTest
{
    private static final String LINUX_USER = "ipc-test-peer";
    private static final String MAC_USER = "_www";
    private static final boolean MAC = IpcPlatform.MACOS == IpcPlatform.fromOsName(System.getProperty("os.name", ""));
    /** Set to {@code true} where this class must run: then what would skip it fails it instead. */
    static final String REQUIRED_PROPERTY = "ipc.test.requirePeerUid";

    private static long peerUid;
    private static long peerGid;
    private static Path socketDirectory;
    private static Path classPathCopy;
    private static String classPath;
    private static String previousSocketDirectory;

    /**
     * Skips the class when a condition does not hold, or, where {@value #REQUIRED_PROPERTY} is {@code true} (the
     * hosted CI job that runs this class with sudo), fails it: there a skip would hide that nothing was tested.
     */
    private static void requireOrSkip(final boolean condition, final String reason)
    {
        if (Boolean.getBoolean(REQUIRED_PROPERTY))
        {
            Assertions.assertTrue(condition, "cannot run although " + REQUIRED_PROPERTY + "=true: " + reason);
        }
        Assumptions.assumeTrue(condition, "skipped: " + reason);
    }

    @BeforeAll
    static void createUserAndSharedDirectories() throws Exception
    {
        if (MAC)
        {
            final Result sudo = run("sudo", "-n", "true");
            requireOrSkip(sudo.exitCode == 0, "switching users needs password-less sudo: " + sudo.output);
        }
        else
        {
            requireOrSkip("0".equals(run("id", "-u").output.trim()), "switching users needs root");
            requireOrSkip(Files.isExecutable(Path.of("/usr/bin/setpriv")) ||
                Files.isExecutable(Path.of("/bin/setpriv")), "setpriv is not installed");
            if (run("id", "-u", LINUX_USER).exitCode != 0)
            {
                final Result created = run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                    LINUX_USER);
                requireOrSkip(created.exitCode == 0, "useradd failed: " + created.output);
            }
        }
        final String user = MAC ? MAC_USER : LINUX_USER;
        peerUid = Long.parseLong(run("id", "-u", user).output.trim());
        peerGid = Long.parseLong(run("id", "-g", user).output.trim());

        // A directory the other user can traverse but not list or write, owned by root (a client accepts a socket
        // directory only from its own user or root): on Linux the test runs as root; on macOS it does not, so root
        // makes the directory (under /tmp: $TMPDIR under /var/folders/... makes socket paths long) and an ACL entry
        // lets this user add and remove its socket and lock files (macOS ACLs, chmod(1) "+a"), which leaves the
        // mode bits at 0711 for both sides' checks.
        if (MAC)
        {
            socketDirectory = Path.of("/tmp", "ipcu-" + ProcessHandle.current().pid());
            final Result made = run("sudo", "-n", "mkdir", "-m", "0711", socketDirectory.toString());
            assertEquals(0, made.exitCode, made.output);
            final Result granted = run("sudo", "-n", "chmod", "+a", System.getProperty("user.name") +
                " allow list,add_file,search,delete_child", socketDirectory.toString());
            assertEquals(0, granted.exitCode, granted.output);
        }
        else
        {
            socketDirectory = Files.createTempDirectory("ipcu");
            Files.setPosixFilePermissions(socketDirectory, PosixFilePermissions.fromString("rwx--x--x"));
        }
        // The class path may sit under a directory only root can read (~/.m2): copy it where others can.
        classPathCopy = MAC ? Files.createTempDirectory(Path.of("/tmp"), "ipcu-cp") :
            Files.createTempDirectory("ipcu-cp");
        final List<String> entries = new ArrayList<>();
        int n = 0;
        for (final Path entry : ChildJvm.classPathEntries())
        {
            final Path target = classPathCopy.resolve((n++) + "-" + entry.getFileName());
            copyTree(entry, target);
            entries.add(target.toString());
        }
        // Where the other user's JNA unpacks its native library (its home may not be writable).
        Files.createDirectories(classPathCopy.resolve("jna"));
        run("chmod", "-R", "a+rX", classPathCopy.toString());
        run("chmod", "a+rwx", classPathCopy.resolve("jna").toString());
        classPath = String.join(java.io.File.pathSeparator, entries);
        // Initialise the shared environment first: it points the property at its own directory when loaded.
        TestEnvironment.socketDirectory();
        previousSocketDirectory = System.getProperty(TestEnvironment.SOCKET_DIRECTORY_PROPERTY);
        System.setProperty(TestEnvironment.SOCKET_DIRECTORY_PROPERTY, socketDirectory.toString());
        System.out.println("peer user " + user + " uid=" + peerUid + " gid=" + peerGid + " socketDirectory=" +
            socketDirectory);
    }

    @AfterAll
    static void restore() throws Exception
    {
        if (null != previousSocketDirectory)
        {
            System.setProperty(TestEnvironment.SOCKET_DIRECTORY_PROPERTY, previousSocketDirectory);
        }
        if (null != classPathCopy)
        {
            // On macOS the other user's JNA left files of its own there.
            run(MAC ? new String[] {"sudo", "-n", "rm", "-rf", classPathCopy.toString()} :
                new String[] {"rm", "-rf", classPathCopy.toString()});
        }
        if (null != socketDirectory)
        {
            final List<String> left = TestEnvironment.list(socketDirectory);
            if (MAC)
            {
                run("sudo", "-n", "rm", "-rf", socketDirectory.toString());
            }
            else
            {
                Files.delete(socketDirectory);
            }
            assertEquals(List.of(), left, "socket files left behind");
        }
    }

    @Test
    @Timeout(60)
    void shouldDenyAnotherUserByTheSocketsModeByDefault() throws Exception
    {
        final String name = uniqueName("uid-default");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                socketDirectory.resolve(name + ".sock"))));
            final String outcome = runPeer(name, 3);
            assertTrue(outcome.contains("ACCESS_DENIED"), outcome);
            assertEquals(0, server.stats().acceptedConnections());
        }
    }

    @Test
    @Timeout(60)
    void shouldRejectAUidThatIsNotAllowed() throws Exception
    {
        final String name = uniqueName("uid-other");
        final long someoneElse = peerUid + 1;
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.builder().allowPeerUid(someoneElse).build()))
        {
            assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                socketDirectory.resolve(name + ".sock"))));
            server.serve((channel, message) -> channel.send(Messages.answer(message)));
            final String outcome = runPeer(name, 3);
            assertTrue(outcome.contains("ACCESS_DENIED") && outcome.contains("uid=" + peerUid), outcome);
            assertTrue(TestEnvironment.eventually(() -> server.stats().rejectedConnections() == 1, 5_000),
                server.stats().toString());
            assertEquals(0, server.stats().acceptedConnections());
        }
    }

    @Test
    @Timeout(60)
    void shouldAcceptAnAllowedUid() throws Exception
    {
        final String name = uniqueName("uid-allowed");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.builder().allowPeerUid(peerUid).build()))
        {
            final List<Long> peerUids = new java.util.concurrent.CopyOnWriteArrayList<>();
            server.serve((IpcChannel channel, ByteBuffer message) -> {
                peerUids.add(channel.peer().uid());
                channel.send("pong".getBytes(StandardCharsets.US_ASCII));
            });
            final String outcome = runPeer(name, 0);
            assertTrue(outcome.contains("OUTCOME OK reply=pong"), outcome);
            assertEquals(List.of(peerUid), peerUids);
            assertEquals(1, server.stats().acceptedConnections());
            assertEquals(0, server.stats().rejectedConnections());
        }
    }

    @Test
    @Timeout(60)
    void shouldRefuseAStatsQueryFromAUidThatIsNotAllowed() throws Exception
    {
        final String name = uniqueName("uid-stats");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.builder().allowPeerUid(peerUid + 1).build()))
        {
            server.serve((channel, message) -> channel.send(Messages.answer(message)));
            final String outcome = runPeer(name, 3, "stats-once");
            assertTrue(outcome.contains("ACCESS_DENIED") && outcome.contains("uid=" + peerUid), outcome);
            assertTrue(TestEnvironment.eventually(() -> server.stats().rejectedConnections() == 1, 5_000),
                server.stats().toString());
        }
        // The same query from an allowed uid is answered.
        final String allowed = uniqueName("uid-stats-ok");
        try (IpcServer server = TRANSPORT.bind(allowed, IpcOptions.builder().allowPeerUid(peerUid).build()))
        {
            server.serve((channel, message) -> channel.send(Messages.answer(message)));
            final String outcome = runPeer(allowed, 0, "stats-once");
            assertTrue(outcome.contains("OUTCOME STATS open=0 accepted=0 rejected=0"), outcome);
        }
    }

    private static String runPeer(final String name, final int expectedExit) throws Exception
    {
        return runPeer(name, expectedExit, "connect-once");
    }

    private static String runPeer(final String name, final int expectedExit, final String role) throws Exception
    {
        final List<String> asPeer = MAC ? List.of("sudo", "-n", "-u", MAC_USER, "env",
            "JAVA_TOOL_OPTIONS=-Djna.tmpdir=" + classPathCopy.resolve("jna")) :
            List.of("setpriv", "--reuid=" + peerUid, "--regid=" + peerGid, "--clear-groups");
        try (ChildJvm child = ChildJvm.start("uid-" + peerUid, asPeer, classPath, role, name))
        {
            final int exit = child.awaitExit(30_000);
            final String outcome = child.awaitLine("OUTCOME", 1_000);
            assertEquals(expectedExit, exit, child.output());
            return outcome;
        }
    }

    private static void copyTree(final Path source, final Path target) throws IOException
    {
        if (!Files.isDirectory(source))
        {
            Files.copy(source, target);
            return;
        }
        try (Stream<Path> paths = Files.walk(source))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                final Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path))
                {
                    Files.createDirectories(copy);
                }
                else
                {
                    Files.copy(path, copy);
                }
            }
        }
    }

    private record Result(int exitCode, String output)
    {
    }

    private static Result run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            return new Result(-1, "timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), output);
    }
}
