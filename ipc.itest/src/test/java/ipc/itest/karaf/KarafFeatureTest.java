package ipc.itest.karaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcTransport;
import ipc.itest.handler.HandlerBundleJar;

/**
 * The feature repository in a real Apache Karaf (unpacked from the Maven repository by the {@code karaf} profile):
 * {@code feature:repo-add} and {@code feature:install ipc} through Karaf's console; exactly one
 * {@code IpcTransport}, from {@code ipc.linux}; a whiteboard echo handler bundle answers this JVM (another process);
 * the {@code ipc:*} commands work; {@code feature:uninstall ipc} leaves no socket, shared-memory mapping or thread.
 *
 * <p>Offline: Karaf resolves {@code mvn:} URLs from its own {@code system/} folder, from a folder in Maven's layout
 * that this test fills with the jars of this build, and from the local Maven repository (where the profile put the
 * bundles of Karaf's {@code scr} feature that its distribution lacks); no remote repository.
 */
class KarafFeatureTest
{
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final String GROUP = "io/github/ipcplatform";
    private static final String VERSION = System.getProperty("ipc.itest.version");
    /** ipc.linux's system property naming the socket directory. */
    private static final String SOCKET_DIRECTORY = "ipc.socketDirectory";

    @Test
    void shouldInstallTheFeatureServeAClientAndLeaveNothingBehindOnUninstall() throws Exception
    {
        final Path work = Path.of(System.getProperty("ipc.itest.karaf.work"));
        deleteTree(work);
        // A fresh copy of the unpacked distribution per run: Karaf keeps installed features in its data folder.
        final Path home = copyTree(Path.of(System.getProperty("ipc.itest.karaf.home")), work.resolve("karaf"));
        final Path repository = work.resolve("repository");
        fillRepository(repository);
        // Karaf's Maven resolver: this build's jars, then the local Maven repository read as a remote one; what it
        // fetches it caches in a folder of its own under target/, never in the local Maven repository (which would
        // put this build's SNAPSHOTs where other builds pick them up, as an mvn install would).
        Files.writeString(home.resolve("etc/org.ops4j.pax.url.mvn.cfg"), System.lineSeparator() +
            "org.ops4j.pax.url.mvn.localRepository=" + work.resolve("karaf-maven-cache") + System.lineSeparator() +
            "org.ops4j.pax.url.mvn.repositories=file:" + repository + "@id=ipc@snapshots, file:" +
            System.getProperty("ipc.itest.maven.local") + "@id=local" + System.lineSeparator(),
            StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        // Without ssh (its port) and JMX management (its RMI ports, and the scr feature's management bundle).
        final Path features = home.resolve("etc/org.apache.karaf.features.cfg");
        Files.writeString(features, Files.readString(features, StandardCharsets.UTF_8)
            .replaceAll("(?m)^\\s*(ssh|management)/[0-9.]+, \\\\\\R", ""), StandardCharsets.UTF_8);

        final String name = "karaf-echo-" + ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime(), 36);
        final Path handlerJar = work.resolve("handler-" + name + ".jar");
        Files.write(handlerJar, HandlerBundleJar.build(name));

        // Karaf sets java.io.tmpdir to its data/tmp, where ipc.linux would put its socket directory when
        // XDG_RUNTIME_DIR is not set: a client in another JVM would not find the servers. Both sides name one
        // directory instead, as a Karaf user does (README).
        final Path sockets = Files.createDirectory(work.resolve("sockets"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final String previous = System.setProperty(SOCKET_DIRECTORY, sockets.toString());
        final KarafConsole karaf = KarafConsole.start(home, "-D" + SOCKET_DIRECTORY + "=" + sockets);
        try
        {
            awaitFeatureService(karaf);
            // By file: URL. The mvn: URL (mvn:io.github.ipcplatform/ipc.osgi/<version>/xml/features) installs as
            // well, but with a SNAPSHOT served from a plain folder (no maven-metadata.xml) Karaf 4.4.10's
            // feature:uninstall then fails: its resolver no longer sees the system bundle. Released versions from a
            // Maven repository were not tried here.
            karaf.run("feature:repo-add file:" + repository.resolve(GROUP + "/ipc.osgi/" + VERSION + "/ipc.osgi-" +
                VERSION + "-features.xml"), COMMAND_TIMEOUT);
            // Karaf may still be provisioning its boot features when its features service answers: their bundles are
            // refreshed at the end, and the feature commands are gone meanwhile ("Command not found", seen once in a
            // clean-clone CI run). Installing a feature twice is harmless, so it is retried until the command exists.
            final String install = awaitOutput(karaf, "feature:install ipc", out -> !out.contains("Command not found"));
            assertFalse(install.contains("Error") || install.contains("Unable"), "feature:install ipc said: " + install);

            // SCR activates the components after feature:install returns.
            final String transports = awaitOutput(karaf, "service:list ipc.api.IpcTransport",
                t -> count(t, "^\\[ipc\\.api\\.IpcTransport\\]$") > 0);
            assertEquals(1, count(transports, "^\\[ipc\\.api\\.IpcTransport\\]$"), "IpcTransport services: " +
                transports);
            assertTrue(transports.contains("ipc.platform = LINUX") && transports.contains("ipc.linux"),
                "the transport is ipc.linux's: " + transports);
            final String backends = karaf.run("bundle:list -s -t 0 | grep ipc.", COMMAND_TIMEOUT);
            assertFalse(backends.contains("ipc.macos") || backends.contains("ipc.windows"),
                "only the host's backend is installed: " + backends);

            karaf.run("bundle:install -s file:" + handlerJar, COMMAND_TIMEOUT);
            awaitServer(karaf, name);
            final byte[] message = "hello karaf".getBytes(StandardCharsets.UTF_8);
            try (IpcChannel channel = IpcTransport.forHost().connect(name, IpcOptions.builder()
                .connectTimeout(Duration.ofSeconds(10)).sendTimeout(Duration.ofSeconds(10)).build()))
            {
                assertEquals(karaf.javaProcess().map(ProcessHandle::pid).orElse(-1L), channel.peer().pid(),
                    "the server runs in Karaf's JVM");
                channel.send(message);
                assertArrayEquals(message, channel.receive(Duration.ofSeconds(10)), "echo from Karaf");
            }
            final String ping = karaf.run("ipc:ping " + name + " 3", COMMAND_TIMEOUT);
            assertTrue(ping.contains("3 round trips"), "ipc:ping said: " + ping);
            final String list = karaf.run("ipc:list", COMMAND_TIMEOUT);
            final Matcher directory = Pattern.compile("socket directory: (\\S+)").matcher(list);
            assertTrue(directory.find() && list.contains(name), "ipc:list said: " + list);
            assertEquals(sockets.toString(), directory.group(1), "Karaf's socket directory");
            final Path socket = Path.of(directory.group(1)).resolve(name + ".sock");
            assertTrue(Files.exists(socket), "socket file " + socket);

            final long pid = karaf.javaProcess().orElseThrow().pid();
            assertTrue(threads(pid).stream().anyMatch(t -> t.startsWith("ipc-")), "ipc threads before: " +
                threads(pid));

            // The user's handler bundle goes first: it imports ipc.api, which the feature is about to take away.
            karaf.run("bundle:uninstall ipc.itest.handler." + name, COMMAND_TIMEOUT);
            awaitGone(() -> karaf.run("ipc:servers", COMMAND_TIMEOUT).contains(name), "server " + name);
            final String uninstall = karaf.run("feature:uninstall ipc", COMMAND_TIMEOUT);
            assertFalse(uninstall.contains("Error"), "feature:uninstall ipc said: " + uninstall);
            awaitGone(() -> Files.exists(socket), "socket file " + socket);
            awaitGone(() -> Files.exists(Path.of(directory.group(1)).resolve(name + ".lock")), "lock file of " + name);
            awaitGone(() -> threads(pid).stream().anyMatch(t -> t.startsWith("ipc-")), "ipc threads: " +
                threads(pid));
            awaitGone(() -> maps(pid).contains("memfd:ipc-"), "ipc shared-memory mappings");
            assertEquals(0, count(karaf.run("service:list ipc.api.IpcTransport", COMMAND_TIMEOUT),
                "^\\[ipc\\.api\\.IpcTransport\\]$"), "IpcTransport services after uninstall");
        }
        finally
        {
            karaf.close();
            // What the console showed, for whoever reads a failure (target/karaf-work/console.txt).
            Files.writeString(work.resolve("console.txt"), karaf.transcript(), StandardCharsets.UTF_8);
            if (null == previous)
            {
                System.clearProperty(SOCKET_DIRECTORY);
            }
            else
            {
                System.setProperty(SOCKET_DIRECTORY, previous);
            }
        }
    }

    /** Waits until Karaf's console knows the feature commands (the console may start before the features service). */
    private static void awaitFeatureService(final KarafConsole karaf) throws Exception
    {
        final long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (!karaf.run("feature:repo-list", COMMAND_TIMEOUT).contains("standard"))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("Karaf's features service did not come up: " + karaf.transcript());
            }
            Thread.sleep(500);
        }
    }

    private static void awaitServer(final KarafConsole karaf, final String name) throws Exception
    {
        final String servers = awaitOutput(karaf, "ipc:servers", s -> s.contains(name));
        assertTrue(servers.contains("whiteboard"), "ipc:servers said: " + servers);
    }

    /** Runs a command until its output satisfies a condition; returns that output. */
    private static String awaitOutput(final KarafConsole karaf, final String command,
        final java.util.function.Predicate<String> condition) throws Exception
    {
        final long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        String output;
        while (!condition.test(output = karaf.run(command, COMMAND_TIMEOUT)))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("'" + command + "' did not print what was expected: " + output);
            }
            Thread.sleep(200);
        }
        return output;
    }

    /** Puts this build's jars and the feature repository where Karaf's Maven resolver finds them. */
    private static void fillRepository(final Path repository) throws IOException
    {
        for (final String module : List.of("ipc.api", "ipc.shared", "ipc.linux", "ipc.macos", "ipc.windows", "ipc.osgi"))
        {
            copy(System.getProperty("ipc.itest.jar." + module),
                repository.resolve(GROUP + "/" + module + "/" + VERSION + "/" + module + "-" + VERSION + ".jar"));
        }
        copy(System.getProperty("ipc.itest.features"),
            repository.resolve(GROUP + "/ipc.osgi/" + VERSION + "/ipc.osgi-" + VERSION + "-features.xml"));
        final String jna = System.getProperty("ipc.itest.jna.version");
        copy(System.getProperty("ipc.itest.jar.jna"),
            repository.resolve("net/java/dev/jna/jna/" + jna + "/jna-" + jna + ".jar"));
        copy(System.getProperty("ipc.itest.jar.jna-platform"),
            repository.resolve("net/java/dev/jna/jna-platform/" + jna + "/jna-platform-" + jna + ".jar"));

        // Karaf's scr feature adds two helper bundles of Karaf's own, org.apache.karaf.scr.management (if the
        // management feature is installed) and org.apache.karaf.scr.state (if the bundle feature is: always), and
        // Karaf downloads the bundles of every conditional, active or not. The Maven repository reachable on these
        // machines does not serve either jar (their parent pom is missing), so empty bundles of those names stand
        // in: management is left out below, and the empty scr.state bundle only costs bundle:diag its DS details.
        // With Maven Central proper, delete these two stand-ins and the real bundles are used.
        for (final String helper : List.of("org.apache.karaf.scr.management", "org.apache.karaf.scr.state"))
        {
            final String karaf = System.getProperty("ipc.itest.karaf.version");
            final Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", helper);
            manifest.getMainAttributes().putValue("Bundle-Version", karaf);
            final Path standIn = repository.resolve("org/apache/karaf/scr/" + helper + "/" + karaf + "/" + helper + "-" +
                karaf + ".jar");
            Files.createDirectories(standIn.getParent());
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(standIn), manifest))
            {
                jar.flush();
            }
        }
    }

    private static void copy(final String from, final Path to) throws IOException
    {
        assertTrue(null != from && Files.isRegularFile(Path.of(from)), "not a file: " + from + " for " + to);
        Files.createDirectories(to.getParent());
        Files.copy(Path.of(from), to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path file : (Iterable<Path>)files.sorted(java.util.Comparator.reverseOrder())::iterator)
            {
                Files.delete(file);
            }
        }
    }

    /** The names of a process's threads, as the kernel knows them (at most 15 characters). */
    private static List<String> threads(final long pid)
    {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task")))
        {
            return tasks.map(t -> t.resolve("comm")).map(KarafFeatureTest::readQuietly).map(String::trim)
                .collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot list threads of pid=" + pid, ex);
        }
    }

    private static String maps(final long pid)
    {
        return readQuietly(Path.of("/proc/" + pid + "/maps"));
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static long count(final String text, final String lineRegex)
    {
        final Pattern pattern = Pattern.compile(lineRegex);
        return text.lines().map(String::trim).filter(l -> pattern.matcher(l).matches()).count();
    }

    /** A condition that must become false. */
    private interface Condition
    {
        boolean holds() throws Exception;
    }

    private static void awaitGone(final Condition condition, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (condition.holds())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("still there after feature:uninstall ipc: " + what);
            }
            Thread.sleep(100);
        }
    }
}
