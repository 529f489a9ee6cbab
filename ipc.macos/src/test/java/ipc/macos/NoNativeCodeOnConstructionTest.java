package ipc.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.sun.jna.Native;

import ipc.api.IpcPlatform;
import ipc.api.IpcTransport;
import ipc.shared.transport.SharedTransport;

/**
 * Constructing the macOS transport, asking its platform, and finding it through {@link ServiceLoader} and
 * {@link IpcTransport#forHost()} must not initialize any class that loads native code: not JNA's {@link Native},
 * not the bindings, not their wrappers. Checked in a second JVM with {@code -Xlog:class+init}, which names every
 * class as it is initialized. Runs on every OS.
 */
class NoNativeCodeOnConstructionTest
{
    /** The second JVM's work. */
    public static final class Probe
    {
        private Probe()
        {
        }

        public static void main(final String[] args)
        {
            final MacTransport transport = new MacTransport();
            System.out.println("PLATFORM " + transport.platform() + " " + transport);
            for (final ServiceLoader.Provider<IpcTransport> provider : ServiceLoader.load(IpcTransport.class)
                .stream().toList())
            {
                System.out.println("PROVIDER " + provider.type().getName());
            }
            try
            {
                System.out.println("HOST " + IpcTransport.forHost());
            }
            catch (final Exception ex)
            {
                System.out.println("HOST none: " + ex.getClass().getSimpleName());
            }
            transport.deactivate();
            System.out.println("PROBE DONE");
        }
    }

    @Test
    void shouldLoadNoNativeCodeWhenConstructedOrLookedUp() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xlog:class+init=info:stdout");
        command.add("-cp");
        command.add(classPath());
        command.add(Probe.class.getName());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("PROBE DONE"), output);
        assertTrue(output.contains("PLATFORM " + IpcPlatform.MACOS), output);
        assertTrue(output.contains("PROVIDER " + MacTransport.class.getName()), output);
        assertTrue(output.contains("Initializing 'ipc/macos/MacTransport'"), "the log names initialized classes:\n" +
            output);
        for (final String line : output.split("\n"))
        {
            if (line.contains("Initializing '"))
            {
                assertFalse(line.contains("'com/sun/jna/"), "JNA initialized: " + line);
                assertFalse(line.contains("'ipc/macos/jna/"), "a binding initialized: " + line);
                assertFalse(line.contains("'ipc/macos/os/"), "a native wrapper initialized: " + line);
            }
        }
    }

    private static String classPath() throws Exception
    {
        final List<String> entries = new ArrayList<>();
        for (final Class<?> type : List.of(NoNativeCodeOnConstructionTest.class, MacTransport.class,
            SharedTransport.class, IpcTransport.class, Native.class))
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
