package ipc.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark tool. With no arguments it runs every scenario in {@link Counts#FULL} shape: back-to-back
 * ping-pong and streams, paced request/response in accept mode, paced request/response against event-driven
 * servers, connection set-up, and many clients; each scenario in slices, every transport once per slice in a
 * rotated order, each transport in its own pair of child JVMs; then one table of per-slice medians, per-slice
 * ratios and goals.
 * <pre>
 * java -jar ipc-bench.jar [--quick | --tiny] [--only SCENARIO[,SCENARIO...]] [--slices N] [--slice-millis N]
 *                         [--paces MICROS[,MICROS...]] [--html FILE] [--json [FILE]]
 * java -jar ipc-bench.jar --compare A.json B.json [C.json ...]
 * </pre>
 * The parent JVM never touches Aeron, so {@code java -jar} needs no extra flags: the children get them.
 */
public final class BenchMain
{
    /** The scenarios {@code --only} accepts, in the order a run takes them. */
    static final List<String> SCENARIOS = List.of("backtoback", "paced", "serve", "connect", "many");
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: java -jar ipc-bench.jar [--quick | --tiny] [--only SCENARIO[,SCENARIO...]] [--slices N]",
        "                               [--slice-millis N] [--paces MICROS[,MICROS...]] [--html FILE] [--json [FILE]]",
        "  (no option)     full run: 40 slices x 250 ms back-to-back, 20 x 500 ms per pace; about 9 minutes",
        "  --quick         10 slices back-to-back, 6 per pace; about 2.5 minutes",
        "  --tiny          the unit test's shape: seconds of measuring, for checking the tool works",
        "  --only LIST     run only these scenarios: " + String.join(", ", SCENARIOS),
        "                  backtoback: RTT ping-pong and 64 B / 1 KiB / 64 KiB streams, floor, ours busy-spin and",
        "                              default, JDK UDS, Aeron IPC",
        "                  paced:      64 B request every 5 ms, 1 ms, 100 us, accept mode: ours default, ours",
        "                              default with -Dipc.wait.forecast=true, PARK, busy-spin, JDK UDS, Aeron",
        "                              IPC back-off; p50/p90/p99, CPU per 1000",
        "                  serve:      the same at 5 ms and 1 ms against IpcServer.serve(echo), the same with",
        "                              -Dipc.wait.forecast=true, and a blocking UDS echo server with one thread",
        "                              per connection",
        "                  connect:    connect + one 64 B round trip + close against those two servers",
        "                  many:       1000 clients' request/response, ours (serve) and a JDK NIO selector server",
        "  --slices N      slices of every sliced scenario (overrides the mode's)",
        "  --slice-millis N  length of a back-to-back and of a paced slice (overrides the mode's)",
        "  --paces LIST    request periods in microseconds of paced and serve, e.g. 5000,1000 (default:",
        "                  paced 5000,1000,100; serve 5000,1000)",
        "  --html FILE     HTML report (default ipc-bench-report.html)",
        "  --json [FILE]   JSON figures (default ipc-bench-report.json)",
        "  --compare A.json B.json ...  no run: every ratio's median in each report, the median of those and the",
        "                  largest deviation from it (issue 12: within 15 %), and every goal's verdict per report");

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
     * @return 0 on success, 1 on a failure, 2 on bad arguments or {@code --help}.
     */
    public static int run(final String[] args, final PrintStream out)
    {
        Counts counts = Counts.FULL;
        Path html = Path.of("ipc-bench-report.html");
        Path json = null;
        Set<String> only = new LinkedHashSet<>(SCENARIOS);
        int slices = 0;
        int sliceMillis = 0;
        int[] paces = Counts.PACES_MICROS;
        int[] servePaces = Counts.SERVE_PACES_MICROS;
        List<Path> compare = null;
        try
        {
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
                    case "--compare":
                        final List<Path> files = new ArrayList<>();
                        for (i++; i < args.length; i++)
                        {
                            files.add(Path.of(args[i]));
                        }
                        if (files.size() < 2)
                        {
                            throw new IllegalArgumentException("--compare needs two or more JSON reports: files=" +
                                files);
                        }
                        compare = files;
                        break;
                    case "--only":
                        only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                        if (!SCENARIOS.containsAll(only))
                        {
                            throw new IllegalArgumentException("unknown scenario: only=" + only);
                        }
                        break;
                    case "--slices":
                        slices = positive(args[++i]);
                        break;
                    case "--slice-millis":
                        sliceMillis = positive(args[++i]);
                        break;
                    case "--paces":
                        paces = Arrays.stream(args[++i].split(",")).mapToInt(BenchMain::positive).toArray();
                        servePaces = paces;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option: " + args[i]);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            out.println(args.length == 1 && ("--help".equals(args[0]) || "-h".equals(args[0])) ? "" :
                "bad arguments: " + ex.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (null != compare)
        {
            try
            {
                Compare.run(compare, out);
                return 0;
            }
            catch (final Exception ex)
            {
                ex.printStackTrace(out);
                return 1;
            }
        }
        try
        {
            final Results results = measure(counts.with(slices, sliceMillis), only, paces, servePaces, out);
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

    private static int positive(final String text)
    {
        final int value = Integer.parseInt(text);
        if (value <= 0)
        {
            throw new IllegalArgumentException("must be positive: value=" + text);
        }
        return value;
    }

    static Results measure(final Counts counts, final Set<String> only, final int[] paces, final int[] servePaces,
        final PrintStream out) throws Exception
    {
        final long start = System.nanoTime();
        final Results results = new Results(counts, Machine.describe());
        out.println("ipc.bench " + counts.name() + ": " + String.join(", ", only) + "; " + counts.slices() +
            " slices x " + counts.sliceMillis() + " ms back-to-back, " + counts.pacedSlices() + " x " +
            counts.pacedSliceMillis() + " ms per pace; child JVMs on " + System.getProperty("java.home"));
        if (only.contains("backtoback"))
        {
            Runs.backToBack(counts, results, out);
        }
        if (only.contains("paced"))
        {
            Runs.paced(counts, paces, results, out);
        }
        if (only.contains("serve") || only.contains("connect"))
        {
            Runs.serve(counts, servePaces, results, only.contains("serve"), only.contains("connect"), out);
        }
        if (only.contains("many"))
        {
            out.println("[many clients] " + counts.connections() + " connections per server from " +
                counts.clientJvms() + " JVMs");
            Runs.manyClients(counts, results, out);
        }
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
