package ipc.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ipc.api.IdleStrategy;
import ipc.api.IpcOptions;

class ServerPropertiesTest
{
    @Test
    void shouldKeepTheDefaultsWhenNoOptionIsSet()
    {
        assertEquals(IpcOptions.defaults(), ServerProperties.options(Map.of(ServerProperties.NAME, "echo")));
    }

    @Test
    void shouldMapEveryOptionFromTheTypesServicePropertiesAndConfigurationsUse()
    {
        final IpcOptions options = ServerProperties.options(Map.of(
            ServerProperties.RING_CAPACITY, 8192L,
            ServerProperties.MAX_MESSAGE_SIZE, " 1024 ",
            ServerProperties.MAX_CONNECTIONS, (short)7,
            ServerProperties.IDLE_STRATEGY, "busy_spin",
            ServerProperties.ALLOW_PEER_UID, new long[] {1001L, 1002L}));
        assertEquals(8192, options.ringCapacity());
        assertEquals(1024, options.maxMessageSize());
        assertEquals(7, options.maxConnections());
        assertEquals(IdleStrategy.BUSY_SPIN, options.idleStrategy());
        assertEquals(Set.of(1001L, 1002L), options.allowedPeerUids());

        assertEquals(Set.of(5L), ServerProperties.options(Map.of(ServerProperties.ALLOW_PEER_UID, 5)).allowedPeerUids());
        assertEquals(Set.of(5L, 6L), ServerProperties.options(
            Map.of(ServerProperties.ALLOW_PEER_UID, List.of("5", 6L))).allowedPeerUids());
        assertEquals(Set.of(8L), ServerProperties.options(
            Map.of(ServerProperties.ALLOW_PEER_UID, new String[] {"8"})).allowedPeerUids());
    }

    @Test
    void shouldNameThePropertyAndTheValueOfABadOption()
    {
        assertBad(ServerProperties.RING_CAPACITY, 1000, "ipc.ringCapacity=1000");
        assertBad(ServerProperties.RING_CAPACITY, "big", "ipc.ringCapacity=\"big\"");
        assertBad(ServerProperties.RING_CAPACITY, 8192.0, "ipc.ringCapacity=8192.0");
        assertBad(ServerProperties.MAX_MESSAGE_SIZE, 1L << 40, "ipc.maxMessageSize=1099511627776");
        assertBad(ServerProperties.IDLE_STRATEGY, "NAP", "ipc.idleStrategy=\"NAP\"");
        assertBad(ServerProperties.ALLOW_PEER_UID, new long[] {1, -1}, "ipc.allowPeerUid=[1, -1]");
        assertBad(ServerProperties.MAX_CONNECTIONS, 0, "ipc.maxConnections=0");
    }

    @Test
    void shouldRequireANonEmptyStringName()
    {
        assertEquals("echo", ServerProperties.name(Map.of(ServerProperties.NAME, "echo")));
        for (final Map<String, ?> properties : List.of(Map.<String, Object>of(), Map.of(ServerProperties.NAME, ""),
            Map.of(ServerProperties.NAME, new String[] {"a", "b"})))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> ServerProperties.name(properties));
            assertTrue(ex.getMessage().startsWith("ipc.server.name must be a non-empty string: ipc.server.name="),
                ex.getMessage());
        }
    }

    @Test
    void shouldDescribeABoundServerInItsServiceProperties()
    {
        final IpcOptions options = IpcOptions.builder().ringCapacity(4096).allowPeerUid(7).allowPeerUid(3).build();
        final Map<String, Object> properties = ServerProperties.serverProperties("echo", "whiteboard", 12, options);
        assertEquals("echo", properties.get(ServerProperties.NAME));
        assertEquals("whiteboard", properties.get(ServerProperties.ORIGIN));
        assertEquals(12L, properties.get(ServerProperties.HANDLER_SERVICE_ID));
        assertEquals(4096, properties.get(ServerProperties.RING_CAPACITY));
        assertEquals("SPIN_THEN_PARK", properties.get(ServerProperties.IDLE_STRATEGY));
        assertEquals(List.of(3L, 7L), java.util.Arrays.stream((long[])properties.get(ServerProperties.ALLOW_PEER_UID))
            .boxed().collect(java.util.stream.Collectors.toList()));
    }

    private static void assertBad(final String key, final Object value, final String expected)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> ServerProperties.options(Map.of(key, value)), key + "=" + value);
        assertTrue(ex.getMessage().startsWith("bad server option: " + expected + " ("), ex.getMessage());
    }
}
