package ipc.itest.osgi;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Looks things up in the framework from the test bundle, waiting for services with a tracker and a bound.
 */
final class Services
{
    /** How long a service may take to appear: SCR activates components asynchronously after the bundles start. */
    static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(20);

    private Services()
    {
    }

    static BundleContext context()
    {
        return FrameworkUtil.getBundle(Services.class).getBundleContext();
    }

    /**
     * Opens a tracker and waits until it tracks at least one service.
     *
     * @return the open tracker, which the caller closes; it tracks at least one service.
     * @throws AssertionError if none appeared in time.
     */
    static <T> ServiceTracker<T, T> awaitTracker(final Class<T> type) throws InterruptedException
    {
        final ServiceTracker<T, T> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        if (null == tracker.waitForService(SERVICE_TIMEOUT.toMillis()))
        {
            tracker.close();
            throw new AssertionError("no " + type.getName() + " service within " + SERVICE_TIMEOUT +
                "; bundles: " + describeBundles());
        }
        return tracker;
    }

    static Optional<Bundle> bundle(final String symbolicName)
    {
        return Arrays.stream(context().getBundles())
            .filter(b -> symbolicName.equals(b.getSymbolicName()))
            .findFirst();
    }

    static String describeBundles()
    {
        final StringBuilder text = new StringBuilder();
        for (final Bundle bundle : context().getBundles())
        {
            text.append(bundle.getSymbolicName()).append('=').append(state(bundle.getState())).append(' ');
        }
        return text.toString().trim();
    }

    static String state(final int state)
    {
        switch (state)
        {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "state=" + state;
        }
    }
}
