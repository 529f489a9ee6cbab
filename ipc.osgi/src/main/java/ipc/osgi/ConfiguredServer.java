package ipc.osgi;

import java.lang.System.Logger.Level;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcTransport;

/**
 * A server per {@value ServerProperties#FACTORY_PID} factory configuration: its {@value ServerProperties#NAME} and
 * option properties (see {@link ServerConfiguration}), serving the {@link IpcHandler} service that its
 * {@value ServerProperties#HANDLER_TARGET} filter chooses (Declarative Services applies the filter to the
 * {@code handler} reference). The server is bound while a matching handler is registered; several match: see
 * {@link ServerSlot}.
 *
 * <p>A configuration with a bad value (no name or handler filter, an option out of range or of the wrong type) gives
 * one log line at ERROR naming the configuration, the property and the value, and no server. A changed
 * configuration replaces the component, so its server is closed and bound anew.
 *
 * <p>A handler chosen by several configurations (or also by the whiteboard, through its own
 * {@value ServerProperties#NAME}) serves several servers, each with its own dispatcher thread: such a handler is called
 * from more than one thread.
 */
@Designate(ocd = ServerConfiguration.class, factory = true)
@Component(configurationPid = ServerProperties.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ConfiguredServer
{
    private static final System.Logger LOGGER = System.getLogger(ConfiguredServer.class.getName());

    /** Null when the configuration was refused: then handlers are ignored. */
    private final ServerSlot slot;

    /**
     * Checks the configuration; the server is bound when a handler arrives through {@link #bindHandler}.
     *
     * @param transport  the host's transport.
     * @param context    this bundle's context, which registers the bound server.
     * @param properties the configuration.
     */
    @Activate
    public ConfiguredServer(@Reference final IpcTransport transport, final BundleContext context,
        final Map<String, Object> properties)
    {
        final String origin = "configuration " + properties.get(Constants.SERVICE_PID);
        ServerSlot checked = null;
        try
        {
            final String name = ServerProperties.name(properties);
            final Object target = properties.get(ServerProperties.HANDLER_TARGET);
            if (!(target instanceof String) || ((String)target).isBlank())
            {
                throw new IllegalArgumentException(ServerProperties.HANDLER_TARGET + " must be a filter choosing " +
                    "the IpcHandler service: " + ServerProperties.HANDLER_TARGET + "=" + ServerProperties.show(target));
            }
            final IpcOptions options = ServerProperties.options(properties);
            checked = new ServerSlot(name, origin, transport, context, reference -> options);
        }
        catch (final IllegalArgumentException ex)
        {
            LOGGER.log(Level.ERROR, "no server: origin=" + origin + ": " + ex.getMessage());
        }
        slot = checked;
    }

    @Reference(name = "handler", service = IpcHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
        policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindHandler(final ServiceReference<IpcHandler> reference, final IpcHandler handler)
    {
        if (null != slot)
        {
            slot.add(reference, handler);
        }
    }

    void updatedHandler(final ServiceReference<IpcHandler> reference, final IpcHandler handler)
    {
        if (null != slot)
        {
            slot.modified(reference, handler);
        }
    }

    void unbindHandler(final ServiceReference<IpcHandler> reference)
    {
        if (null != slot)
        {
            slot.remove(reference);
        }
    }

    @Deactivate
    void deactivate()
    {
        if (null != slot)
        {
            slot.close();
        }
    }
}
