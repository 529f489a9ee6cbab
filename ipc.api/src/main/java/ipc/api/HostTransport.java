package ipc.api;

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

    private HostTransport()
    {
    }

    static IpcTransport find(final ClassLoader classLoader) throws IpcUnsupportedPlatformException
    {
        return find(IpcPlatform.host(), load(classLoader));
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
            throw new IpcUnsupportedPlatformException(
                "cannot load the IPC transport for host=" + host + ": " + ex.getMessage(), ex);
        }

        throw new IpcUnsupportedPlatformException(
            "no IPC transport for host=" + host + " os.name=" + System.getProperty("os.name") + " providers=" + seen);
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
