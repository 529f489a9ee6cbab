package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Namespace;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

import ipc.api.IpcPlatform;
import ipc.api.IpcTransport;

/**
 * In a framework with all three backends installed, only the host's one resolves and registers the transport; the
 * others stay installed and inert. The bndrun names the host's backend in the run property
 * {@value #BACKEND_PROPERTY} (itest.bndrun: ipc.linux; itest-macos.bndrun: ipc.macos; itest-windows.bndrun:
 * ipc.windows).
 */
class TransportServiceTest
{
    /** The run property naming the bundle that should be the one active backend. */
    static final String BACKEND_PROPERTY = "ipc.itest.backend";

    private static final List<String> BACKENDS = List.of("ipc.linux", "ipc.macos", "ipc.windows");

    @Test
    void shouldRunInTheFrameworkTheBndrunNames()
    {
        final String expected = Services.context().getProperty("ipc.itest.framework");
        assertEquals(expected, Services.context().getBundle(0).getSymbolicName(), "system bundle");
    }

    @Test
    void shouldRegisterExactlyOneTransportFromTheHostsBackendBundle() throws Exception
    {
        final ServiceTracker<IpcTransport, IpcTransport> tracker = Services.awaitTracker(IpcTransport.class);
        try
        {
            // Every registration under the name, whatever class space it is in: nobody registers a second one.
            final ServiceReference<?>[] all = Services.context().getAllServiceReferences(IpcTransport.class.getName(), null);
            assertEquals(1, all.length, "IpcTransport registrations; bundles: " + Services.describeBundles());

            final ServiceReference<IpcTransport> reference = tracker.getServiceReference();
            final IpcPlatform host = IpcPlatform.host();
            assertEquals(host.name(), reference.getProperty(IpcTransport.PLATFORM_PROPERTY), IpcTransport.PLATFORM_PROPERTY);
            assertEquals(backend(), reference.getBundle().getSymbolicName(), "bundle registering IpcTransport");
            assertEquals(host, tracker.getService().platform(), "platform()");
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

        for (final String symbolicName : BACKENDS.stream().filter(b -> !b.equals(backend())).toList())
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

        final Bundle active = Services.bundle(backend()).orElseThrow(() -> new AssertionError("no " + backend()));
        assertEquals(Bundle.ACTIVE, active.getState(), backend() + " state is " + Services.state(active.getState()));
        assertTrue(active.getRegisteredServices().length >= 1, backend() + " registered services");
    }

    /**
     * Each backend's {@code osgi.native} filter, evaluated against the {@code osgi.native.osname} values frameworks
     * give each OS (Felix and Equinox: {@code Linux}; {@code MacOSX} and {@code Mac OS X}; for every Windows version
     * its own names plus {@code Win32}): each backend matches its own OS and no other, whatever the host.
     */
    @Test
    void shouldRequireExactlyItsOwnOperatingSystem() throws Exception
    {
        final Map<String, List<String>> hosts = Map.of(
            "ipc.linux", List.of("Linux"),
            "ipc.macos", List.of("MacOSX", "Mac OS X"),
            "ipc.windows", List.of("Windows11", "Windows 11", "Windows10", "Windows 10", "Win32"));
        for (final String symbolicName : BACKENDS)
        {
            final Bundle bundle = Services.bundle(symbolicName)
                .orElseThrow(() -> new AssertionError(symbolicName + " is not installed"));
            final List<BundleRequirement> requirements =
                bundle.adapt(BundleRevision.class).getDeclaredRequirements("osgi.native");
            assertEquals(1, requirements.size(), symbolicName + " osgi.native requirements: " + requirements);
            final String text = requirements.get(0).getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            final Filter filter = FrameworkUtil.createFilter(text);
            for (final Map.Entry<String, List<String>> host : hosts.entrySet())
            {
                final boolean matches = filter.matches(Map.of("osgi.native.osname", host.getValue()));
                assertEquals(host.getKey().equals(symbolicName), matches,
                    symbolicName + " filter " + text + " against osgi.native.osname=" + host.getValue());
            }
        }
    }

    /** The host's backend bundle, as the bndrun names it; it must be the one for this OS. */
    static String backend()
    {
        final String backend = Services.context().getProperty(BACKEND_PROPERTY);
        assertTrue(BACKENDS.contains(backend), BACKEND_PROPERTY + " is not a backend: " + backend);
        return backend;
    }
}
