package ipc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

/** Runs the scenarios in child JVMs and adds their figures to the {@link Results}. */
final class Runs
{
    private static final Path SHM = Path.of("/dev/shm");
    private static int endpointCounter;

    private Runs()
    {
    }

    /**
     * One transport, one round: a server JVM, then a client JVM once the server is ready.
     *
     * @param transport the transport.
     * @param counts    the per-round script.
     * @param into      where the figures go.
     * @throws Exception if either JVM fails.
     */
    static void pair(final Transport transport, final Counts counts, final Results.PerTransport into)
        throws Exception
    {
        final String endpoint = endpoint(transport);
        final String script = counts.encode();
        try (ChildJvm server = ChildJvm.start(List.of("pair", transport.name(), "server", endpoint, script)))
        {
            server.expect("READY");
            try (ChildJvm client = ChildJvm.start(List.of("pair", transport.name(), "client", endpoint, script)))
            {
                final Histogram rtt = Scenarios.decode(client.expect("RTT").substring(4));
                into.rtt.add(rtt);
                into.p50PerRoundMicros.add(rtt.getValueAtPercentile(50) / 1000.0);
                if (transport.streams)
                {
                    for (int i = 0; i < Counts.SIZES.length; i++)
                    {
                        final String[] words = client.expect("STREAM").split(" ");
                        into.streamMessages[i] += Long.parseLong(words[2]);
                        into.streamNanos[i] += Long.parseLong(words[3]);
                    }
                }
                client.expect("OK");
                client.awaitExit();
            }
            server.expect("OK");
            server.awaitExit();
        }
        finally
        {
            cleanUp(transport, endpoint);
        }
    }

    private static String endpoint(final Transport transport) throws IOException
    {
        final String unique = "ipc-bench-" + ProcessHandle.current().pid() + "-" + (++endpointCounter);
        switch (transport)
        {
            case FLOOR:
                return shmDirectory().resolve(unique + ".floor").toString();
            case AERON:
                return shmDirectory().resolve(unique + "-aeron").toString();
            case UDS:
                return Files.createTempDirectory("ipc-bench-uds").resolve("s").toString();
            default:
                return unique;
        }
    }

    private static Path shmDirectory()
    {
        return Files.isDirectory(SHM) ? SHM : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static void cleanUp(final Transport transport, final String endpoint) throws IOException
    {
        if (transport == Transport.FLOOR || transport == Transport.AERON)
        {
            deleteRecursively(Path.of(endpoint));
        }
        else if (transport == Transport.UDS)
        {
            deleteRecursively(Path.of(endpoint).getParent());
        }
    }

    private static void deleteRecursively(final Path path) throws IOException
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(path))
        {
            for (final Path p : (Iterable<Path>)walk.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The many-clients scenario: one event-driven server JVM, several client JVMs opening connections in steps
     * (1, 100, all), request/response on all of them at once, then the idle server's CPU time.
     *
     * @param counts   connection and request counts.
     * @param into     where the figures go.
     * @param progress progress lines.
     * @throws Exception if a JVM fails.
     */
    static void manyClients(final Counts counts, final Results.ManyClients into, final java.io.PrintStream progress)
        throws Exception
    {
        final String name = "ipc-bench-many-" + ProcessHandle.current().pid();
        into.connections = counts.connections();
        into.clientJvms = counts.clientJvms();
        final List<ChildJvm> clients = new ArrayList<>();
        try (ChildJvm server = ChildJvm.start(List.of("many", "server", name)))
        {
            server.expect("READY");
            checkpoint(server, into, 0);
            for (int i = 0; i < counts.clientJvms(); i++)
            {
                clients.add(ChildJvm.start(List.of("many", "client", name)));
            }
            for (final ChildJvm client : clients)
            {
                client.expect("READY");
            }
            final int[] opened = new int[clients.size()];
            for (final int target : new int[] {1, Math.min(100, counts.connections()), counts.connections()})
            {
                int total = 0;
                for (final int n : opened)
                {
                    total += n;
                }
                if (target <= total)
                {
                    continue;
                }
                // Spread the connections evenly; the first client takes the lone first one.
                final int per = (target + clients.size() - 1) / clients.size();
                final boolean[] asked = new boolean[clients.size()];
                for (int c = 0; c < clients.size() && total < target; c++)
                {
                    final int more = Math.min(per - opened[c], target - total);
                    if (more > 0)
                    {
                        clients.get(c).command("OPEN " + more);
                        asked[c] = true;
                        opened[c] += more;
                        total += more;
                    }
                }
                for (int c = 0; c < clients.size(); c++)
                {
                    if (asked[c])
                    {
                        clients.get(c).expect("OPENED");
                    }
                }
                progress.println("  many clients: " + total + " connections open");
                checkpoint(server, into, total);
            }

            final long start = System.nanoTime();
            for (final ChildJvm client : clients)
            {
                client.command("RUN " + counts.requestsPerConnection());
            }
            for (final ChildJvm client : clients)
            {
                final String[] words = client.expect("RAN").split(" ");
                into.requestsCompleted += Long.parseLong(words[1]);
                into.errors += Long.parseLong(words[2]);
            }
            into.seconds = (System.nanoTime() - start) / 1e9;
            into.requestsExpected = (long)counts.connections() * counts.requestsPerConnection();
            progress.println("  many clients: " + into.requestsCompleted + " requests done; idle CPU for " +
                counts.idleSeconds() + " s");

            Thread.sleep(500);
            final Duration before = cpu(server.pid());
            final long t0 = System.nanoTime();
            Thread.sleep(counts.idleSeconds() * 1000L);
            final Duration after = cpu(server.pid());
            into.idleSeconds = (System.nanoTime() - t0) / 1e9;
            into.idleCpuSeconds = after.minus(before).toNanos() / 1e9;

            for (final ChildJvm client : clients)
            {
                client.command("EXIT");
                client.awaitExit();
            }
            server.command("EXIT");
            server.awaitExit();
        }
        finally
        {
            clients.forEach(ChildJvm::close);
        }
    }

    private static void checkpoint(final ChildJvm server, final Results.ManyClients into, final int connections)
        throws IOException
    {
        server.command("STATS");
        final String[] words = server.expect("STATS").split(" ");
        into.checkpoints.add(connections);
        into.libraryThreads.add(Integer.parseInt(words[1]));
        final List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status"));
        into.rssKib.add(statusField(status, "VmRSS:"));
        into.osThreads.add((int)statusField(status, "Threads:"));
    }

    private static long statusField(final List<String> status, final String field)
    {
        for (final String line : status)
        {
            if (line.startsWith(field))
            {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private static Duration cpu(final long pid)
    {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }
}
