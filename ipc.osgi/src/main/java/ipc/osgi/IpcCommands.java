package ipc.osgi;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.api.IpcServer;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;
import ipc.api.IpcTransport;

/**
 * The {@code ipc:*} commands of the Gogo shell (and of any shell that honours {@code osgi.command.scope} and
 * {@code osgi.command.function}). Each returns the text to print; a failure is an exception whose message names
 * the server and the cause.
 * <ul>
 *   <li>{@code ipc:servers}: the {@link IpcServer} services of this framework (the whiteboard's and the configured
 *       ones, and any a bundle registers itself), with their options and counters.</li>
 *   <li>{@code ipc:ping NAME [count]}: connects to a server that answers each message with one message (an echo),
 *       and times {@code count} round trips: min, p50, max.</li>
 *   <li>{@code ipc:list}: every server name of this user on this machine, live or stale, with the owning pid (Linux;
 *       see {@link SocketDirectoryListing}).</li>
 *   <li>{@code ipc:stats NAME}: the counters of a running server, of this process or another one, through the
 *       control protocol's STATS request ({@link IpcTransport#stats(String, Duration)}): the server checks this
 *       process's user as for a connection and creates nothing for the request.</li>
 * </ul>
 */
@Component(service = IpcCommands.class, property = {
    "osgi.command.scope=ipc",
    "osgi.command.function=servers",
    "osgi.command.function=ping",
    "osgi.command.function=list",
    "osgi.command.function=stats"})
public final class IpcCommands
{
    /** How many round trips {@code ipc:ping} times without a count. */
    static final int DEFAULT_PING_COUNT = 10;
    /** Bytes in each ping message. */
    static final int PING_SIZE = 64;

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STATS_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_PING_COUNT = 1_000_000;

    private final IpcTransport transport;
    private final Map<IpcServer, Map<String, Object>> servers = new ConcurrentHashMap<>();

    /**
     * @param transport the host's transport, which pings connect with.
     */
    @Activate
    public IpcCommands(@Reference final IpcTransport transport)
    {
        this.transport = transport;
    }

    @Reference(name = "server", service = IpcServer.class, cardinality = ReferenceCardinality.MULTIPLE,
        policy = ReferencePolicy.DYNAMIC)
    void bindServer(final IpcServer server, final Map<String, Object> properties)
    {
        servers.put(server, properties);
    }

    void updatedServer(final IpcServer server, final Map<String, Object> properties)
    {
        servers.put(server, properties);
    }

    void unbindServer(final IpcServer server)
    {
        servers.remove(server);
    }

    /**
     * {@code ipc:servers}: the servers registered in this framework.
     *
     * @return a table, one row per server.
     */
    public String servers()
    {
        final TextTable table = new TextTable("NAME", "ORIGIN", "RING", "MAX-MSG", "IDLE", "UIDS", "CONNS", "ACCEPTED",
            "REJECTED", "MSGS-IN", "MSGS-OUT", "BYTES-IN", "BYTES-OUT", "ERRORS");
        final List<Map.Entry<IpcServer, Map<String, Object>>> entries = servers.entrySet().stream()
            .sorted(Comparator.comparing(e -> e.getKey().name()))
            .collect(Collectors.toList());
        for (final Map.Entry<IpcServer, Map<String, Object>> entry : entries)
        {
            final IpcServer server = entry.getKey();
            final Map<String, Object> properties = entry.getValue();
            final IpcServerStats stats = server.stats();
            final IpcStats traffic = stats.traffic();
            table.row(server.name(),
                property(properties, ServerProperties.ORIGIN),
                property(properties, ServerProperties.RING_CAPACITY),
                property(properties, ServerProperties.MAX_MESSAGE_SIZE),
                property(properties, ServerProperties.IDLE_STRATEGY),
                property(properties, ServerProperties.ALLOW_PEER_UID),
                stats.openConnections(),
                stats.acceptedConnections(),
                stats.rejectedConnections(),
                traffic.messagesReceived(),
                traffic.messagesSent(),
                traffic.bytesReceived(),
                traffic.bytesSent(),
                traffic.protocolErrors());
        }
        return table.isEmpty() ? "no IPC servers registered in this framework" : table.toString();
    }

    /**
     * {@code ipc:ping NAME}: {@value #DEFAULT_PING_COUNT} round trips.
     *
     * @param name the server's name.
     * @return the timings.
     * @throws IpcException if the connection or a round trip fails.
     */
    public String ping(final String name) throws IpcException
    {
        return ping(name, DEFAULT_PING_COUNT);
    }

    /**
     * {@code ipc:ping NAME COUNT}: connects, sends {@code count} messages of {@value #PING_SIZE} bytes one at a time,
     * each after the previous answer, and reports the round-trip times.
     *
     * @param name  the server's name.
     * @param count round trips, at least 1.
     * @return the timings.
     * @throws IpcException if the connection or a round trip fails; the message names the server.
     */
    public String ping(final String name, final int count) throws IpcException
    {
        if (count < 1 || count > MAX_PING_COUNT)
        {
            throw new IllegalArgumentException("count must be in [1, " + MAX_PING_COUNT + "]: count=" + count);
        }
        final IpcOptions options = IpcOptions.builder().connectTimeout(PING_TIMEOUT).sendTimeout(PING_TIMEOUT).build();
        final long[] nanos = new long[count];
        final byte[] message = new byte[PING_SIZE];
        final long connectStart = System.nanoTime();
        try (IpcChannel channel = transport.connect(name, options))
        {
            final long connectNanos = System.nanoTime() - connectStart;
            for (int round = 0; round < count; round++)
            {
                message[0] = (byte)round;
                final long start = System.nanoTime();
                channel.send(message);
                channel.receive(PING_TIMEOUT);
                nanos[round] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            return "ping " + name + ": connected in " + micros(connectNanos) + " us (peer pid " + channel.peer().pid() +
                "), " + count + " round trips of " + PING_SIZE + " bytes" + System.lineSeparator() +
                new TextTable("MIN-US", "P50-US", "MAX-US")
                    .row(micros(nanos[0]), micros(nanos[(count + 1) / 2 - 1]), micros(nanos[count - 1]));
        }
    }

    /**
     * {@code ipc:list}: the server names of this user on this machine.
     *
     * @return the directory and a table of names, live or stale, with the owning pid.
     * @throws IOException if the directory or {@code /proc/locks} cannot be read.
     */
    public String list() throws IOException
    {
        if (transport.platform() != IpcPlatform.LINUX)
        {
            return "ipc:list is not supported on " + transport.platform() + " yet: it reads Linux's socket directory " +
                "and /proc/locks";
        }
        final Path directory = SocketDirectoryListing.directory();
        final TextTable table = new TextTable("NAME", "STATE", "PID");
        final long self = ProcessHandle.current().pid();
        for (final SocketDirectoryListing.Entry entry : SocketDirectoryListing.list(directory))
        {
            table.row(entry.name(), entry.live() ? "live" : "stale",
                entry.live() ? entry.pid() + (entry.pid() == self ? " (this process)" : "") : "-");
        }
        return "socket directory: " + directory + System.lineSeparator() +
            (table.isEmpty() ? "no server names" : table.toString());
    }

    /**
     * {@code ipc:stats NAME}: asks a running server, in this process or another, for its counters.
     *
     * @param name the server's name.
     * @return a table of the counters, one per row.
     * @throws IpcException if the server cannot be reached, refuses this user, or has no STATS support (a version of
     *                      the library older than the request); the message names the server.
     */
    public String stats(final String name) throws IpcException
    {
        return format(name, transport.stats(name, STATS_TIMEOUT));
    }

    /**
     * The text of {@code ipc:stats}: a heading and one row per counter.
     *
     * @param name  the server's name.
     * @param stats its counters.
     * @return the text.
     */
    static String format(final String name, final IpcServerStats stats)
    {
        final IpcStats traffic = stats.traffic();
        return "stats " + name + System.lineSeparator() + new TextTable("COUNTER", "VALUE")
            .row("open-connections", stats.openConnections())
            .row("accepted-connections", stats.acceptedConnections())
            .row("rejected-connections", stats.rejectedConnections())
            .row("messages-received", traffic.messagesReceived())
            .row("messages-sent", traffic.messagesSent())
            .row("bytes-received", traffic.bytesReceived())
            .row("bytes-sent", traffic.bytesSent())
            .row("fragments-received", traffic.fragmentsReceived())
            .row("fragments-sent", traffic.fragmentsSent())
            .row("wakeups-sent", traffic.wakeupsSent())
            .row("parks", traffic.parks())
            .row("spin-hits", traffic.spinHits())
            .row("full-ring-waits", traffic.fullRingWaits())
            .row("protocol-errors", traffic.protocolErrors());
    }

    private static Object property(final Map<String, Object> properties, final String key)
    {
        final Object value = properties.get(key);
        if (value instanceof long[])
        {
            final long[] values = (long[])value;
            return values.length == 0 ? "-" : Arrays.stream(values).mapToObj(Long::toString)
                .collect(Collectors.joining(","));
        }
        return null == value ? "-" : value;
    }

    private static String micros(final long nanos)
    {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
    }
}
