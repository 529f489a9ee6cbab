package ipc.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import ipc.api.IpcPlatform;
import ipc.conformance.BackendProbe;

/**
 * The shared suite finds this module's probe (its raw peers and handle counts depend on it, and it fails rather
 * than skips without one on Windows): checked on every OS, so that a broken service file shows before the Windows
 * job runs.
 */
class WindowsBackendProbeRegistrationTest
{
    @Test
    void shouldRegisterExactlyTheWindowsProbe()
    {
        final List<BackendProbe> probes = ServiceLoader.load(BackendProbe.class).stream()
            .map(ServiceLoader.Provider::get).collect(Collectors.toList());
        assertEquals(1, probes.size(), "probes: " + probes);
        assertEquals(WindowsBackendProbe.class, probes.get(0).getClass());
        assertEquals(IpcPlatform.WINDOWS, probes.get(0).platform());
        // Constructing the primitives loads no native code (TransportOffWindowsTest's rule).
        assertNotNull(probes.get(0).primitives());
        assertNotNull(probes.get(0).noShrinkCall(), "a section cannot shrink: the shrink attack must say why");
    }
}
