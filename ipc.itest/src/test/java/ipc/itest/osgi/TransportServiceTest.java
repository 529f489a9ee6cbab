package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

import ipc.api.IpcPlatform;
import ipc.api.IpcTransport;

/**
 * In a framework with all three backends installed, only the host's one (Linux) resolves and registers the
 * transport; the others stay installed and inert.
 */
class TransportServiceTest
{
    @Test
    void shouldRunInTheFrameworkTheBndrunNames()
    {
        final String expected = Services.context().getProperty("ipc.itest.framework");
        assertEquals(expected, Services.context().getBundle(0).getSymbolicName(), "system bundle");
    }

    @Test
    void shouldRegisterExactlyOneTransportFromTheLinuxBundle() throws Exception
    {
        final ServiceTracker<IpcTransport, IpcTransport> tracker = Services.awaitTracker(IpcTransport.class);
        try
        {
            // Every registration under the name, whatever class space it is in: nobody registers a second one.
            final ServiceReference<?>[] all = Services.context().getAllServiceReferences(IpcTransport.class.getName(), null);
            assertEquals(1, all.length, "IpcTransport registrations; bundles: " + Services.describeBundles());

            final ServiceReference<IpcTransport> reference = tracker.getServiceReference();
            assertEquals("LINUX", reference.getProperty(IpcTransport.PLATFORM_PROPERTY), IpcTransport.PLATFORM_PROPERTY);
            assertEquals("ipc.linux", reference.getBundle().getSymbolicName(), "bundle registering IpcTransport");
            assertEquals(IpcPlatform.LINUX, tracker.getService().platform(), "platform()");
        }
        finally
        {
            tracker.close();
        }
    }

    @Test
    void shouldLeaveTheOtherBackendsInstalledUnresolvedAndSilent() throws Exception
    {
        // Wait for the host's transport first, so that SCR has processed the bundles before we look at them.
        Services.awaitTracker(IpcTransport.class).close();

        for (final String symbolicName : List.of("ipc.macos", "ipc.windows"))
        {
            final Bundle bundle = Services.bundle(symbolicName)
                .orElseThrow(() -> new AssertionError(symbolicName + " is not installed; bundles: " +
                    Services.describeBundles()));

            // Asking the framework to resolve it must fail: its osgi.native requirement names another OS.
            final FrameworkWiring wiring = Services.context().getBundle(0).adapt(FrameworkWiring.class);
            assertFalse(wiring.resolveBundles(List.of(bundle)), symbolicName + " resolved on this host");
            assertEquals(Bundle.INSTALLED, bundle.getState(),
                symbolicName + " state is " + Services.state(bundle.getState()));
            assertFalse(bundle.adapt(BundleRevision.class).getDeclaredRequirements("osgi.native").isEmpty(),
                symbolicName + " declares no osgi.native requirement");
            assertNull(bundle.getRegisteredServices(), symbolicName + " registered services");
        }

        final Bundle linux = Services.bundle("ipc.linux").orElseThrow(() -> new AssertionError("no ipc.linux"));
        assertEquals(Bundle.ACTIVE, linux.getState(), "ipc.linux state is " + Services.state(linux.getState()));
        assertTrue(linux.getRegisteredServices().length >= 1, "ipc.linux registered services");
    }
}
