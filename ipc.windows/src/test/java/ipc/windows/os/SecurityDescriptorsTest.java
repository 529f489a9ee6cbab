package ipc.windows.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The pipes' DACL in SDDL (Microsoft docs, "Security Descriptor String Format" and "ACE Strings"): protected
 * ({@code P}), one access-allowed ({@code A}) generic-all ({@code GA}) ACE for the user's SID and one for
 * {@code LocalSystem} ({@code SY}), nothing else, so no {@code Everyone}, anonymous or network access.
 */
class SecurityDescriptorsTest
{
    @Test
    void shouldGrantTheUserAndSystemOnly()
    {
        assertEquals("D:P(A;;GA;;;S-1-5-21-1-2-3-1001)(A;;GA;;;SY)",
            SecurityDescriptors.pipeSddl("S-1-5-21-1-2-3-1001"));
    }

    @Test
    void shouldRefuseTextThatCouldInjectAces()
    {
        assertThrows(IllegalArgumentException.class, () -> SecurityDescriptors.pipeSddl("S-1-5-21-1)(A;;GA;;;WD"));
        assertThrows(IllegalArgumentException.class, () -> SecurityDescriptors.pipeSddl("WD"));
        assertThrows(IllegalArgumentException.class, () -> SecurityDescriptors.pipeSddl(""));
    }
}
