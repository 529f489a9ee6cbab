package ipc.osgi;

import java.lang.System.Logger.Level;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;

/**
 * A server bound, serving a handler, and registered as an {@link IpcServer} service with its name, origin and
 * options as properties (which {@code ipc:servers} lists). Opened all or nothing: if any step fails, what was
 * done is undone and the failure is logged on one line, so there is never a server that is bound but not
 * serving, or serving but not registered.
 */
final class ServerBinding
{
    private static final System.Logger LOGGER = System.getLogger(ServerBinding.class.getName());

    private final IpcServer server;
    private final ServiceRegistration<IpcServer> registration;
    private final String origin;

    private ServerBinding(final IpcServer server, final ServiceRegistration<IpcServer> registration,
        final String origin)
    {
        this.server = server;
        this.registration = registration;
        this.origin = origin;
    }

    /**
     * Binds, serves and registers.
     *
     * @return the binding, or {@code null} if it failed (logged).
     */
    static ServerBinding open(final IpcTransport transport, final BundleContext context, final String name,
        final String origin, final long handlerServiceId, final IpcHandler handler, final IpcOptions options)
    {
        return open(transport, context, name, origin, handlerServiceId, handler, options, Level.ERROR);
    }

    /**
     * Binds, serves and registers.
     *
     * @param failure the level of the log line if it fails (a retry's is quieter).
     * @return the binding, or {@code null} if it failed (logged).
     */
    static ServerBinding open(final IpcTransport transport, final BundleContext context, final String name,
        final String origin, final long handlerServiceId, final IpcHandler handler, final IpcOptions options,
        final Level failure)
    {
        IpcServer server = null;
        try
        {
            server = transport.bind(name, options);
            server.serve(handler);
            final Map<String, Object> properties = ServerProperties.serverProperties(name, origin, handlerServiceId,
                options);
            final ServiceRegistration<IpcServer> registration = context.registerService(IpcServer.class, server,
                new Hashtable<>(properties));
            LOGGER.log(Level.DEBUG, () -> "server bound: " + ServerProperties.NAME + "=" + name + " origin=" + origin +
                " handler.service.id=" + handlerServiceId + " " + options);
            return new ServerBinding(server, registration, origin);
        }
        catch (final IpcException | RuntimeException ex)
        {
            if (null != server)
            {
                server.close();
            }
            LOGGER.log(failure, "no server: origin=" + origin + " " + ServerProperties.NAME + "=" + name +
                " handler.service.id=" + handlerServiceId + ": " + ex + " (tried again while the handler stays)");
            return null;
        }
    }

    /** Unregisters the service, then closes the server and every connection it serves. Call once. */
    void close()
    {
        try
        {
            registration.unregister();
        }
        catch (final IllegalStateException alreadyGone)
        {
            // The bundle stopped first and the framework unregistered it: nothing left to do here.
        }
        server.close();
        LOGGER.log(Level.DEBUG, () -> "server closed: " + ServerProperties.NAME + "=" + server.name() + " origin=" +
            origin);
    }
}
