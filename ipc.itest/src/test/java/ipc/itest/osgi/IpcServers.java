package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;

/**
 * What the ipc.osgi tests share: unique server names, handler registration, waiting for the {@link IpcServer}
 * services that ipc.osgi registers (by name and by the handler they serve), and clients.
 */
final class IpcServers
{
    /** The server name property, on handlers, configurations and registered servers. */
    static final String NAME = "ipc.server.name";
    /** On a registered server: the service.id of the handler it serves. */
    static final String HANDLER_SERVICE_ID = "ipc.handler.service.id";

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private IpcServers()
    {
    }

    /** A server name no other test or run uses. */
    static String uniqueName(final String prefix)
    {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime(), 36) + "-" +
            COUNTER.incrementAndGet();
    }

    /** Registers a handler from the test bundle, with properties given as key, value, key, value... */
    static ServiceRegistration<IpcHandler> register(final IpcHandler handler, final Object... keysAndValues)
    {
        final Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            properties.put((String)keysAndValues[i], keysAndValues[i + 1]);
        }
        return Services.context().registerService(IpcHandler.class, handler, properties);
    }

    static long serviceId(final ServiceRegistration<?> registration)
    {
        return (Long)registration.getReference().getProperty("service.id");
    }

    /**
     * Waits for the registered server of a name (and, if {@code handlerServiceId >= 0}, serving that handler).
     *
     * @return its reference.
     */
    static ServiceReference<IpcServer> awaitServer(final String name, final long handlerServiceId)
        throws InterruptedException
    {
        final String handler = handlerServiceId >= 0 ? "(" + HANDLER_SERVICE_ID + "=" + handlerServiceId + ")" : "";
        final ServiceTracker<IpcServer, IpcServer> tracker = new ServiceTracker<>(Services.context(),
            filter("(&(objectClass=" + IpcServer.class.getName() + ")(" + NAME + "=" + name + ")" + handler + ")"),
            null);
        tracker.open();
        try
        {
            if (null == tracker.waitForService(TIMEOUT.toMillis()))
            {
                throw new AssertionError("no IpcServer service name=" + name + " handler.service.id=" +
                    handlerServiceId + " within " + TIMEOUT);
            }
            return tracker.getServiceReference();
        }
        finally
        {
            tracker.close();
        }
    }

    /** Waits until no server of that name is registered. */
    static void awaitNoServer(final String name) throws Exception
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (null != Services.context().getServiceReferences(IpcServer.class.getName(), "(" + NAME + "=" + name + ")"))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("IpcServer name=" + name + " still registered after " + TIMEOUT);
            }
            Thread.sleep(20);
        }
    }

    /** The registered servers of a name: none, or one. */
    static int serverCount(final String name) throws InvalidSyntaxException
    {
        final ServiceReference<?>[] references = Services.context().getServiceReferences(IpcServer.class.getName(),
            "(" + NAME + "=" + name + ")");
        return null == references ? 0 : references.length;
    }

    /** Connects to a server with the host's transport, as a client in this process. */
    static IpcChannel connect(final IpcTransport transport, final String name) throws IpcException
    {
        return transport.connect(name, IpcOptions.builder().connectTimeout(TIMEOUT).sendTimeout(TIMEOUT).build());
    }

    /** Sends one message and returns the answer. */
    static byte[] roundTrip(final IpcTransport transport, final String name, final byte[] message) throws IpcException
    {
        try (IpcChannel channel = connect(transport, name))
        {
            channel.send(message);
            return channel.receive(TIMEOUT);
        }
    }

    /**
     * Asserts that nothing answers under a name any more, within {@link #TIMEOUT}. ipc.osgi unregisters a server's
     * service before it closes the server (ServerBinding.close), so a connect right after the service went away may
     * still be accepted: it is closed and tried again until one is refused.
     */
    static void assertNoServerAnswers(final IpcTransport transport, final String name)
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true)
        {
            try
            {
                connect(transport, name).close();
            }
            catch (final IpcException expected)
            {
                return;
            }
            if (System.nanoTime() - deadline > 0)
            {
                fail("a connect to " + name + " still succeeds " + TIMEOUT + " after its server should have closed");
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private static Filter filter(final String filter)
    {
        try
        {
            return FrameworkUtil.createFilter(filter);
        }
        catch (final InvalidSyntaxException ex)
        {
            throw new IllegalArgumentException(filter, ex);
        }
    }
}
