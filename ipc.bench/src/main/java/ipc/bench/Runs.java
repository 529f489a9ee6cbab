package ipc.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

/**
 * Runs the scenarios in child JVMs and adds their figures to the {@link Results}. Every transport of a scenario
 * gets its own pair of child JVMs, started once and warmed up once; then each slice runs every transport in turn
 * (the order rotated by one place per slice, {@link Stats#rotated}), one short time-capped phase each, while the
 * other pairs wait on their stdin without using the CPU.
 */
final class Runs
{
    /** Transports of the back-to-back scenarios, in their base order. */
    static final List<Transport> BACK_TO_BACK = List.of(Transport.FLOOR, Transport.OURS_SPIN, Transport.OURS_DEFAULT,
        Transport.UDS, Transport.AERON);
    /** Transports of the paced accept-mode scenario. */
    static final List<Transport> PACED = List.of(Transport.OURS_DEFAULT, Transport.OURS_FORECAST, Transport.OURS_PARK,
        Transport.OURS_SPIN, Transport.UDS, Transport.AERON_BACKOFF);
    /** Transports of the paced serve-mode scenarios. */
    static final List<Transport> SERVE_PACED = List.of(Transport.SERVE_OURS, Transport.SERVE_OURS_FORECAST,
        Transport.SERVE_UDS);
    /** Transports of the connection set-up scenario (its servers are started with {@link #SERVE_PACED}'s). */
    static final List<Transport> SERVE = List.of(Transport.SERVE_OURS, Transport.SERVE_UDS);
    /** Transports of the many-clients scenario. */
    static final List<Transport> MANY = List.of(Transport.SERVE_OURS, Transport.NIO);
    /** The many-clients scenario warms each server up for this many times {@link Counts#warmupMillis()}. */
    static final int MANY_WARMUP_FACTOR = 3;

    private static final Path SHM = Path.of("/dev/shm");
    private static int endpointCounter;

    private Runs()
    {
    }

    /** A transport's server and client JVMs. */
    private static final class Pair implements AutoCloseable
    {
        final Transport transport;
        final String endpoint;
        final boolean serve;
        ChildJvm server;
        ChildJvm client;

        Pair(final Transport transport, final boolean serve) throws IOException
        {
            this.transport = transport;
            this.serve = serve;
            this.endpoint = endpoint(transport);
        }

        /**
         * Starts every pair's server, then every client, and waits until all are connected.
         *
         * @param transports the transports.
         * @param serve      whether they are serve transports ({@link ServePeers}) rather than accept-mode pairs.
         * @return the pairs, in the same order.
         * @throws Exception if a JVM fails.
         */
        static List<Pair> startAll(final List<Transport> transports, final boolean serve) throws Exception
        {
            final List<Pair> pairs = new ArrayList<>();
            try
            {
                final String role = serve ? "serve" : "pair";
                for (final Transport transport : transports)
                {
                    final Pair pair = new Pair(transport, serve);
                    pairs.add(pair);
                    pair.server = ChildJvm.start(transport.jvmFlags(), List.of(role, transport.name(), "server",
                        pair.endpoint));
                }
                for (final Pair pair : pairs)
                {
                    pair.server.expect("READY");
                    pair.client = ChildJvm.start(pair.transport.jvmFlags(), List.of(role, pair.transport.name(), "client",
                        pair.endpoint));
                }
                for (final Pair pair : pairs)
                {
                    pair.client.expect("READY");
                    if (!serve)
                    {
                        pair.server.expect("CONNECTED");
                    }
                }
                return pairs;
            }
            catch (final Exception ex)
            {
                pairs.forEach(Pair::close);
                throw ex;
            }
        }

        Histogram rtt(final long millis) throws Exception
        {
            if (!serve)
            {
                server.command("ECHO");
            }
            client.command("RTT " + millis);
            final String[] words = client.expect("RTT").split(" ");
            if (!serve)
            {
                server.expect("DONE");
            }
            return Scenarios.decode(words[2]);
        }

        /** One timed stream: {messages, nanoseconds}. */
        long[] stream(final int size, final long millis) throws Exception
        {
            server.command("SINK " + size);
            client.command("STREAM " + size + " " + millis);
            final String[] words = client.expect("STREAM").split(" ");
            final long received = Long.parseLong(server.expect("DONE").split(" ")[1]);
            final long sent = Long.parseLong(words[1]);
            if (received != sent)
            {
                throw new IllegalStateException("stream counts differ: sent=" + sent + " received=" + received);
            }
            return new long[] {sent, Long.parseLong(words[2])};
        }

        /** One paced phase; adds the slice's figures to the series unless it is a warm-up. */
        void paced(final long periodNanos, final long millis, final Results.Series into) throws Exception
        {
            final long serverCpu0 = cpu(server);
            if (!serve)
            {
                server.command("ECHO");
            }
            client.command("PACED " + periodNanos + " " + millis);
            final String[] words = client.expect("PACED").split(" ");
            if (!serve)
            {
                server.expect("DONE");
            }
            final long serverCpu = cpu(server) - serverCpu0;
            if (null == into)
            {
                return;
            }
            final long requests = Long.parseLong(words[1]);
            final long clientCpu = Long.parseLong(words[2]);
            final Histogram histogram = Scenarios.decode(words[3]);
            addPercentiles(into, histogram);
            into.add(Results.CPU, requests == 0 || serverCpu < 0 || clientCpu < 0 ? Double.NaN :
                (serverCpu + clientCpu) / 1e6 / requests * 1000);
            into.count += requests;
        }

        /** One slice of connection set-ups; adds its figures to the series unless it is a warm-up. */
        void connects(final int count, final int gapMicros, final Results.Series into) throws Exception
        {
            client.command("CONNECTS " + count + " " + gapMicros);
            final String[] words = client.expect("CONNECTS").split(" ");
            if (null == into)
            {
                return;
            }
            final Histogram whole = Scenarios.decode(words[2]);
            into.histogram.add(whole);
            into.add(Results.P50, whole.getValueAtPercentile(50) / 1000.0);
            final String[] names = {Results.CONNECT_P50, Results.FIRST_RTT_P50, Results.CLOSE_P50};
            for (int i = 0; i < names.length; i++)
            {
                final Histogram part = Scenarios.decode(words[3 + i]);
                into.parts.computeIfAbsent(names[i].replace(" p50", ""), n -> new Histogram(Scenarios.HIGHEST_NANOS, 3))
                    .add(part);
                into.add(names[i], part.getValueAtPercentile(50) / 1000.0);
            }
            into.count += count;
        }

        private static long cpu(final ChildJvm child) throws IOException
        {
            child.command("CPU");
            return Long.parseLong(child.expect("CPU").split(" ")[1]);
        }

        /** Ends both JVMs cleanly; a JVM that fails to is a failure of the run. */
        void exit() throws Exception
        {
            for (final ChildJvm child : new ChildJvm[] {client, server})
            {
                child.command("EXIT");
                child.awaitExit();
            }
        }

        /** Ends whatever still runs (at once: on a failure a child may never read EXIT) and removes the endpoint. */
        @Override
        public void close()
        {
            for (final ChildJvm child : new ChildJvm[] {client, server})
            {
                if (null != child)
                {
                    child.close();
                }
            }
            try
            {
                cleanUp(transport, endpoint);
            }
            catch (final IOException ex)
            {
                // Leftovers in a temporary directory; the run's figures stand.
            }
        }
    }

    private static void exitAll(final List<Pair> pairs) throws Exception
    {
        for (final Pair pair : pairs)
        {
            pair.exit();
        }
    }

    private static void addPercentiles(final Results.Series into, final Histogram histogram)
    {
        into.histogram.add(histogram);
        final boolean empty = histogram.getTotalCount() == 0;
        into.add(Results.P50, empty ? Double.NaN : histogram.getValueAtPercentile(50) / 1000.0);
        into.add(Results.P90, empty ? Double.NaN : histogram.getValueAtPercentile(90) / 1000.0);
        into.add(Results.P99, empty ? Double.NaN : histogram.getValueAtPercentile(99) / 1000.0);
    }

    /**
     * Back-to-back ping-pong (all five transports) and one-way streams of 64 B, 1 KiB and 64 KiB (all but the
     * floor), {@link Counts#slices()} slices of {@link Counts#sliceMillis()} per transport and scenario.
     *
     * @param counts   the run's shape.
     * @param results  where the figures go.
     * @param progress progress lines.
     * @throws Exception if a JVM fails.
     */
    static void backToBack(final Counts counts, final Results results, final PrintStream progress) throws Exception
    {
        final String slicing = counts.slices() + " slices x " + counts.sliceMillis() + " ms";
        final Results.Scenario rtt = results.add(Results.RTT, "RTT 64 B, back-to-back ping-pong (" + slicing + ")",
            BACK_TO_BACK);
        final List<Transport> streaming = BACK_TO_BACK.subList(1, BACK_TO_BACK.size());
        final List<Results.Scenario> streams = new ArrayList<>();
        for (final int size : Counts.SIZES)
        {
            streams.add(results.add(Results.stream(size), "stream " + Report.sizeLabel(size) + " (" + slicing + ")",
                streaming));
        }
        final List<Pair> pairs = Pair.startAll(BACK_TO_BACK, false);
        try
        {
            progress.println("[back-to-back] warm-up: " + counts.warmupMillis() + " ms per transport and scenario");
            for (final Pair pair : pairs)
            {
                pair.rtt(counts.warmupMillis());
                if (pair.transport != Transport.FLOOR)
                {
                    for (final int size : Counts.SIZES)
                    {
                        pair.stream(size, counts.warmupMillis());
                    }
                }
            }
            // Slice -1 is one unrecorded round of slices: the first slice after the warm-ups should not differ.
            for (int slice = -1; slice < counts.slices(); slice++)
            {
                final long t0 = System.nanoTime();
                final boolean record = slice >= 0;
                for (final Pair pair : Stats.rotated(pairs, Math.max(slice, 0)))
                {
                    final Histogram histogram = pair.rtt(counts.sliceMillis());
                    if (record)
                    {
                        addPercentiles(rtt.of(pair.transport), histogram);
                        rtt.of(pair.transport).count += histogram.getTotalCount();
                    }
                }
                for (int i = 0; i < Counts.SIZES.length; i++)
                {
                    for (final Pair pair : Stats.rotated(pairs.subList(1, pairs.size()), Math.max(slice, 0)))
                    {
                        final long[] done = pair.stream(Counts.SIZES[i], counts.sliceMillis());
                        if (record)
                        {
                            final Results.Series series = streams.get(i).of(pair.transport);
                            series.add(Results.MSGS, done[0] * 1e9 / done[1]);
                            series.count += done[0];
                        }
                    }
                }
                if (record)
                {
                    rtt.slices++;
                    streams.forEach(s -> s.slices++);
                    progress.printf("[back-to-back %d/%d] floor p50 %s us, RTT p50 %s us (%.1f s)%n", slice + 1,
                        counts.slices(), Report.micros(last(rtt.of(Transport.FLOOR).slices(Results.P50))),
                        lastOf(rtt, streaming, Results.P50), (System.nanoTime() - t0) / 1e9);
                }
            }
            exitAll(pairs);
        }
        finally
        {
            pairs.forEach(Pair::close);
        }
    }

    /**
     * Paced request/response against an accept-mode echo server (issue 15): a 64-byte request at each pace of
     * {@code paces}, {@link Counts#pacedSlices()} slices per pace.
     *
     * @param counts   the run's shape.
     * @param paces    request periods in microseconds ({@link Counts#PACES_MICROS} by default).
     * @param results  where the figures go.
     * @param progress progress lines.
     * @throws Exception if a JVM fails.
     */
    static void paced(final Counts counts, final int[] paces, final Results results, final PrintStream progress)
        throws Exception
    {
        final List<Pair> pairs = Pair.startAll(PACED, false);
        try
        {
            warmUp(pairs, counts, progress, "paced");
            for (final int micros : paces)
            {
                final Results.Scenario scenario = results.add(Results.paced(micros), "paced " + paceLabel(micros) +
                    ", accept mode (" + counts.pacedSlices() + " slices x " + counts.pacedSliceMillis() + " ms)", PACED);
                pacedSlices(pairs, scenario, micros, counts, progress);
            }
            exitAll(pairs);
        }
        finally
        {
            pairs.forEach(Pair::close);
        }
    }

    /**
     * Paced request/response against event-driven echo servers (issue 16), then connection set-up, with the same
     * servers: ours ({@code serve}, default options) and a blocking socket server with a thread per connection.
     *
     * @param counts   the run's shape.
     * @param paces    request periods of the paced part in microseconds ({@link Counts#SERVE_PACES_MICROS} by
     *                 default).
     * @param results  where the figures go.
     * @param paced    whether to run the paced part.
     * @param connect  whether to run the connection set-up part.
     * @param progress progress lines.
     * @throws Exception if a JVM fails.
     */
    static void serve(final Counts counts, final int[] paces, final Results results, final boolean paced,
        final boolean connect, final PrintStream progress) throws Exception
    {
        final List<Pair> pairs = Pair.startAll(paced ? SERVE_PACED : SERVE, true);
        try
        {
            if (paced)
            {
                warmUp(pairs, counts, progress, "serve");
                for (final int micros : paces)
                {
                    final Results.Scenario scenario = results.add(Results.serve(micros), "paced " +
                        paceLabel(micros) + ", serve mode (" + counts.pacedSlices() + " slices x " +
                        counts.pacedSliceMillis() + " ms)", SERVE_PACED);
                    pacedSlices(pairs, scenario, micros, counts, progress);
                }
            }
            if (connect)
            {
                final List<Pair> connecting = new ArrayList<>();
                for (final Pair pair : pairs)
                {
                    if (SERVE.contains(pair.transport))
                    {
                        connecting.add(pair);
                    }
                }
                final Results.Scenario scenario = results.add(Results.CONNECT, "connect + 64 B round trip + close (" +
                    counts.connectSlices() + " slices x " + counts.connectsPerSlice() + ", " +
                    counts.connectGapMicros() + " us apart)", SERVE);
                for (final Pair pair : connecting)
                {
                    pair.connects(counts.connectsPerSlice(), counts.connectGapMicros(), null);
                }
                for (int slice = 0; slice < counts.connectSlices(); slice++)
                {
                    for (final Pair pair : Stats.rotated(connecting, slice))
                    {
                        pair.connects(counts.connectsPerSlice(), counts.connectGapMicros(), scenario.of(pair.transport));
                    }
                    scenario.slices++;
                    progress.printf("[connect %d/%d] p50 %s us%n", slice + 1, counts.connectSlices(),
                        lastOf(scenario, SERVE, Results.P50));
                }
            }
            exitAll(pairs);
        }
        finally
        {
            pairs.forEach(Pair::close);
        }
    }

    private static void warmUp(final List<Pair> pairs, final Counts counts, final PrintStream progress,
        final String name) throws Exception
    {
        progress.println("[" + name + "] warm-up: " + counts.warmupMillis() + " ms of ping-pong per transport");
        for (final Pair pair : pairs)
        {
            pair.rtt(counts.warmupMillis());
        }
    }

    private static void pacedSlices(final List<Pair> pairs, final Results.Scenario scenario, final int micros,
        final Counts counts, final PrintStream progress) throws Exception
    {
        // One unrecorded slice per transport first: the wait path settles into this pace.
        for (final Pair pair : pairs)
        {
            pair.paced(micros * 1000L, counts.pacedSliceMillis(), null);
        }
        for (int slice = 0; slice < counts.pacedSlices(); slice++)
        {
            for (final Pair pair : Stats.rotated(pairs, slice))
            {
                pair.paced(micros * 1000L, counts.pacedSliceMillis(), scenario.of(pair.transport));
            }
            scenario.slices++;
            progress.printf("[%s %d/%d] RTT p50 %s us%n", scenario.key, slice + 1, counts.pacedSlices(),
                lastOf(scenario, scenario.transports, Results.P50));
        }
    }

    static String paceLabel(final int micros)
    {
        return Report.hertz(micros) + " (every " + (micros >= 1000 ? Report.trim(micros / 1000.0) + " ms" :
            micros + " us") + ")";
    }

    private static double last(final List<Double> values)
    {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }

    private static String lastOf(final Results.Scenario scenario, final List<Transport> transports,
        final String metric)
    {
        final StringBuilder text = new StringBuilder();
        for (final Transport transport : transports)
        {
            text.append(text.length() == 0 ? "" : ", ").append(transport.label).append(' ')
                .append(Report.micros(last(scenario.of(transport).slices(metric))));
        }
        return text.toString();
    }

    private static String endpoint(final Transport transport) throws IOException
    {
        final String unique = "ipc-bench-" + ProcessHandle.current().pid() + "-" + (++endpointCounter);
        switch (transport)
        {
            case FLOOR:
                return shmDirectory().resolve(unique + ".floor").toString();
            case AERON:
            case AERON_BACKOFF:
                return shmDirectory().resolve(unique + "-aeron").toString();
            case UDS:
            case SERVE_UDS:
            case NIO:
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
        if (transport == Transport.FLOOR || transport == Transport.AERON || transport == Transport.AERON_BACKOFF)
        {
            deleteRecursively(Path.of(endpoint));
        }
        else if (transport == Transport.UDS || transport == Transport.SERVE_UDS || transport == Transport.NIO)
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
     * The many-clients scenario: our event-driven server and a one-thread NIO socket server, each in its own JVM;
     * client JVMs open connections to ours in steps (1, 100, all; the steps' time is the connect phase), then as
     * many to the socket server; then slices of request/response on all connections, ours and the sockets in
     * turn; then our idle server's CPU time.
     *
     * @param counts   connection and request counts.
     * @param results  where the figures go.
     * @param progress progress lines.
     * @throws Exception if a JVM fails.
     */
    static void manyClients(final Counts counts, final Results results, final PrintStream progress)
        throws Exception
    {
        final Results.ManyClients into = new Results.ManyClients();
        results.many = into;
        final Results.Scenario scenario = results.add(Results.MANY, counts.connections() + " clients' request/response (" +
            counts.manySlices() + " slices x " + counts.requestsPerSlice() + " requests per connection)", MANY);
        final String name = "ipc-bench-many-" + ProcessHandle.current().pid() + "-" + (++endpointCounter);
        final String socket = endpoint(Transport.NIO);
        into.connections = counts.connections();
        into.clientJvms = counts.clientJvms();
        final List<ChildJvm> clients = new ArrayList<>();
        try (ChildJvm server = ChildJvm.start(List.of("many", "server", name));
            ChildJvm nio = ChildJvm.start(List.of("many", "nio", socket)))
        {
            server.expect("READY");
            nio.expect("READY");
            checkpoint(server, into, 0);
            for (int i = 0; i < counts.clientJvms(); i++)
            {
                clients.add(ChildJvm.start(List.of("many", "client", name, socket)));
            }
            for (final ChildJvm client : clients)
            {
                client.expect("READY");
            }
            final int[] opened = new int[clients.size()];
            long connectNanos = 0;
            int total = 0;
            for (final int target : new int[] {1, Math.min(100, counts.connections()), counts.connections()})
            {
                if (target > total)
                {
                    final long t0 = System.nanoTime();
                    total = open(clients, opened, target, "ours");
                    final long stepNanos = System.nanoTime() - t0;
                    connectNanos += stepNanos;
                    progress.printf("  many clients: %d connections open (this step %.3f s)%n", total, stepNanos / 1e9);
                    checkpoint(server, into, total);
                }
            }
            into.side(Transport.SERVE_OURS).connectSeconds = connectNanos / 1e9;
            final long t0 = System.nanoTime();
            open(clients, new int[clients.size()], counts.connections(), "uds");
            into.side(Transport.NIO).connectSeconds = (System.nanoTime() - t0) / 1e9;
            progress.printf("  many clients: connect phase %.3f s ours, %.3f s sockets%n",
                into.side(Transport.SERVE_OURS).connectSeconds, into.side(Transport.NIO).connectSeconds);

            // Untimed slices first, taking turns, until each server has run for the warm-up time, so that neither is
            // timed while its JIT compiles (five JVMs share two vCPUs here: a client's requests/s kept rising for
            // 2-3 s after the connect phase, from 20k to 500k+ a second, measured with a probe outside the tool);
            // their requests count for loss all the same.
            final long warmupNanos = MANY_WARMUP_FACTOR * counts.warmupMillis() * 1_000_000L;
            final long[] warmedNanos = new long[MANY.size()];
            final int[] warmupSlices = new int[MANY.size()];
            int turn = 0;
            while (Arrays.stream(warmupSlices).min().orElse(0) == 0 ||
                Arrays.stream(warmedNanos).min().orElse(0) < warmupNanos)
            {
                final int index = turn++ % MANY.size();
                if (warmupSlices[index] > 0 && warmedNanos[index] >= warmupNanos)
                {
                    continue;
                }
                final Transport transport = MANY.get(index);
                final long[] done = runSlice(clients, transport, counts.requestsPerSlice());
                final Results.ManyClients.Side side = into.side(transport);
                side.requestsCompleted += done[0];
                side.errors += done[1];
                side.requestsExpected += (long)counts.connections() * counts.requestsPerSlice();
                warmedNanos[index] += done[2];
                warmupSlices[index]++;
            }
            progress.printf("  many clients: warm-up, untimed slices: %s%n", Arrays.toString(warmupSlices));
            for (int slice = 0; slice < counts.manySlices(); slice++)
            {
                for (final Transport transport : Stats.rotated(MANY, slice))
                {
                    final long[] done = runSlice(clients, transport, counts.requestsPerSlice());
                    final Results.ManyClients.Side side = into.side(transport);
                    side.requestsCompleted += done[0];
                    side.errors += done[1];
                    side.requestsExpected += (long)counts.connections() * counts.requestsPerSlice();
                    scenario.of(transport).add(Results.REQUESTS, done[0] * 1e9 / done[2]);
                    scenario.of(transport).count += done[0];
                }
                scenario.slices++;
                progress.printf("[many %d/%d] requests/s ours %s, sockets %s%n", slice + 1, counts.manySlices(),
                    Report.rate(last(scenario.of(Transport.SERVE_OURS).slices(Results.REQUESTS))),
                    Report.rate(last(scenario.of(Transport.NIO).slices(Results.REQUESTS))));
            }
            for (final Transport transport : MANY)
            {
                final ChildJvm child = transport == Transport.NIO ? nio : server;
                child.command("STATS");
                into.side(transport).libraryThreads = Integer.parseInt(child.expect("STATS").split(" ")[1]);
                into.side(transport).jvmThreads = (int)statusField(
                    Files.readAllLines(Path.of("/proc", Long.toString(child.pid()), "status")), "Threads:");
            }
            progress.println("  many clients: idle CPU for " + counts.idleSeconds() + " s");
            Thread.sleep(500);
            final Duration before = cpu(server.pid());
            final long idle0 = System.nanoTime();
            Thread.sleep(counts.idleSeconds() * 1000L);
            final Duration after = cpu(server.pid());
            into.idleSeconds = (System.nanoTime() - idle0) / 1e9;
            into.idleCpuSeconds = after.minus(before).toNanos() / 1e9;

            for (final ChildJvm client : clients)
            {
                client.command("EXIT");
                client.awaitExit();
            }
            server.command("EXIT");
            server.awaitExit();
            nio.command("EXIT");
            nio.awaitExit();
        }
        finally
        {
            clients.forEach(ChildJvm::close);
            cleanUp(Transport.NIO, socket);
        }
    }

    /** Request/response on every connection to one server: {completed, errors, nanoseconds of the parent's clock}. */
    private static long[] runSlice(final List<ChildJvm> clients, final Transport transport, final int requests)
        throws IOException
    {
        final String which = transport == Transport.NIO ? "uds" : "ours";
        final long start = System.nanoTime();
        for (final ChildJvm client : clients)
        {
            client.command("RUN " + which + " " + requests);
        }
        long completed = 0;
        long errors = 0;
        for (final ChildJvm client : clients)
        {
            final String[] words = client.expect("RAN").split(" ");
            completed += Long.parseLong(words[1]);
            errors += Long.parseLong(words[2]);
        }
        return new long[] {completed, errors, System.nanoTime() - start};
    }

    /** Spreads connections evenly over the client JVMs until {@code target} are open; the first takes a lone one. */
    private static int open(final List<ChildJvm> clients, final int[] opened, final int target, final String which)
        throws IOException
    {
        int total = 0;
        for (final int n : opened)
        {
            total += n;
        }
        if (target <= total)
        {
            return total;
        }
        final int per = (target + clients.size() - 1) / clients.size();
        final boolean[] asked = new boolean[clients.size()];
        for (int c = 0; c < clients.size() && total < target; c++)
        {
            final int more = Math.min(per - opened[c], target - total);
            if (more > 0)
            {
                clients.get(c).command("OPEN " + which + " " + more);
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
        return total;
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
