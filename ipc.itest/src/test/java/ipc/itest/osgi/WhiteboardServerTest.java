package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

import ipc.api.IpcChannel;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;
import ipc.itest.client.Payloads;

/**
 * ipc.osgi's whiteboard: an {@link IpcHandler} service with an {@code ipc.server.name} property is served under that
 * name, with the options in its properties, until it is unregistered; of several handlers for one name the
 * highest-ranked one is served, the conflict is logged, and the next one takes over when it goes.
 */
class WhiteboardServerTest
{
    private ServiceTracker<IpcTransport, IpcTransport> tracker;
    private IpcTransport transport;

    @BeforeEach
    void lookUpTransport() throws Exception
    {
        tracker = Services.awaitTracker(IpcTransport.class);
        transport = tracker.getService();
    }

    @AfterEach
    void closeTracker()
    {
        tracker.close();
    }

    @Test
    void shouldServeARegisteredHandlerWithItsOptionsAndCloseTheServerWhenItIsUnregistered() throws Exception
    {
        final String name = IpcServers.uniqueName("wb-echo");
        final ServiceRegistration<IpcHandler> registration = IpcServers.register(TestHandlers.echo(),
            IpcServers.NAME, name, "ipc.maxMessageSize", 4096, "ipc.ringCapacity", "8192", "ipc.idleStrategy", "park");
        try
        {
            final ServiceReference<IpcServer> server = IpcServers.awaitServer(name, IpcServers.serviceId(registration));
            assertEquals("whiteboard", server.getProperty("ipc.server.origin"), "ipc.server.origin");
            assertEquals(8192, server.getProperty("ipc.ringCapacity"), "ipc.ringCapacity");
            assertEquals("PARK", server.getProperty("ipc.idleStrategy"), "ipc.idleStrategy");

            final IpcChannel channel = IpcServers.connect(transport, name);
            try
            {
                assertEquals(4096, channel.maxMessageSize(), "maxMessageSize agreed in the handshake");
                final byte[] message = "hello whiteboard".getBytes(StandardCharsets.UTF_8);
                channel.send(message);
                assertArrayEquals(message, channel.receive(IpcServers.TIMEOUT), "echo");

                registration.unregister();
                IpcServers.awaitNoServer(name);
                // The server closed its connections: this one sees its peer gone.
                final long deadline = System.nanoTime() + IpcServers.TIMEOUT.toNanos();
                while (channel.isOpen() && System.nanoTime() - deadline < 0)
                {
                    Thread.sleep(10);
                }
                assertTrue(!channel.isOpen(), "the connection is still open after the handler was unregistered");
            }
            finally
            {
                channel.close();
            }
            IpcServers.assertNoServerAnswers(transport, name);
        }
        finally
        {
            unregisterQuietly(registration);
        }
    }

    @Test
    void shouldServeAComponentOfAnotherBundleUntilThatBundleStops() throws Exception
    {
        final String name = IpcServers.uniqueName("wb-bundle");
        final Bundle bundle = HandlerBundle.install(name);
        try
        {
            bundle.start();
            IpcServers.awaitServer(name, -1);
            final byte[] message = "hello bundle".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(message, IpcServers.roundTrip(transport, name, message), "echo");

            bundle.stop();
            IpcServers.awaitNoServer(name);
            IpcServers.assertNoServerAnswers(transport, name);

            bundle.start();
            IpcServers.awaitServer(name, -1);
            assertArrayEquals(message, IpcServers.roundTrip(transport, name, message), "echo after a restart");
        }
        finally
        {
            bundle.uninstall();
        }
        IpcServers.awaitNoServer(name);
    }

    @Test
    void shouldCloseEveryServerWhenIpcOsgiStopsAndBindThemAgainWhenItStarts() throws Exception
    {
        final String name = IpcServers.uniqueName("wb-restart");
        final ServiceRegistration<IpcHandler> registration = IpcServers.register(TestHandlers.echo(),
            IpcServers.NAME, name);
        final Bundle ipcOsgi = Services.bundle("ipc.osgi").orElseThrow(() -> new AssertionError("no ipc.osgi"));
        try
        {
            IpcServers.awaitServer(name, IpcServers.serviceId(registration));
            ipcOsgi.stop();
            IpcServers.awaitNoServer(name);
            IpcServers.assertNoServerAnswers(transport, name);
        }
        finally
        {
            ipcOsgi.start();
        }
        try
        {
            IpcServers.awaitServer(name, IpcServers.serviceId(registration));
            final byte[] message = {42};
            assertArrayEquals(message, IpcServers.roundTrip(transport, name, message), "echo after the restart");
        }
        finally
        {
            registration.unregister();
        }
    }

    @Test
    void shouldAnswerAClientInASecondJvm(@TempDir final Path dir) throws Exception
    {
        final String name = IpcServers.uniqueName("wb-jvm");
        final ServiceRegistration<IpcHandler> registration = IpcServers.register(TestHandlers.echo(),
            IpcServers.NAME, name);
        final Path log = dir.resolve("client.log");
        Process client = null;
        try
        {
            IpcServers.awaitServer(name, IpcServers.serviceId(registration));
            client = ClientJvm.startEchoClient(dir, name, log);
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "client still running; it said: " + ClientJvm.read(log));
            assertEquals(0, client.exitValue(), "client exit code; it said: " + ClientJvm.read(log));
            assertTrue(ClientJvm.read(log).contains("echoed " + Payloads.COUNT + " messages"),
                "client said: " + ClientJvm.read(log));
        }
        finally
        {
            if (null != client)
            {
                client.destroyForcibly();
            }
            unregisterQuietly(registration);
        }
    }

    @Test
    void shouldServeTheHighestRankedHandlerLogTheConflictAndFallBackWhenTheWinnerGoes() throws Exception
    {
        final String name = IpcServers.uniqueName("wb-rank");
        final byte[] ping = {1};
        try (LogCapture log = LogCapture.ofIpcOsgi())
        {
            final ServiceRegistration<IpcHandler> low = IpcServers.register(TestHandlers.answering("low"),
                IpcServers.NAME, name, "service.ranking", 1);
            ServiceRegistration<IpcHandler> high = null;
            try
            {
                IpcServers.awaitServer(name, IpcServers.serviceId(low));
                assertEquals("low", answer(name, ping), "the only handler");

                high = IpcServers.register(TestHandlers.answering("high"), IpcServers.NAME, name,
                    "service.ranking", 10);
                IpcServers.awaitServer(name, IpcServers.serviceId(high));
                assertEquals(1, IpcServers.serverCount(name), "servers registered for " + name);
                assertEquals("high", answer(name, ping), "the higher-ranked handler");
                final String conflict = log.await(l -> l.contains("conflict") && l.contains(name),
                    IpcServers.TIMEOUT);
                assertTrue(conflict.startsWith("WARNING") && conflict.contains("service.id=" +
                    IpcServers.serviceId(high)) && conflict.contains("service.id=" + IpcServers.serviceId(low)),
                    "conflict line names both handlers: " + conflict);

                // A third, lower-ranked one changes nothing but is logged too.
                final ServiceRegistration<IpcHandler> lowest = IpcServers.register(TestHandlers.answering("lowest"),
                    IpcServers.NAME, name, "service.ranking", -5);
                try
                {
                    assertEquals("high", answer(name, ping), "still the highest-ranked handler");
                }
                finally
                {
                    lowest.unregister();
                }

                high.unregister();
                high = null;
                IpcServers.awaitServer(name, IpcServers.serviceId(low));
                assertEquals("low", answer(name, ping), "the next handler took over");
            }
            finally
            {
                unregisterQuietly(high);
                unregisterQuietly(low);
            }
            IpcServers.awaitNoServer(name);
            IpcServers.assertNoServerAnswers(transport, name);
        }
    }

    /**
     * A handler whose name is held by another server when it registers (a server closing, another origin's, another
     * process's) is served once the name is free. Before, the failed bind was logged and never tried again.
     */
    @Test
    void shouldServeAHandlerWhoseNameWasTakenOnceTheNameIsFree() throws Exception
    {
        final String name = IpcServers.uniqueName("wb-taken");
        ServiceRegistration<IpcHandler> registration = null;
        try
        {
            try (LogCapture log = LogCapture.ofIpcOsgi();
                 IpcServer holder = transport.bind(name, IpcOptions.defaults()))
            {
                registration = IpcServers.register(TestHandlers.answering("late"), IpcServers.NAME, name);
                final String refused = log.await(l -> l.contains("no server") && l.contains(name), IpcServers.TIMEOUT);
                assertTrue(refused.startsWith("SEVERE"), "an error line: " + refused);
            }
            IpcServers.awaitServer(name, IpcServers.serviceId(registration));
            assertEquals("late", answer(name, new byte[] {1}), "the handler took the freed name");
        }
        finally
        {
            unregisterQuietly(registration);
        }
        IpcServers.awaitNoServer(name);
    }

    @Test
    void shouldRefuseABadOptionWithOneLogLineAndNoServer() throws Exception
    {
        final String name = IpcServers.uniqueName("wb-bad");
        try (LogCapture log = LogCapture.ofIpcOsgi())
        {
            final ServiceRegistration<IpcHandler> registration = IpcServers.register(TestHandlers.echo(),
                IpcServers.NAME, name, "ipc.ringCapacity", 1000);
            try
            {
                final String line = log.await(l -> l.contains(name), IpcServers.TIMEOUT);
                assertTrue(line.startsWith("SEVERE") && line.contains("ipc.ringCapacity=1000"),
                    "the log line names the property and the value: " + line);
                assertEquals(1, log.matching(l -> l.contains(name)).size(), "log lines about " + name);
                assertEquals(0, IpcServers.serverCount(name), "servers registered for " + name);
                IpcServers.assertNoServerAnswers(transport, name);
            }
            finally
            {
                registration.unregister();
            }
        }
    }

    private String answer(final String name, final byte[] message) throws Exception
    {
        return new String(IpcServers.roundTrip(transport, name, message), StandardCharsets.UTF_8);
    }

    private static void unregisterQuietly(final ServiceRegistration<?> registration)
    {
        if (null != registration)
        {
            try
            {
                registration.unregister();
            }
            catch (final IllegalStateException alreadyUnregistered)
            {
                // Done by the test itself.
            }
        }
    }
}
