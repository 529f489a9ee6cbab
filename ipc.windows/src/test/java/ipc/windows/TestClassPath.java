package ipc.windows;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Kernel32;

import ipc.api.IpcTransport;
import ipc.shared.transport.SharedTransport;

/** The class path a child JVM of this module's tests needs: the tests, the backend, the shared transport, the API, JNA. */
final class TestClassPath
{
    private TestClassPath()
    {
    }

    /**
     * The jars or class directories, each once.
     *
     * @return the entries, in class path order.
     * @throws URISyntaxException if a code source is not a file URI (never for a local build).
     */
    static List<Path> entries() throws URISyntaxException
    {
        final Set<Path> entries = new LinkedHashSet<>();
        for (final Class<?> type : List.of(TestClassPath.class, WindowsTransport.class, SharedTransport.class,
            IpcTransport.class, Native.class, Kernel32.class))
        {
            entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return new ArrayList<>(entries);
    }
}
