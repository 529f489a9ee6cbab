package ipc.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.HdrHistogram.Histogram;

/**
 * The child roles of the sliced scenarios, each a loop over commands read from stdin, one phase per command (see
 * {@link PeerMain} for the roles). Between commands a child blocks on stdin, so an idle pair uses no CPU whatever
 * its transport's idle strategy.
 * <p>Server commands: {@code ECHO} (echo until END, then {@code DONE}), {@code SINK <size>} (receive a stream,
 * then {@code DONE <count>}), {@code CPU} ({@code CPU <nanos>}: this process's CPU time so far), {@code EXIT}.
 * <p>Client commands: {@code RTT <millis>} ({@code RTT <count> <histogram>}), {@code STREAM <size> <millis>}
 * ({@code STREAM <count> <nanos>}), {@code PACED <periodNanos> <millis>} ({@code PACED <count> <cpuNanos>
 * <histogram>}), {@code CONNECTS <count> <gapMicros>} ({@code CONNECTS <count> <whole> <connect> <rtt> <close>}),
 * {@code CPU}, {@code EXIT}. Histograms travel as Base64 of HdrHistogram's compressed encoding.
 */
final class PairPeers
{
    private PairPeers()
    {
    }

    /**
     * The accept-mode server of a pair transport: binds, prints {@code READY}, accepts one client, prints
     * {@code CONNECTED}, then serves commands.
     *
     * @param transport the pair transport.
     * @param endpoint  its endpoint.
     * @param out       where lines go.
     * @throws Exception on any failure.
     */
    static void server(final Transport transport, final String endpoint, final PrintStream out) throws Exception
    {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Link link = transport.open(endpoint, true, () -> PeerMain.line(out, "READY")))
        {
            PeerMain.line(out, "CONNECTED");
            long expected = 0;
            String command;
            while ((command = in.readLine()) != null && !"EXIT".equals(command))
            {
                final String[] words = command.split(" ");
                switch (words[0])
                {
                    case "ECHO":
                        expected = Scenarios.echo(link, expected);
                        PeerMain.line(out, "DONE");
                        break;
                    case "SINK":
                        PeerMain.line(out, "DONE " + Scenarios.sink(link, Integer.parseInt(words[1])));
                        break;
                    case "CPU":
                        PeerMain.line(out, "CPU " + ProcessCpu.nanos());
                        break;
                    default:
                        throw new IllegalArgumentException("unknown server command: command=" + command);
                }
            }
        }
    }

    /**
     * A client: connects (a pair transport's client, or a client of a serve transport's server), prints
     * {@code READY}, then serves commands.
     *
     * @param transport the transport.
     * @param endpoint  its endpoint.
     * @param out       where lines go.
     * @throws Exception on any failure.
     */
    static void client(final Transport transport, final String endpoint, final PrintStream out) throws Exception
    {
        final boolean serve = transport.isServe();
        // Only an accept-mode echo loop needs END to return to its commands; a serve-mode server would echo it.
        final boolean end = !serve;
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Link link = serve ? transport.connect(endpoint) : transport.open(endpoint, false, () -> { }))
        {
            PeerMain.line(out, "READY");
            long sequence = 0;
            String command;
            while ((command = in.readLine()) != null && !"EXIT".equals(command))
            {
                final String[] words = command.split(" ");
                switch (words[0])
                {
                    case "RTT":
                    {
                        final Histogram histogram = new Histogram(Scenarios.HIGHEST_NANOS, 3);
                        final long first = sequence;
                        sequence = Scenarios.pingPong(link, histogram, first, Long.parseLong(words[1]), end);
                        PeerMain.line(out, "RTT " + (sequence - first) + " " + Scenarios.encode(histogram));
                        break;
                    }
                    case "STREAM":
                    {
                        final long[] done = Scenarios.stream(link, Integer.parseInt(words[1]), Long.parseLong(words[2]));
                        PeerMain.line(out, "STREAM " + done[0] + " " + done[1]);
                        break;
                    }
                    case "PACED":
                    {
                        final Histogram histogram = new Histogram(Scenarios.HIGHEST_NANOS, 3);
                        final long first = sequence;
                        final long cpu0 = ProcessCpu.nanos();
                        sequence = Scenarios.paced(link, histogram, first, Long.parseLong(words[1]),
                            Long.parseLong(words[2]), end);
                        final long cpu = ProcessCpu.nanos() - cpu0;
                        PeerMain.line(out, "PACED " + (sequence - first) + " " + cpu + " " +
                            Scenarios.encode(histogram));
                        break;
                    }
                    case "CONNECTS":
                    {
                        final Histogram[] parts = new Histogram[4];
                        for (int i = 0; i < parts.length; i++)
                        {
                            parts[i] = new Histogram(Scenarios.HIGHEST_NANOS, 3);
                        }
                        final int count = Integer.parseInt(words[1]);
                        Scenarios.connects(transport, endpoint, count, Long.parseLong(words[2]) * 1000L, parts);
                        final StringBuilder line = new StringBuilder("CONNECTS ").append(count);
                        for (final Histogram part : parts)
                        {
                            line.append(' ').append(Scenarios.encode(part));
                        }
                        PeerMain.line(out, line.toString());
                        break;
                    }
                    case "CPU":
                        PeerMain.line(out, "CPU " + ProcessCpu.nanos());
                        break;
                    default:
                        throw new IllegalArgumentException("unknown client command: command=" + command);
                }
            }
        }
    }
}
