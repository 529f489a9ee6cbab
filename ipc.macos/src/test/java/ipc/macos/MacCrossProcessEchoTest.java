package ipc.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.jna.Native;

import ipc.api.IpcTransport;
import ipc.shared.transport.SharedTransport;

/**
 * The macOS backend end to end: a server process (dispatcher, kqueue, doorbells) echoes what a client process
 * sends, with each wait mechanism forced in turn in both processes. Needs a Mac (the CI workflow's macOS job); never
 * run on the Linux machines this was written on.
 */
@EnabledOnOs(OS.MAC)
class MacCrossProcessEchoTest
{
    @ParameterizedTest
    @ValueSource(strings = {"", "ulock", "socketpair"})
    @Timeout(120)
    void shouldEchoAcrossProcessesWithEachWaitMechanism(final String mechanism) throws Exception
    {
        // Under /tmp, not $TMPDIR (/var/folders/...), so that socket paths stay short.
        final Path directory = Files.createTempDirectory(Path.of("/tmp"), "ipct",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final String name = "echo-" + ProcessHandle.current().pid() + "-" + (mechanism.isEmpty() ? "best" : mechanism);
        final Process server = start(directory, mechanism, "server", name);
        try
        {
            final BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(),
                StandardCharsets.UTF_8));
            final String ready = serverOut.readLine();
            assertTrue(null != ready && ready.startsWith("READY"), "server said: " + ready);
            if (!mechanism.isEmpty())
            {
                assertTrue(ready.endsWith("waitMechanism=" + mechanism), ready);
            }
            final Process client = start(directory, mechanism, "client", name, "2000");
            final String clientOutput = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(60, TimeUnit.SECONDS), clientOutput);
            assertEquals(0, client.exitValue(), clientOutput);
            assertTrue(clientOutput.contains("OK count=2000"), clientOutput);
            server.getOutputStream().close();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, server.exitValue());
        }
        finally
        {
            server.destroyForcibly();
        }
    }

    private static Process start(final Path directory, final String mechanism, final String... arguments)
        throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-D" + SocketDirectory.PROPERTY + "=" + directory);
        if (!mechanism.isEmpty())
        {
            command.add("-Dipc.macos.wait=" + mechanism);
        }
        command.add("-cp");
        command.add(classPath());
        command.add(MacChildMain.class.getName());
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String classPath() throws Exception
    {
        final List<String> entries = new ArrayList<>();
        for (final Class<?> type : List.of(MacChildMain.class, MacTransport.class, SharedTransport.class,
            IpcTransport.class, Native.class))
        {
            final String entry = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            if (!entries.contains(entry))
            {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
