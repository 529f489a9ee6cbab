package ipc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpcOptionsTest
{
    @Test
    void shouldHaveTheDefaultsTheReadmeStates()
    {
        // The README's numbers, written out: a change of a constant must change the README too.
        final IpcOptions options = IpcOptions.defaults();
        assertEquals(65_536, options.ringCapacity(), "64 KiB ring per direction");
        assertEquals(4_194_304, options.maxMessageSize(), "4 MiB largest message");
        assertEquals(IdleStrategy.SPIN_THEN_PARK, options.idleStrategy());
        assertEquals(Duration.ofNanos(50_000), options.spinDuration(), "50 us spin");
        assertEquals(Duration.ofSeconds(30), options.sendTimeout());
        assertEquals(Duration.ofSeconds(5), options.connectTimeout());
        assertEquals(Set.of(), options.allowedPeerUids());
        assertEquals(4096, options.maxConnections());
        assertEquals(options, IpcOptions.builder().build());
    }

    @Test
    void shouldAcceptRingCapacitiesFrom4KiBTo512MiB()
    {
        assertEquals(4096, IpcOptions.builder().ringCapacity(4096).build().ringCapacity());
        assertEquals(536_870_912, IpcOptions.builder().ringCapacity(536_870_912).build().ringCapacity());
        assertThrows(IllegalArgumentException.class, () -> IpcOptions.builder().ringCapacity(2048));
        assertThrows(IllegalArgumentException.class, () -> IpcOptions.builder().ringCapacity(1_073_741_824));
    }

    @Test
    void shouldAcceptEveryLimitItselfAndRefuseOneBeyond()
    {
        // Each documented range, at both ends: the limit is accepted, one step beyond it is not.
        assertEquals(1, IpcOptions.builder().maxMessageSize(1).build().maxMessageSize());
        assertEquals(1 << 30, IpcOptions.builder().maxMessageSize(1 << 30).build().maxMessageSize());
        assertThrows(IllegalArgumentException.class, () -> IpcOptions.builder().maxMessageSize(0));
        assertThrows(IllegalArgumentException.class, () -> IpcOptions.builder().maxMessageSize((1 << 30) + 1));
        assertEquals(Set.of(0L, 4_294_967_295L),
            IpcOptions.builder().allowPeerUid(0).allowPeerUid(4_294_967_295L).build().allowedPeerUids());
        assertThrows(IllegalArgumentException.class, () -> IpcOptions.builder().allowPeerUid(4_294_967_296L));
        assertEquals(1, IpcOptions.builder().maxConnections(1).build().maxConnections());
        assertEquals(65_536, IpcOptions.builder().maxConnections(65_536).build().maxConnections());
        assertThrows(IllegalArgumentException.class, () -> IpcOptions.builder().maxConnections(65_537));
        assertEquals(Duration.ZERO, IpcOptions.builder().spinDuration(Duration.ZERO).build().spinDuration());
        assertEquals(Duration.ofSeconds(1),
            IpcOptions.builder().spinDuration(Duration.ofSeconds(1)).build().spinDuration());
        assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().spinDuration(Duration.ofSeconds(1).plusNanos(1)));
    }

    @Test
    void shouldCompareByValue()
    {
        final IpcOptions options = IpcOptions.builder().ringCapacity(8192).build();
        assertEquals(options, options);
        assertNotEquals(options, null);
        assertNotEquals(options, "options");
        assertNotEquals(options, IpcOptions.defaults());
        assertNotEquals(options.hashCode(), IpcOptions.defaults().hashCode());
    }

    @Test
    void shouldBuildAndCopyEveryValue()
    {
        final IpcOptions options = IpcOptions.builder()
            .ringCapacity(1 << 20)
            .maxMessageSize(123)
            .idleStrategy(IdleStrategy.BUSY_SPIN)
            .spinDuration(Duration.ofMillis(1))
            .sendTimeout(Duration.ofSeconds(2))
            .connectTimeout(Duration.ofSeconds(3))
            .allowPeerUid(1000)
            .allowPeerUid(1001)
            .maxConnections(7)
            .build();
        assertEquals(1 << 20, options.ringCapacity());
        assertEquals(123, options.maxMessageSize());
        assertEquals(IdleStrategy.BUSY_SPIN, options.idleStrategy());
        assertEquals(Duration.ofMillis(1), options.spinDuration());
        assertEquals(Duration.ofSeconds(2), options.sendTimeout());
        assertEquals(Duration.ofSeconds(3), options.connectTimeout());
        assertEquals(Set.of(1000L, 1001L), options.allowedPeerUids());
        assertEquals(7, options.maxConnections());
        assertEquals(options, options.toBuilder().build());
        assertEquals(options.hashCode(), options.toBuilder().build().hashCode());
        assertNotEquals(options, options.toBuilder().maxConnections(8).build());
        assertTrue(options.toString().contains("allowedPeerUids=[1000, 1001]"), options.toString());
        assertThrows(UnsupportedOperationException.class, () -> options.allowedPeerUids().add(5L));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4097, 6000, 1 << 30, -4096, Integer.MIN_VALUE})
    void shouldRejectRingCapacitiesThatAreNotPowersOfTwoInRange(final int capacity)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().ringCapacity(capacity));
        assertTrue(ex.getMessage().contains("ringCapacity=" + capacity), ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, (1 << 30) + 1, Integer.MAX_VALUE})
    void shouldRejectMaxMessageSizesOutOfRange(final int size)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().maxMessageSize(size));
        assertTrue(ex.getMessage().contains("maxMessageSize=" + size), ex.getMessage());
    }

    @Test
    void shouldRejectBadDurationsNamingThem()
    {
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().spinDuration(Duration.ofSeconds(2))).getMessage().contains("spinDuration=PT2S"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().spinDuration(Duration.ofNanos(-1))).getMessage().contains("spinDuration"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().sendTimeout(Duration.ZERO)).getMessage().contains("sendTimeout=PT0S"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().connectTimeout(Duration.ofSeconds(-1))).getMessage().contains("connectTimeout"));
        assertThrows(NullPointerException.class, () -> IpcOptions.builder().sendTimeout(null));
        assertThrows(NullPointerException.class, () -> IpcOptions.builder().idleStrategy(null));
    }

    @Test
    void shouldRejectBadUidsAndConnectionLimits()
    {
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().allowPeerUid(-1)).getMessage().contains("uid=-1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().allowPeerUid(1L << 32)).getMessage().contains("uid=4294967296"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> IpcOptions.builder().maxConnections(0)).getMessage().contains("maxConnections=0"));
    }
}
