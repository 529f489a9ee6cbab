package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTimeoutException;
import ipc.api.IpcTransport;
import ipc.itest.client.EchoClient;
import ipc.itest.client.Payloads;

/**
 * The transport, looked up as a service by this (another) bundle, talks to a second JVM that runs the same
 * backend on a plain class path: this side binds and echoes, {@link EchoClient} connects, sends and checks.
 */
class CrossProcessEchoTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Duration ACCEPT_POLL = Duration.ofMillis(200);
    private static final String CLIENT_PACKAGE = EchoClient.class.getPackageName().replace('.', '/');

    @Test
    void shouldEchoMessagesOfAClientInASecondJvm(@TempDir final Path dir) throws Exception
    {
        final ServiceTracker<IpcTransport, IpcTransport> tracker = Services.awaitTracker(IpcTransport.class);
        Process client = null;
        final Path log = dir.resolve("client.log");
        try
        {
            final IpcTransport transport = tracker.getService();
            final IpcOptions options = IpcOptions.builder().connectTimeout(TIMEOUT).sendTimeout(TIMEOUT).build();
            final String name = "itest-" + ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime(), 36);
            try (IpcServer server = transport.bind(name, options))
            {
                client = new ProcessBuilder(javaExecutable(), "-cp", clientClassPath(dir),
                    EchoClient.class.getName(), name)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();

                try (IpcChannel channel = accept(server, client))
                {
                    for (int index = 0; index < Payloads.COUNT; index++)
                    {
                        final byte[] message = channel.receive(TIMEOUT);
                        assertArrayEquals(Payloads.message(index), message, "message " + index);
                        channel.send(message);
                    }
                }
                catch (final Exception | AssertionError ex)
                {
                    throw new AssertionError("server side failed: " + ex + "; client said: " + read(log), ex);
                }

                assertTrue(client.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "client still running after " + TIMEOUT + "; it said: " + read(log));
                final String output = read(log);
                assertEquals(0, client.exitValue(), "client exit code; it said: " + output);
                assertTrue(output.contains("echoed " + Payloads.COUNT + " messages"), "client said: " + output);
            }
        }
        finally
        {
            if (null != client)
            {
                client.destroyForcibly();
                client.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            tracker.close();
        }
    }

    /** Accepts the client's connection, giving up early if the client process ends without connecting. */
    private static IpcChannel accept(final IpcServer server, final Process client) throws IpcException
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true)
        {
            try
            {
                return server.accept(ACCEPT_POLL);
            }
            catch (final IpcTimeoutException ex)
            {
                if (!client.isAlive())
                {
                    throw new IllegalStateException("client exited with " + client.exitValue() + " before connecting");
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw ex;
                }
            }
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
        for (final String module : List.of("ipc.api", "ipc.shared", "ipc.linux", "jna"))
        {
            final String key = "ipc.itest.jar." + module;
            final String jar = Services.context().getProperty(key);
            assertTrue(null != jar && Files.isRegularFile(Path.of(jar)), key + " is not a jar: " + jar);
            path.add(jar);
        }

        final Path classes = dir.resolve("client-classes");
        final Bundle self = FrameworkUtil.getBundle(CrossProcessEchoTest.class);
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

    private static String read(final Path log)
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
}
