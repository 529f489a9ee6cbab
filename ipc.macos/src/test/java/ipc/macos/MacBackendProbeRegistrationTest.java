package ipc.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import ipc.api.IpcPlatform;
import ipc.conformance.BackendProbe;

/**
 * The shared suite finds this module's probe (its raw peers and counts depend on it, and it fails rather than skips
 * without one on a Mac): checked on every OS, so that a broken service file shows before the macOS job runs.
 */
class MacBackendProbeRegistrationTest
{
    @Test
    void shouldRegisterExactlyTheMacProbe()
    {
        final List<BackendProbe> probes = ServiceLoader.load(BackendProbe.class).stream()
            .map(ServiceLoader.Provider::get).collect(Collectors.toList());
        assertEquals(1, probes.size(), "probes: " + probes);
        assertEquals(MacBackendProbe.class, probes.get(0).getClass());
        assertEquals(IpcPlatform.MACOS, probes.get(0).platform());
        // Constructing the primitives loads no native code (NoNativeCodeOnConstructionTest's rule).
        assertNotNull(probes.get(0).primitives());
        assertNull(probes.get(0).noShrinkCall(), "xnu has ftruncate: the shrink attack must run on a Mac");
    }
}
