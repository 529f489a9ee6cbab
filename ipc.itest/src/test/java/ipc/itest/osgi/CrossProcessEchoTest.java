package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
                client = ClientJvm.startEchoClient(dir, name, log);

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
                    throw new AssertionError("server side failed: " + ex + "; client said: " + ClientJvm.read(log), ex);
                }

                assertTrue(client.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "client still running after " + TIMEOUT + "; it said: " + ClientJvm.read(log));
                final String output = ClientJvm.read(log);
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
}
