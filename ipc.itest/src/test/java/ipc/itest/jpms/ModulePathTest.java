package ipc.itest.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcPlatform;

/**
 * The jars as JPMS modules: a consumer module that requires only {@code ipc.api} is compiled against the API
 * jar and started in a second JVM with every module jar on the module path, where it finds the host's backend and
 * does a round trip through it: on Linux here, on macOS and Windows in the hosted CI jobs.
 *
 * <p>Run by surefire (never inside OSGi); the jar paths come from the pom (dependency:properties).
 */
class ModulePathTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CONSUMER = "ipc.itest.jpms.consumer";
    private static final String MAIN = CONSUMER + "/" + CONSUMER + ".ModulePathRoundTrip";
    private static final List<String> BACKENDS = List.of("ipc.linux", "ipc.macos", "ipc.windows");
    /** The backend module of the host's OS, named after its platform. */
    private static final String HOST_BACKEND = hostBackend();
    private static final List<String> MODULES =
        List.of("ipc.api", "ipc.shared", "ipc.linux", "ipc.macos", "ipc.windows", "jna", "jna-platform");

    private static Path consumerClasses;

    @BeforeAll
    static void compileConsumerModule() throws IOException
    {
        final Path sources = Path.of(property("ipc.itest.jpms.sources")).resolve(CONSUMER);
        consumerClasses = Path.of(property("ipc.itest.jpms.work")).resolve(CONSUMER);
        final List<String> args = new ArrayList<>(List.of("--release", "17", "-Xlint:all,-path", "-Werror",
            "-d", consumerClasses.toString(), "--module-path", jar("ipc.api")));
        try (Stream<Path> files = Files.walk(sources))
        {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().forEach(args::add);
        }

        // In this JVM javac also sees surefire's class path, whose missing target/classes is not our concern: -path.
        final ToolProvider javac = ToolProvider.findFirst("javac")
            .orElseThrow(() -> new AssertionError("no javac in " + System.getProperty("java.home")));
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8))
        {
            final int exit = javac.run(out, out, args.toArray(new String[0]));
            assertEquals(0, exit, "javac " + args + ":\n" + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** What the module graph needs is there on every OS: the qualified exports, JNA, jna-platform. */
    @Test
    void shouldResolveTheModuleGraphWithEveryBackend() throws Exception
    {
        final Result result = java("--dry-run", "--add-modules", "ALL-MODULE-PATH", "-m", MAIN);
        assertEquals(0, result.exit, "java --dry-run said:\n" + result.output);
    }

    @Test
    @EnabledOnOs(value = {OS.LINUX, OS.MAC, OS.WINDOWS}, disabledReason = "no backend for this OS")
    void shouldPickTheHostsBackendAmongAllAndRoundTrip() throws Exception
    {
        // ALL-MODULE-PATH puts the other OSes' backends in the boot layer too, not only the providers.
        final List<String> args = new ArrayList<>(List.of("--add-modules", "ALL-MODULE-PATH", "-m", MAIN,
            HOST_BACKEND));
        BACKENDS.stream().filter(backend -> !backend.equals(HOST_BACKEND)).forEach(args::add);
        final Result result = java(args.toArray(new String[0]));
        assertEquals(0, result.exit, "consumer said:\n" + result.output);
        assertTrue(result.output.contains("module path round trip ok"), "consumer said:\n" + result.output);
    }

    @Test
    @EnabledOnOs(value = {OS.LINUX, OS.MAC, OS.WINDOWS}, disabledReason = "no backend for this OS")
    void shouldFindTheHostsBackendThroughServiceBindingAlone() throws Exception
    {
        // No --add-modules: the consumer requires only ipc.api; the host's backend joins the graph because it
        // provides the service ipc.api uses (and ipc.windows brings com.sun.jna.platform, which it requires).
        final Result result = java("-m", MAIN, HOST_BACKEND);
        assertEquals(0, result.exit, "consumer said:\n" + result.output);
        assertTrue(result.output.contains("module path round trip ok"), "consumer said:\n" + result.output);
    }

    private static Result java(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // On the module path JNA is the automatic module com.sun.jna: native access for it (JDK 24+ warns without).
        command.add("--enable-native-access=com.sun.jna");
        command.add("--module-path");
        final List<String> path = new ArrayList<>(List.of(consumerClasses.toString()));
        for (final String module : MODULES)
        {
            path.add(jar(module));
        }
        command.add(String.join(File.pathSeparator, path));
        command.addAll(List.of(args));

        final Path log = Files.createTempFile(consumerClasses.getParent(), "java-", ".log");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try
        {
            assertTrue(process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                "still running after " + TIMEOUT + ": " + command);
            final String output = Files.readString(log, StandardCharsets.UTF_8);
            return new Result(process.exitValue(), command.stream().collect(Collectors.joining(" ")) + "\n" + output);
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    private static String hostBackend()
    {
        final IpcPlatform host = IpcPlatform.fromOsName(System.getProperty("os.name", ""));
        return null == host ? "none" : "ipc." + host.name().toLowerCase(Locale.ROOT);
    }

    private static String jar(final String module)
    {
        final String jar = property("ipc.itest.jar." + module);
        assertTrue(jar.endsWith(".jar") && Files.isRegularFile(Path.of(jar)), "not a jar: " + module + "=" + jar);
        return jar;
    }

    private static String property(final String key)
    {
        final String value = System.getProperty(key);
        assertTrue(null != value && !value.isEmpty() && !value.startsWith("${"), "system property " + key + "=" + value);
        return value;
    }

    private record Result(int exit, String output)
    {
    }
}
