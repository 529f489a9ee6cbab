package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

import ipc.api.IpcChannel;
import ipc.api.IpcHandler;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;

/**
 * ipc.osgi's configured servers: a factory configuration {@code ipc.server} binds a server of its name and options,
 * serving the handler its {@code handler.target} filter chooses, until the configuration is deleted; a bad value
 * gives one log line and no server; Metatype describes the factory PID.
 */
class ConfiguredServerTest
{
    private static final String FACTORY_PID = "ipc.server";

    private ServiceTracker<IpcTransport, IpcTransport> transports;
    private ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> configurationAdmins;

    @BeforeEach
    void lookUpServices() throws Exception
    {
        transports = Services.awaitTracker(IpcTransport.class);
        configurationAdmins = Services.awaitTracker(ConfigurationAdmin.class);
    }

    @AfterEach
    void closeTrackers()
    {
        transports.close();
        configurationAdmins.close();
    }

    @Test
    void shouldBindAServerForAFactoryConfigurationAndCloseItWhenTheConfigurationIsDeleted() throws Exception
    {
        final IpcTransport transport = transports.getService();
        final String name = IpcServers.uniqueName("cfg-echo");
        final ServiceRegistration<IpcHandler> handler = IpcServers.register(TestHandlers.echo(), "itest.handler", name);
        final Configuration configuration = configurationAdmins.getService().createFactoryConfiguration(FACTORY_PID, "?");
        try
        {
            configuration.update(properties(
                IpcServers.NAME, name,
                "handler.target", "(itest.handler=" + name + ")",
                "ipc.maxMessageSize", 2048,
                "ipc.allowPeerUid", new long[] {4242L, 4343L}));

            final ServiceReference<IpcServer> server = IpcServers.awaitServer(name, IpcServers.serviceId(handler));
            assertEquals("configuration " + configuration.getPid(), server.getProperty("ipc.server.origin"),
                "ipc.server.origin");
            assertArrayEquals(new long[] {4242L, 4343L}, (long[])server.getProperty("ipc.allowPeerUid"),
                "ipc.allowPeerUid");
            try (IpcChannel channel = IpcServers.connect(transport, name))
            {
                assertEquals(2048, channel.maxMessageSize(), "maxMessageSize agreed in the handshake");
                final byte[] message = "hello configuration".getBytes(StandardCharsets.UTF_8);
                channel.send(message);
                assertArrayEquals(message, channel.receive(IpcServers.TIMEOUT), "echo");
            }

            configuration.delete();
            IpcServers.awaitNoServer(name);
            IpcServers.assertNoServerAnswers(transport, name);
        }
        finally
        {
            deleteQuietly(configuration);
            handler.unregister();
        }
    }

    @Test
    void shouldRefuseABadConfigurationWithOneLogLineAndNoServer() throws Exception
    {
        final IpcTransport transport = transports.getService();
        final String name = IpcServers.uniqueName("cfg-bad");
        final ServiceRegistration<IpcHandler> handler = IpcServers.register(TestHandlers.echo(), "itest.handler", name);
        try (LogCapture log = LogCapture.ofIpcOsgi())
        {
            final Configuration configuration =
                configurationAdmins.getService().createFactoryConfiguration(FACTORY_PID, "?");
            try
            {
                configuration.update(properties(
                    IpcServers.NAME, name,
                    "handler.target", "(itest.handler=" + name + ")",
                    "ipc.idleStrategy", "NAP"));

                final String line = log.await(l -> l.contains(configuration.getPid()), IpcServers.TIMEOUT);
                assertTrue(line.startsWith("SEVERE") && line.contains("ipc.idleStrategy=\"NAP\""),
                    "the log line names the property and the value: " + line);
                // The handler is registered and matches: were the component to bind anyway, it would be now.
                Thread.sleep(200);
                assertEquals(1, log.matching(l -> l.contains(configuration.getPid())).size(),
                    "log lines about " + configuration.getPid());
                assertEquals(0, IpcServers.serverCount(name), "servers registered for " + name);
                IpcServers.assertNoServerAnswers(transport, name);
            }
            finally
            {
                deleteQuietly(configuration);
            }
        }
        finally
        {
            handler.unregister();
        }
    }

    @Test
    void shouldRefuseAConfigurationWithoutAHandlerFilter() throws Exception
    {
        final String name = IpcServers.uniqueName("cfg-nofilter");
        final ServiceRegistration<IpcHandler> handler = IpcServers.register(TestHandlers.echo(), "itest.handler", name);
        try (LogCapture log = LogCapture.ofIpcOsgi())
        {
            final Configuration configuration =
                configurationAdmins.getService().createFactoryConfiguration(FACTORY_PID, "?");
            try
            {
                configuration.update(properties(IpcServers.NAME, name));
                final String line = log.await(l -> l.contains(configuration.getPid()), IpcServers.TIMEOUT);
                assertTrue(line.contains("handler.target"), "the log line names the missing property: " + line);
                assertEquals(0, IpcServers.serverCount(name), "servers registered for " + name);
            }
            finally
            {
                deleteQuietly(configuration);
            }
        }
        finally
        {
            handler.unregister();
        }
    }

    @Test
    void shouldDescribeTheFactoryPidWithMetatype() throws Exception
    {
        final ServiceTracker<MetaTypeService, MetaTypeService> metatype = Services.awaitTracker(MetaTypeService.class);
        try
        {
            final Bundle bundle = Services.bundle("ipc.osgi").orElseThrow(() -> new AssertionError("no ipc.osgi"));
            final MetaTypeInformation information = metatype.getService().getMetaTypeInformation(bundle);
            assertNotNull(information, "metatype information of ipc.osgi");
            assertTrue(Arrays.asList(information.getFactoryPids()).contains(FACTORY_PID),
                "factory PIDs: " + Arrays.toString(information.getFactoryPids()));
            final ObjectClassDefinition definition = information.getObjectClassDefinition(FACTORY_PID, null);
            final Set<String> ids = Arrays.stream(definition.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .map(AttributeDefinition::getID).collect(Collectors.toSet());
            assertEquals(Set.of("ipc.server.name", "handler.target", "ipc.ringCapacity", "ipc.maxMessageSize",
                "ipc.idleStrategy", "ipc.allowPeerUid", "ipc.maxConnections"), ids, "attributes");
            final Set<String> required = Arrays.stream(definition.getAttributeDefinitions(ObjectClassDefinition.REQUIRED))
                .map(AttributeDefinition::getID).collect(Collectors.toSet());
            assertEquals(Set.of("ipc.server.name", "handler.target"), required, "required attributes");
        }
        finally
        {
            metatype.close();
        }
    }

    private static Dictionary<String, Object> properties(final Object... keysAndValues)
    {
        final Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            properties.put((String)keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    private static void deleteQuietly(final Configuration configuration)
    {
        try
        {
            configuration.delete();
        }
        catch (final IllegalStateException | java.io.IOException alreadyDeleted)
        {
            // Done by the test itself.
        }
    }
}
