package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport loads its native bindings when it is created: a JVM where JNA cannot load its native library is told
 * so by {@code IpcTransport.forHost()}, with the reason, instead of getting a transport whose first bind or connect
 * throws an {@link Error}. Each case runs in a JVM of its own, since a JVM loads JNA once.
 */
class NativeLoadTest
{
    @Test
    void shouldCreateTheTransportWhereTheNativeBindingsLoad() throws Exception
    {
        final String printed = runChild(List.of());
        assertEquals("CREATED " + LinuxTransport.class.getName(), printed);
    }

    @Test
    void shouldRefuseInTheLookupWhereTheNativeBindingsCannotLoad(@TempDir final Path empty) throws Exception
    {
        // No system copy, no unpacking from the jar, and an empty boot path: JNA finds no native library to load.
        final String printed = runChild(List.of("-Djna.nosys=true", "-Djna.nounpack=true",
            "-Djna.boot.library.path=" + empty));
        assertTrue(printed.startsWith("REFUSED cannot load the IPC transport for host=LINUX"), printed);
        assertTrue(printed.contains("jnidispatch") || printed.contains("JNA native support"), printed);
    }

    private static String runChild(final List<String> options) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx64m");
        command.add("-XX:+UseSerialGC");
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NativeLoadChild.class.getName());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] output = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not exit");
        final String printed = new String(output, StandardCharsets.UTF_8).trim();
        assertEquals(0, child.exitValue(), printed);
        final String[] lines = printed.split("\n");
        return lines[lines.length - 1];
    }
}
