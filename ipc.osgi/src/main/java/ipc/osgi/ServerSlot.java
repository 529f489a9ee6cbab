package ipc.osgi;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcTransport;

/**
 * One server name and the handler services that ask for it. The highest-ranked handler (by
 * {@link ServiceReference#compareTo}: {@code service.ranking}, then the lowest {@code service.id}) is served; when
 * more than one asks, the conflict is logged with the winner and the losers; when the winner goes, the next one
 * takes over on a freshly bound server. At most one {@link ServerBinding} is open at any time.
 *
 * <p>Thread-safe: Declarative Services calls bind, updated and unbind from any thread.
 */
final class ServerSlot
{
    private static final System.Logger LOGGER = System.getLogger(ServerSlot.class.getName());
    /** First wait before a failed bind is tried again; each later one doubles, up to {@link #MAX_RETRY_MILLIS}. */
    private static final long FIRST_RETRY_MILLIS = 200;
    private static final long MAX_RETRY_MILLIS = 10_000;

    private final String name;
    private final String origin;
    private final IpcTransport transport;
    private final BundleContext context;
    private final Function<ServiceReference<IpcHandler>, IpcOptions> optionsOf;
    private final Map<ServiceReference<IpcHandler>, IpcHandler> candidates = new LinkedHashMap<>();
    private ServiceReference<IpcHandler> served;
    private IpcOptions servedOptions;
    private ServerBinding binding;
    private boolean closed;

    /**
     * @param name      the server name.
     * @param origin    where the request comes from, for log lines and the server's service properties.
     * @param transport binds the server.
     * @param context   registers the bound server as a service.
     * @param optionsOf the options for a winning handler; throws {@link IllegalArgumentException} on bad ones.
     */
    ServerSlot(final String name, final String origin, final IpcTransport transport, final BundleContext context,
        final Function<ServiceReference<IpcHandler>, IpcOptions> optionsOf)
    {
        this.name = name;
        this.origin = origin;
        this.transport = transport;
        this.context = context;
        this.optionsOf = optionsOf;
    }

    String name()
    {
        return name;
    }

    synchronized void add(final ServiceReference<IpcHandler> reference, final IpcHandler handler)
    {
        candidates.put(reference, handler);
        reconcile(false);
    }

    /** A candidate's properties changed: its ranking may change the winner, its options the server. */
    synchronized void modified(final ServiceReference<IpcHandler> reference, final IpcHandler handler)
    {
        candidates.put(reference, handler);
        reconcile(reference.equals(served));
    }

    synchronized void remove(final ServiceReference<IpcHandler> reference)
    {
        if (null != candidates.remove(reference))
        {
            reconcile(false);
        }
    }

    synchronized boolean isEmpty()
    {
        return candidates.isEmpty();
    }

    /** Closes the server, if one is bound, and ignores every later change. Idempotent. */
    synchronized void close()
    {
        closed = true;
        candidates.clear();
        unbind();
    }

    private void reconcile(final boolean rebind)
    {
        if (closed)
        {
            return;
        }
        final ServiceReference<IpcHandler> winner = candidates.keySet().stream()
            .max(Comparator.naturalOrder()).orElse(null);
        if (candidates.size() > 1)
        {
            logConflict(winner);
        }
        if (null != winner && winner.equals(served) && (!rebind || sameOptions(winner)))
        {
            return;
        }
        unbind();
        if (null != winner)
        {
            bind(winner, candidates.get(winner));
        }
    }

    /** Whether the winner's options are still those its server was bound with (a bad value counts as a change). */
    private boolean sameOptions(final ServiceReference<IpcHandler> winner)
    {
        try
        {
            return optionsOf.apply(winner).equals(servedOptions);
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    private void bind(final ServiceReference<IpcHandler> winner, final IpcHandler handler)
    {
        served = winner;
        final IpcOptions options;
        try
        {
            options = optionsOf.apply(winner);
        }
        catch (final IllegalArgumentException ex)
        {
            LOGGER.log(Level.ERROR, "no server: origin=" + origin + " " + ServerProperties.NAME + "=" + name +
                " handler=" + describe(winner) + ": " + ex.getMessage());
            return;
        }
        servedOptions = options;
        binding = ServerBinding.open(transport, context, name, origin, serviceId(winner), handler, options);
        if (null == binding)
        {
            // The name may be held by another server (of this framework: one closing, or another origin's; or of
            // another process): try again while this handler is the winner, so that it takes over once the name is
            // free, as the README promises. The JDK's delayed executor: no thread of this bundle's own.
            retry(winner, FIRST_RETRY_MILLIS);
        }
    }

    private void retry(final ServiceReference<IpcHandler> winner, final long delayMillis)
    {
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS).execute(() ->
            retryBind(winner, Math.min(MAX_RETRY_MILLIS, delayMillis * 2)));
    }

    private synchronized void retryBind(final ServiceReference<IpcHandler> winner, final long nextDelayMillis)
    {
        if (closed || !winner.equals(served) || null != binding || null == servedOptions)
        {
            // Closed, another winner, bound meanwhile, or options that can never bind: nothing to try.
            return;
        }
        final IpcHandler handler = candidates.get(winner);
        if (null == handler)
        {
            return;
        }
        binding = ServerBinding.open(transport, context, name, origin, serviceId(winner), handler, servedOptions,
            Level.DEBUG);
        if (null == binding)
        {
            retry(winner, nextDelayMillis);
        }
        else
        {
            LOGGER.log(Level.INFO, "server bound on a retry: origin=" + origin + " " + ServerProperties.NAME + "=" +
                name + " handler=" + describe(winner));
        }
    }

    private void unbind()
    {
        served = null;
        servedOptions = null;
        if (null != binding)
        {
            binding.close();
            binding = null;
        }
    }

    private void logConflict(final ServiceReference<IpcHandler> winner)
    {
        final List<String> ignored = new ArrayList<>();
        for (final ServiceReference<IpcHandler> candidate : candidates.keySet())
        {
            if (!candidate.equals(winner))
            {
                ignored.add(describe(candidate));
            }
        }
        LOGGER.log(Level.WARNING, "conflict: " + candidates.size() + " handlers for " + ServerProperties.NAME + "=" +
            name + " origin=" + origin + "; serving the highest-ranked " + describe(winner) + ", ignoring " +
            ignored);
    }

    static long serviceId(final ServiceReference<?> reference)
    {
        final Object id = reference.getProperty(Constants.SERVICE_ID);
        return id instanceof Long ? (Long)id : -1;
    }

    static String describe(final ServiceReference<?> reference)
    {
        final Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        return "{service.id=" + serviceId(reference) +
            " service.ranking=" + (ranking instanceof Integer ? ranking : 0) +
            " bundle=" + (null == reference.getBundle() ? "(gone)" : reference.getBundle().getSymbolicName()) + "}";
    }
}
