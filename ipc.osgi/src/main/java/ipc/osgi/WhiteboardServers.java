package ipc.osgi;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import ipc.api.IpcHandler;
import ipc.api.IpcTransport;

/**
 * The whiteboard: every {@link IpcHandler} service with an {@value ServerProperties#NAME} property gets a server of
 * that name, bound with the host's {@link IpcTransport} and the options in its other properties
 * ({@value ServerProperties#RING_CAPACITY}, {@value ServerProperties#MAX_MESSAGE_SIZE},
 * {@value ServerProperties#IDLE_STRATEGY}, {@value ServerProperties#ALLOW_PEER_UID},
 * {@value ServerProperties#MAX_CONNECTIONS}), and serving it. Unregistering the handler (stopping its bundle
 * included) closes the server and its connections. Several handlers for one name: see {@link ServerSlot}.
 */
@Component
public final class WhiteboardServers
{
    private static final System.Logger LOGGER = System.getLogger(WhiteboardServers.class.getName());
    private static final String ORIGIN = "whiteboard";

    private final IpcTransport transport;
    private final BundleContext context;
    private final Map<String, ServerSlot> slots = new HashMap<>();
    private final Map<ServiceReference<IpcHandler>, ServerSlot> slotOf = new HashMap<>();
    private boolean deactivated;

    /**
     * Starts with no server; the handlers arrive through {@link #bindHandler}.
     *
     * @param transport the host's transport.
     * @param context   this bundle's context, which registers the bound servers.
     */
    @Activate
    public WhiteboardServers(@Reference final IpcTransport transport, final BundleContext context)
    {
        this.transport = transport;
        this.context = context;
    }

    @Reference(name = "handler", service = IpcHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
        policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
        target = "(" + ServerProperties.NAME + "=*)")
    synchronized void bindHandler(final ServiceReference<IpcHandler> reference, final IpcHandler handler)
    {
        if (deactivated)
        {
            return;
        }
        final String name;
        try
        {
            name = ServerProperties.name(propertiesOf(reference));
        }
        catch (final IllegalArgumentException ex)
        {
            LOGGER.log(Level.ERROR, "no server: origin=" + ORIGIN + " handler=" + ServerSlot.describe(reference) +
                ": " + ex.getMessage());
            return;
        }
        final ServerSlot slot = slots.computeIfAbsent(name, n -> new ServerSlot(n, ORIGIN, transport, context,
            r -> ServerProperties.options(propertiesOf(r))));
        slotOf.put(reference, slot);
        slot.add(reference, handler);
    }

    synchronized void updatedHandler(final ServiceReference<IpcHandler> reference, final IpcHandler handler)
    {
        final ServerSlot slot = slotOf.get(reference);
        final Object name = reference.getProperty(ServerProperties.NAME);
        if (null != slot && slot.name().equals(name))
        {
            slot.modified(reference, handler);
            return;
        }
        // Renamed (or was refused before): it leaves its old name and asks for the new one.
        unbindHandler(reference);
        bindHandler(reference, handler);
    }

    synchronized void unbindHandler(final ServiceReference<IpcHandler> reference)
    {
        final ServerSlot slot = slotOf.remove(reference);
        if (null != slot)
        {
            slot.remove(reference);
            if (slot.isEmpty())
            {
                slots.remove(slot.name());
            }
        }
    }

    @Deactivate
    synchronized void deactivate()
    {
        deactivated = true;
        for (final ServerSlot slot : slots.values())
        {
            slot.close();
        }
        slots.clear();
        slotOf.clear();
    }

    private static Map<String, Object> propertiesOf(final ServiceReference<?> reference)
    {
        final Map<String, Object> properties = new HashMap<>();
        for (final String key : reference.getPropertyKeys())
        {
            properties.put(key, reference.getProperty(key));
        }
        return properties;
    }
}
