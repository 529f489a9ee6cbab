package ipc.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark tool. With no arguments: every transport in {@link Transport} runs ping-pong and streaming in
 * {@link Counts#FULL} rounds, interleaved round by round (floor, ours busy-spin, ours default, UDS, Aeron, then
 * again), each in a fresh pair of child JVMs with the same flags; then the many-clients scenario; then one table.
 * <pre>
 * java -jar ipc-bench.jar [--quick | --tiny] [--html FILE] [--json [FILE]]
 * </pre>
 * The parent JVM never touches Aeron, so {@code java -jar} needs no extra flags: the children get them.
 */
public final class BenchMain
{
    private BenchMain()
    {
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out));
    }

    /**
     * Runs the tool.
     *
     * @param args see the class comment.
     * @param out  where progress and the table go.
     * @return 0 on success, 1 on a failure, 2 on bad arguments.
     */
    public static int run(final String[] args, final PrintStream out)
    {
        Counts counts = Counts.FULL;
        Path html = Path.of("ipc-bench-report.html");
        Path json = null;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    counts = Counts.QUICK;
                    break;
                case "--tiny":
                    counts = Counts.TINY;
                    break;
                case "--html":
                    html = Path.of(args[++i]);
                    break;
                case "--json":
                    json = i + 1 < args.length && !args[i + 1].startsWith("--") ? Path.of(args[++i]) :
                        Path.of("ipc-bench-report.json");
                    break;
                default:
                    out.println("usage: java -jar ipc-bench.jar [--quick | --tiny] [--html FILE] [--json [FILE]]");
                    return 2;
            }
        }
        try
        {
            final Results results = measure(counts, out);
            final String table = Report.table(results);
            out.println();
            out.println(results.machine);
            out.print(table);
            Files.writeString(html, HtmlReport.render(results, table), StandardCharsets.UTF_8);
            out.println("HTML report: " + html.toAbsolutePath());
            if (null != json)
            {
                Files.writeString(json, Report.json(results), StandardCharsets.UTF_8);
                out.println("JSON figures: " + json.toAbsolutePath());
            }
            return 0;
        }
        catch (final Exception ex)
        {
            ex.printStackTrace(out);
            return 1;
        }
    }

    static Results measure(final Counts counts, final PrintStream out) throws Exception
    {
        final long start = System.nanoTime();
        final Results results = new Results(counts, Machine.describe());
        out.println("ipc.bench " + counts.name() + ": " + counts.rounds() + " rounds x " + Transport.values().length +
            " transports; " + counts.rttTotal() + " round trips and " + counts.streamTotal(0) + "/" +
            counts.streamTotal(1) + "/" + counts.streamTotal(2) + " streamed messages per transport");
        for (int round = 1; round <= counts.rounds(); round++)
        {
            for (final Transport transport : Transport.values())
            {
                out.printf("[round %d/%d] %-15s ... ", round, counts.rounds(), transport.label);
                out.flush();
                final long t0 = System.nanoTime();
                Runs.pair(transport, counts, results.of(transport));
                final List<Double> p50s = results.of(transport).p50PerRoundMicros;
                out.printf("RTT p50 %s us (%.1f s)%n", Report.micros(p50s.get(p50s.size() - 1)),
                    (System.nanoTime() - t0) / 1e9);
            }
        }
        out.println("[many clients] " + counts.connections() + " connections from " + counts.clientJvms() + " JVMs");
        Runs.manyClients(counts, results.many, out);
        results.totalSeconds = (System.nanoTime() - start) / 1e9;
        out.printf("done in %.0f s%n", results.totalSeconds);
        return results;
    }

    /** Describes the machine in one line. */
    static final class Machine
    {
        private Machine()
        {
        }

        static String describe()
        {
            String cpu = System.getProperty("os.arch");
            try
            {
                for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                {
                    if (line.startsWith("model name"))
                    {
                        cpu = line.substring(line.indexOf(':') + 1).trim();
                        break;
                    }
                }
            }
            catch (final IOException ex)
            {
                // Not Linux: the architecture will do.
            }
            return "machine: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " +
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
                System.getProperty("os.arch") + ", " + System.getProperty("java.vm.name") + " " +
                System.getProperty("java.runtime.version");
        }
    }
}
