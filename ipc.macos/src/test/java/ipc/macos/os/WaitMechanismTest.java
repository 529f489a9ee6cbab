package ipc.macos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/** The choice of the wait mechanism, with the symbol lookups faked: runs anywhere, loads nothing. */
class WaitMechanismTest
{
    private static final Set<String> SONOMA_14_4 = Set.of("os_sync_wait_on_address_with_timeout",
        "os_sync_wake_by_address_any", "__ulock_wait2", "__ulock_wake");
    private static final Set<String> BIG_SUR = Set.of("__ulock_wait2", "__ulock_wake");

    private static Predicate<String> exports(final Set<String> symbols)
    {
        return symbols::contains;
    }

    @Test
    void shouldPreferThePublicOsSyncApiWhenBothOfItsFunctionsExist()
    {
        assertEquals(WaitMechanism.OS_SYNC, WaitMechanism.select(exports(SONOMA_14_4), null));
        assertEquals(WaitMechanism.OS_SYNC, WaitMechanism.select(exports(SONOMA_14_4), ""));
    }

    @Test
    void shouldFallBackToTheSharedUlockBeforeMacOs14Point4()
    {
        assertEquals(WaitMechanism.ULOCK, WaitMechanism.select(exports(BIG_SUR), null));
    }

    @Test
    void shouldNotUseHalfOfAnApi()
    {
        // A wait without its wake (or the reverse) is useless: fall through to the next mechanism.
        assertEquals(WaitMechanism.ULOCK, WaitMechanism.select(exports(Set.of("os_sync_wait_on_address_with_timeout",
            "__ulock_wait2", "__ulock_wake")), null));
        assertEquals(WaitMechanism.SOCKETPAIR, WaitMechanism.select(exports(Set.of("__ulock_wait2")), null));
    }

    @Test
    void shouldUseSocketPairsWhenNothingIsExported()
    {
        assertEquals(WaitMechanism.SOCKETPAIR, WaitMechanism.select(exports(Set.of()), null));
        assertFalse(WaitMechanism.SOCKETPAIR.waitsOnAddress());
        assertTrue(WaitMechanism.OS_SYNC.waitsOnAddress());
        assertTrue(WaitMechanism.ULOCK.waitsOnAddress());
    }

    @Test
    void shouldHonourAForcedMechanismTheSystemHas()
    {
        assertEquals(WaitMechanism.ULOCK, WaitMechanism.select(exports(SONOMA_14_4), "ulock"));
        assertEquals(WaitMechanism.SOCKETPAIR, WaitMechanism.select(exports(SONOMA_14_4), "socketpair"));
        assertEquals(WaitMechanism.OS_SYNC, WaitMechanism.select(exports(SONOMA_14_4), " OS_SYNC "));
        assertEquals(WaitMechanism.SOCKETPAIR, WaitMechanism.select(exports(Set.of()), "socketpair"));
    }

    @Test
    void shouldRefuseAForcedMechanismTheSystemLacksOrDoesNotKnow()
    {
        final IllegalStateException missing = assertThrows(IllegalStateException.class,
            () -> WaitMechanism.select(exports(BIG_SUR), "os_sync"));
        assertTrue(missing.getMessage().contains("ipc.macos.wait=os_sync"), missing.getMessage());
        assertThrows(IllegalStateException.class, () -> WaitMechanism.select(exports(Set.of()), "ulock"));
        final IllegalStateException unknown = assertThrows(IllegalStateException.class,
            () -> WaitMechanism.select(exports(SONOMA_14_4), "evfilt_user"));
        assertTrue(unknown.getMessage().contains("expected=os_sync|ulock|socketpair"), unknown.getMessage());
    }

    @Test
    void shouldLookUpOnlyTheFourFunctionsByName()
    {
        final List<String> asked = new ArrayList<>();
        WaitMechanism.select(symbol ->
        {
            asked.add(symbol);
            return true;
        }, null);
        assertEquals(Set.of("os_sync_wait_on_address_with_timeout", "os_sync_wake_by_address_any", "__ulock_wait2",
            "__ulock_wake"), Set.copyOf(asked));
    }

    @Test
    void shouldNameTheSystemPropertyValues()
    {
        assertEquals("os_sync", WaitMechanism.OS_SYNC.propertyValue());
        assertEquals("ulock", WaitMechanism.ULOCK.propertyValue());
        assertEquals("socketpair", WaitMechanism.SOCKETPAIR.propertyValue());
        assertEquals("ipc.macos.wait", WaitMechanism.PROPERTY);
    }
}
