package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import ipc.itest.client.EchoClient;

/**
 * Starts {@link EchoClient} in a second JVM on a plain class path: the jars that the bndrun names in its
 * -runproperties (the API, the shared transport, the host's backend, JNA), plus the client's classes copied out of
 * this bundle.
 */
final class ClientJvm
{
    private static final String CLIENT_PACKAGE = EchoClient.class.getPackageName().replace('.', '/');

    private ClientJvm()
    {
    }

    /**
     * Starts the client against a server name; its output goes to a log file.
     *
     * @param dir  a scratch folder for the client's classes.
     * @param name the server's name.
     * @param log  where the client's output goes.
     * @return the started process; the caller waits for it or destroys it.
     */
    static Process startEchoClient(final Path dir, final String name, final Path log) throws IOException
    {
        return new ProcessBuilder(javaExecutable(), "--enable-native-access=ALL-UNNAMED", "-cp", clientClassPath(dir),
            EchoClient.class.getName(), name)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    }

    /** The client's output so far, for assertion messages. */
    static String read(final Path log)
    {
        try
        {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).trim() : "(nothing)";
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }

    private static String javaExecutable()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The jars that itest.bndrun names in its -runproperties, plus a folder with the client's classes copied
     * out of this bundle (the child needs them on its class path, and this bundle is not a file we can name).
     */
    private static String clientClassPath(final Path dir) throws IOException
    {
        final List<String> path = new ArrayList<>();
        final List<String> modules = new ArrayList<>(List.of("ipc.api", "ipc.shared", TransportServiceTest.backend(),
            "jna"));
        if (null != Services.context().getProperty("ipc.itest.jar.jna-platform"))
        {
            // ipc.windows binds what jna-platform has.
            modules.add("jna-platform");
        }
        for (final String module : modules)
        {
            final String key = "ipc.itest.jar." + module;
            final String jar = Services.context().getProperty(key);
            assertTrue(null != jar && Files.isRegularFile(Path.of(jar)), key + " is not a jar: " + jar);
            path.add(jar);
        }

        final Path classes = dir.resolve("client-classes");
        final Bundle self = FrameworkUtil.getBundle(ClientJvm.class);
        final Enumeration<URL> entries = self.findEntries(CLIENT_PACKAGE, "*.class", false);
        assertTrue(null != entries && entries.hasMoreElements(), "no classes in " + CLIENT_PACKAGE);
        while (entries.hasMoreElements())
        {
            final URL entry = entries.nextElement();
            final Path target = classes.resolve(entry.getPath().substring(1));
            Files.createDirectories(target.getParent());
            try (InputStream in = entry.openStream())
            {
                Files.copy(in, target);
            }
        }
        path.add(classes.toString());
        return String.join(File.pathSeparator, path);
    }
}
