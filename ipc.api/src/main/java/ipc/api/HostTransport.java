package ipc.api;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Picks the host's {@link IpcTransport} among the service providers without instantiating the others.
 */
final class HostTransport
{
    /**
     * One instance per provider class: a transport keeps a peer-watcher thread once it has connections, so handing
     * out a new one per lookup would leave a thread behind for every caller that looks it up again.
     */
    private static final ConcurrentMap<Class<?>, IpcTransport> INSTANCES = new ConcurrentHashMap<>();

    /**
     * The last lookup's answer and the class loader it was for (held weakly, so a container can still unload it):
     * a {@link ServiceLoader} walk costs tens of microseconds, which short-lived clients that look the transport up
     * for every connection would pay each time.
     */
    private static volatile Lookup last;

    /** How far a failed provider's cause chain is followed for the reason. */
    private static final int MAX_CAUSE_DEPTH = 16;

    private HostTransport()
    {
    }

    static IpcTransport find(final ClassLoader classLoader) throws IpcUnsupportedPlatformException
    {
        final Lookup cached = last;
        if (null != cached && cached.isFor(classLoader))
        {
            return cached.transport;
        }
        final IpcTransport transport = find(IpcPlatform.host(), load(classLoader));
        last = new Lookup(classLoader, transport);
        return transport;
    }

    static IpcTransport find(final IpcPlatform host, final ServiceLoader<IpcTransport> loader)
        throws IpcUnsupportedPlatformException
    {
        final List<String> seen = new ArrayList<>();
        try
        {
            for (final ServiceLoader.Provider<IpcTransport> provider : (Iterable<ServiceLoader.Provider<IpcTransport>>)
                loader.stream()::iterator)
            {
                // type() loads the class without initializing it: no static initializer, no native code.
                final Class<? extends IpcTransport> type = provider.type();
                final ForPlatform forPlatform = type.getAnnotation(ForPlatform.class);
                seen.add(type.getName() + "=" + (null == forPlatform ? "unannotated" : forPlatform.value()));
                if (null != forPlatform && forPlatform.value() == host)
                {
                    return INSTANCES.computeIfAbsent(type, ignored -> provider.get());
                }
            }
        }
        catch (final ServiceConfigurationError ex)
        {
            // The provider's own failure (a native library that cannot load) says why; ServiceLoader's does not. The
            // deepest cause, a bounded walk: a cause chain can be made to loop.
            Throwable cause = ex;
            for (int depth = 0; depth < MAX_CAUSE_DEPTH && null != cause.getCause() && cause.getCause() != cause;
                depth++)
            {
                cause = cause.getCause();
            }
            throw new IpcUnsupportedPlatformException("cannot load the IPC transport for host=" + host + ": " +
                ex.getMessage() + (cause == ex ? "" : ": " + cause), ex);
        }

        throw new IpcUnsupportedPlatformException(
            "no IPC transport for host=" + host + " os.name=" + System.getProperty("os.name") + " providers=" + seen);
    }

    /** A lookup's answer for one class loader ({@code null}: the system class loader). */
    private static final class Lookup
    {
        private final WeakReference<ClassLoader> classLoader;
        private final boolean systemLoader;
        private final IpcTransport transport;

        Lookup(final ClassLoader classLoader, final IpcTransport transport)
        {
            this.classLoader = new WeakReference<>(classLoader);
            this.systemLoader = null == classLoader;
            this.transport = transport;
        }

        boolean isFor(final ClassLoader loader)
        {
            return null == loader ? systemLoader : loader == classLoader.get();
        }
    }

    private static ServiceLoader<IpcTransport> load(final ClassLoader classLoader)
    {
        final Module module = HostTransport.class.getModule();
        if (module.isNamed() && null != module.getLayer())
        {
            // On the module path the providers are found through the layer, whatever the context loader is.
            return ServiceLoader.load(module.getLayer(), IpcTransport.class);
        }
        return ServiceLoader.load(IpcTransport.class, classLoader);
    }
}
