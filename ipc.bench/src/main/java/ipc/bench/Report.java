package ipc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * The text table and the JSON of a run. Both are built from the same {@link #ratios} and {@link #goals}, so they
 * always agree: figures per transport (medians of per-slice figures with their quartiles, and the pooled
 * round-trip percentiles), then every comparison as the median of per-slice ratios, then the goals, each judged
 * on such a median.
 */
final class Report
{
    private static final String NONE = "-";
    /** Where the CPU figures come from, as the table and the JSON say. */
    static final String CPU_SOURCE = "the server's and the client's JVM, each reading its own process CPU time " +
        "(all threads, including JIT, GC and Aeron's embedded driver) around the slice, with " + ProcessCpu.source();

    private Report()
    {
    }

    /**
     * One comparison: slice by slice, a figure of one transport over (or minus) the same figure of another.
     *
     * @param scenario   the scenario's key.
     * @param name       what is compared, as printed.
     * @param numerator  the transport compared.
     * @param reference  the transport it is compared with.
     * @param metric     the per-slice metric.
     * @param difference true for numerator minus reference instead of numerator over reference.
     * @param perSlice   the per-slice ratios (or differences).
     * @param spread     their median and quartiles.
     */
    record Ratio(String scenario, String name, Transport numerator, Transport reference, String metric,
        boolean difference, List<Double> perSlice, Stats.Spread spread)
    {
    }

    /** One goal of the issues, judged on the median of per-slice ratios. */
    record Goal(String name, String detail, boolean met)
    {
    }

    /**
     * Every comparison the run allows, in table order; those of scenarios that did not run are left out.
     *
     * @param results the run.
     * @return the comparisons.
     */
    static List<Ratio> ratios(final Results results)
    {
        final List<Ratio> ratios = new ArrayList<>();
        add(ratios, results, Results.RTT, Results.P50, Transport.OURS_SPIN, Transport.AERON);
        add(ratios, results, Results.RTT, Results.P50, Transport.OURS_SPIN, Transport.FLOOR);
        add(ratios, results, Results.RTT, Results.P50, Transport.OURS_DEFAULT, Transport.OURS_SPIN);
        add(ratios, results, Results.RTT, Results.P50, Transport.OURS_DEFAULT, Transport.UDS);
        for (final int size : Counts.SIZES)
        {
            final String key = Results.stream(size);
            add(ratios, results, key, Results.MSGS, Transport.OURS_SPIN, Transport.AERON);
            add(ratios, results, key, Results.MSGS, Transport.OURS_DEFAULT, Transport.AERON);
            add(ratios, results, key, Results.MSGS, Transport.OURS_DEFAULT, Transport.UDS);
            add(ratios, results, key, Results.MSGS, Transport.OURS_SPIN, Transport.OURS_DEFAULT);
        }
        for (final String key : keys(results, "paced "))
        {
            for (final Transport ours : List.of(Transport.OURS_DEFAULT, Transport.OURS_FORECAST, Transport.OURS_PARK,
                Transport.OURS_SPIN))
            {
                add(ratios, results, key, Results.P50, ours, Transport.UDS);
                add(ratios, results, key, Results.P99, ours, Transport.UDS);
            }
            add(ratios, results, key, Results.P50, Transport.OURS_DEFAULT, Transport.AERON_BACKOFF);
            addDifference(ratios, results, key, Results.CPU, Transport.OURS_DEFAULT, Transport.UDS);
            addDifference(ratios, results, key, Results.CPU, Transport.OURS_FORECAST, Transport.UDS);
            addDifference(ratios, results, key, Results.CPU, Transport.OURS_PARK, Transport.UDS);
        }
        for (final String key : keys(results, "serve "))
        {
            for (final Transport ours : List.of(Transport.SERVE_OURS, Transport.SERVE_OURS_FORECAST))
            {
                add(ratios, results, key, Results.P50, ours, Transport.SERVE_UDS);
                add(ratios, results, key, Results.P99, ours, Transport.SERVE_UDS);
                addDifference(ratios, results, key, Results.CPU, ours, Transport.SERVE_UDS);
            }
        }
        add(ratios, results, Results.CONNECT, Results.P50, Transport.SERVE_OURS, Transport.SERVE_UDS);
        add(ratios, results, Results.MANY, Results.REQUESTS, Transport.SERVE_OURS, Transport.NIO);
        return ratios;
    }

    /** The keys of the scenarios that ran whose key starts with the prefix, in the order they ran. */
    private static List<String> keys(final Results results, final String prefix)
    {
        final List<String> keys = new ArrayList<>();
        for (final String key : results.scenarios.keySet())
        {
            if (key.startsWith(prefix))
            {
                keys.add(key);
            }
        }
        return keys;
    }

    private static void add(final List<Ratio> ratios, final Results results, final String key, final String metric,
        final Transport numerator, final Transport reference)
    {
        final Results.Scenario scenario = results.scenario(key);
        if (null != scenario)
        {
            final List<Double> perSlice = Stats.ratios(scenario.of(numerator).slices(metric),
                scenario.of(reference).slices(metric));
            ratios.add(new Ratio(key, label(key) + " " + metric + " " + numerator.label + " / " + reference.label,
                numerator, reference, metric, false, perSlice, Stats.spread(perSlice)));
        }
    }

    private static void addDifference(final List<Ratio> ratios, final Results results, final String key,
        final String metric, final Transport minuend, final Transport subtrahend)
    {
        final Results.Scenario scenario = results.scenario(key);
        if (null != scenario)
        {
            final List<Double> perSlice = Stats.differences(scenario.of(minuend).slices(metric),
                scenario.of(subtrahend).slices(metric));
            ratios.add(new Ratio(key, label(key) + " " + metric + " " + minuend.label + " - " + subtrahend.label,
                minuend, subtrahend, metric, true, perSlice, Stats.spread(perSlice)));
        }
    }

    private static Ratio find(final List<Ratio> ratios, final String key, final String metric,
        final Transport numerator, final Transport reference)
    {
        for (final Ratio ratio : ratios)
        {
            if (ratio.scenario().equals(key) && ratio.metric().equals(metric) && ratio.numerator() == numerator &&
                ratio.reference() == reference)
            {
                return ratio;
            }
        }
        return null;
    }

    /** A scenario's short name in ratio and goal lines. */
    static String label(final String key)
    {
        if (key.startsWith("stream "))
        {
            return "stream " + sizeLabel(Integer.parseInt(key.substring(7)));
        }
        if (key.startsWith("paced ") || key.startsWith("serve "))
        {
            return key.substring(0, 6) + hertz(Integer.parseInt(key.substring(6)));
        }
        return key.equals(Results.RTT) ? "RTT 64 B" : key;
    }

    /** A request period as a rate: 5000 us is 200 Hz, 1000 us 1 kHz, 100 us 10 kHz. */
    static String hertz(final int periodMicros)
    {
        final double hertz = 1e6 / periodMicros;
        return hertz >= 1000 ? trim(Math.round(hertz / 10) / 100.0) + " kHz" : trim(Math.round(hertz * 100) / 100.0) +
            " Hz";
    }

    /**
     * The goals of issues 12, 15 and 16 that the run's scenarios allow judging.
     *
     * @param results the run.
     * @return the goals.
     */
    static List<Goal> goals(final Results results)
    {
        final List<Ratio> ratios = ratios(results);
        final List<Goal> goals = new ArrayList<>();
        // Issue 12.
        final String b64 = Results.stream(64);
        atLeast(goals, ratios, b64, Results.MSGS, Transport.OURS_SPIN, Transport.AERON, 1.25);
        atLeast(goals, ratios, b64, Results.MSGS, Transport.OURS_DEFAULT, Transport.AERON, 1.0);
        atLeast(goals, ratios, b64, Results.MSGS, Transport.OURS_DEFAULT, Transport.UDS, 25);
        for (final int size : new int[] {1024, 64 * 1024})
        {
            atLeast(goals, ratios, Results.stream(size), Results.MSGS, Transport.OURS_SPIN, Transport.AERON, 2);
            atLeast(goals, ratios, Results.stream(size), Results.MSGS, Transport.OURS_DEFAULT, Transport.AERON, 2);
        }
        atMost(goals, ratios, Results.RTT, Results.P50, Transport.OURS_SPIN, Transport.AERON, 1.0);
        atMost(goals, ratios, Results.RTT, Results.P50, Transport.OURS_SPIN, Transport.FLOOR, 1.3);
        atMost(goals, ratios, Results.RTT, Results.P50, Transport.OURS_DEFAULT, Transport.OURS_SPIN, 1.1);
        neverBelowDefault(goals, ratios);
        // Issues 12 and 15: the default mode at 200 Hz and 1 kHz; PARK at every pace.
        final double spinMicros = OurLink.options(Transport.OURS_DEFAULT.idleStrategy()).spinDuration().toNanos() / 1e3;
        for (final int micros : Counts.SERVE_PACES_MICROS)
        {
            final String key = Results.paced(micros);
            atMost(goals, ratios, key, Results.P50, Transport.OURS_DEFAULT, Transport.UDS, 0.5);
            atMost(goals, ratios, key, Results.P99, Transport.OURS_DEFAULT, Transport.UDS, 1.0);
            final Ratio cpu = find(ratios, key, Results.CPU, Transport.OURS_DEFAULT, Transport.UDS);
            if (null != cpu)
            {
                // ms per 1000 requests is us per request: the spin window in us is the allowance per request.
                goals.add(judge(label(key) + " CPU per request: ours default <= UDS + the spin window (" +
                    trim(spinMicros) + " us)", cpu, cpu.spread().median() <= spinMicros, "<= " + trim(spinMicros) +
                    " us more per request"));
            }
        }
        for (final String key : keys(results, "paced "))
        {
            atMost(goals, ratios, key, Results.P50, Transport.OURS_PARK, Transport.UDS, 1.0);
        }
        // Issue 16.
        for (final int micros : Counts.SERVE_PACES_MICROS)
        {
            atMost(goals, ratios, Results.serve(micros), Results.P50, Transport.SERVE_OURS, Transport.SERVE_UDS, 0.5);
            atMost(goals, ratios, Results.serve(micros), Results.P99,
                Transport.SERVE_OURS, Transport.SERVE_UDS, 1.0);
        }
        atMost(goals, ratios, Results.CONNECT, Results.P50, Transport.SERVE_OURS, Transport.SERVE_UDS, 1.0);
        final Results.ManyClients many = results.many;
        final Ratio manyRatio = find(ratios, Results.MANY, Results.REQUESTS, Transport.SERVE_OURS, Transport.NIO);
        if (null != many && null != manyRatio)
        {
            final Results.ManyClients.Side ours = many.side(Transport.SERVE_OURS);
            final int threads = Math.max(many.maxLibraryThreads(), ours.libraryThreads);
            final boolean met = manyRatio.spread().median() >= 5 && ours.errors == 0 &&
                ours.requestsCompleted == ours.requestsExpected && threads <= 8;
            goals.add(new Goal(many.connections + " clients: >= 5 x the NIO socket server's requests/s, zero loss, " +
                "<= 8 server threads", fmt("ratio %s, %d/%d ok, %d errors, %d library threads",
                spread(manyRatio.spread()), ours.requestsCompleted, ours.requestsExpected, ours.errors, threads), met));
            goals.add(new Goal("idle " + many.connections + " connections <= 1 % of a core",
                fmt("%.2f %%", many.idleCorePercent()), many.idleCorePercent() <= 1.0));
        }
        return goals;
    }

    private static void atLeast(final List<Goal> goals, final List<Ratio> ratios, final String key,
        final String metric, final Transport numerator, final Transport reference, final double target)
    {
        final Ratio ratio = find(ratios, key, metric, numerator, reference);
        if (null != ratio)
        {
            goals.add(judge(label(key) + " " + metric + ": " + numerator.label + " >= " + trim(target) + " x " +
                reference.label, ratio, ratio.spread().median() >= target, ">= " + trim(target)));
        }
    }

    private static void atMost(final List<Goal> goals, final List<Ratio> ratios, final String key,
        final String metric, final Transport numerator, final Transport reference, final double target)
    {
        final Ratio ratio = find(ratios, key, metric, numerator, reference);
        if (null != ratio)
        {
            goals.add(judge(label(key) + " " + metric + ": " + numerator.label + " <= " + trim(target) + " x " +
                reference.label, ratio, ratio.spread().median() <= target, "<= " + trim(target)));
        }
    }

    /** NaN (no slice with both figures) is never met. */
    private static Goal judge(final String name, final Ratio ratio, final boolean met, final String target)
    {
        return new Goal(name, "median " + spread(ratio.spread()) + ", target " + target + ", " +
            ratio.spread().count() + " slices", met && ratio.spread().count() > 0);
    }

    /** Issue 12: busy-spin never below the default in any back-to-back row. */
    private static void neverBelowDefault(final List<Goal> goals, final List<Ratio> ratios)
    {
        final List<Ratio> rows = new ArrayList<>();
        final Ratio rtt = find(ratios, Results.RTT, Results.P50, Transport.OURS_DEFAULT, Transport.OURS_SPIN);
        if (null != rtt)
        {
            rows.add(rtt);
        }
        for (final int size : Counts.SIZES)
        {
            final Ratio stream = find(ratios, Results.stream(size), Results.MSGS, Transport.OURS_SPIN,
                Transport.OURS_DEFAULT);
            if (null != stream)
            {
                rows.add(stream);
            }
        }
        if (rows.isEmpty())
        {
            return;
        }
        boolean met = true;
        final StringBuilder detail = new StringBuilder();
        for (final Ratio row : rows)
        {
            met &= row.spread().count() > 0 && row.spread().median() >= 1.0;
            detail.append(detail.length() == 0 ? "" : "; ").append(label(row.scenario())).append(' ')
                .append(fmt("%.2f", row.spread().median()));
        }
        goals.add(new Goal("busy-spin never below default (RTT default/busy-spin, streams busy-spin/default, " +
            "each >= 1.0)", detail.toString(), met));
    }

    // ---------------------------------------------------------------------------------------------- text table

    static String table(final Results results)
    {
        final StringBuilder text = new StringBuilder();
        final Results.Scenario rtt = results.scenario(Results.RTT);
        if (null != rtt)
        {
            final List<String[]> rows = header("RTT 64 B, back-to-back", rtt.transports);
            percentileRows(rows, rtt);
            rows.add(cells("round trips measured", rtt, s -> Long.toString(s.count)));
            text.append(section(rtt.title, rows));
            final StringBuilder probe = new StringBuilder();
            for (final double p50 : rtt.of(Transport.FLOOR).slices(Results.P50))
            {
                probe.append(probe.length() == 0 ? "" : " ").append(micros(p50));
            }
            text.append("floor p50 per slice (us), the machine's speed state: ").append(probe)
                .append(System.lineSeparator());
        }
        final Results.Scenario first = results.scenario(Results.stream(Counts.SIZES[0]));
        if (null != first)
        {
            final List<String[]> rows = header("one-way stream", first.transports);
            for (final int size : Counts.SIZES)
            {
                final Results.Scenario stream = results.scenario(Results.stream(size));
                rows.add(cells(sizeLabel(size) + " M msgs/s per slice: median (q1-q3)", stream,
                    s -> spread(scale(s.spread(Results.MSGS), 1e-6))));
                rows.add(cells(sizeLabel(size) + " MB/s, median", stream,
                    s -> megabytes(s.spread(Results.MSGS).median() * size / 1e6)));
                rows.add(cells(sizeLabel(size) + " messages measured", stream, s -> Long.toString(s.count)));
            }
            text.append(section("one-way streams, the receiver verifying every sequence number (" +
                results.counts.slices() + " slices x " + results.counts.sliceMillis() + " ms)", rows));
        }
        for (final Results.Scenario scenario : results.scenarios.values())
        {
            if (scenario.key.startsWith("paced ") || scenario.key.startsWith("serve "))
            {
                final List<String[]> rows = header(label(scenario.key), scenario.transports);
                percentileRows(rows, scenario);
                rows.add(cells("CPU ms per 1000 requests, both JVMs: median (q1-q3)", scenario,
                    s -> spread(s.spread(Results.CPU))));
                rows.add(cells("requests measured", scenario, s -> Long.toString(s.count)));
                text.append(section(scenario.title, rows));
            }
        }
        final Results.Scenario connect = results.scenario(Results.CONNECT);
        if (null != connect)
        {
            final List<String[]> rows = header("connection set-up", connect.transports);
            rows.add(cells("whole p50 per slice (us): median (q1-q3)", connect, s -> spread(s.spread(Results.P50))));
            rows.add(cells("whole, all slices: p50 / p90 / p99 / max (us)", connect, Report::pooled));
            for (final String part : List.of(Results.CONNECT_P50, Results.FIRST_RTT_P50, Results.CLOSE_P50))
            {
                final String name = part.replace(" p50", "");
                rows.add(cells(name + " p50 per slice (us): median (q1-q3)", connect, s -> spread(s.spread(part))));
                rows.add(cells(name + ", all slices: p50 / p90 / p99 / max (us)", connect, s -> {
                    final Histogram h = s.parts.get(name);
                    return null == h || h.getTotalCount() == 0 ? NONE : micros(h.getValueAtPercentile(50) / 1000.0) +
                        " / " + micros(h.getValueAtPercentile(90) / 1000.0) + " / " +
                        micros(h.getValueAtPercentile(99) / 1000.0) + " / " + micros(h.getMaxValue() / 1000.0);
                }));
            }
            rows.add(cells("connections measured", connect, s -> Long.toString(s.count)));
            text.append(section(connect.title, rows));
        }
        final Results.Scenario many = results.scenario(Results.MANY);
        if (null != many && null != results.many)
        {
            final Results.ManyClients m = results.many;
            final List<String[]> rows = header("many clients", many.transports);
            rows.add(cells("requests/s per slice: median (q1-q3)", many,
                s -> spread(scale(s.spread(Results.REQUESTS), 1e-6)) + " M"));
            rows.add(cells("requests ok / expected, errors", many, (t, s) -> fmt("%d/%d, %d",
                m.side(t).requestsCompleted, m.side(t).requestsExpected, m.side(t).errors)));
            rows.add(cells("connect phase, " + m.connections + " connections (s)", many,
                (t, s) -> fmt("%.3f", m.side(t).connectSeconds)));
            rows.add(cells("server threads: library / JVM", many,
                (t, s) -> m.side(t).libraryThreads + " / " + m.side(t).jvmThreads));
            for (int i = 0; i < m.checkpoints.size(); i++)
            {
                rows.add(new String[] {"ours at " + m.checkpoints.get(i) + " connections", fmt(
                    "RSS %.1f MiB, %d library threads, %d JVM threads", m.rssKib.get(i) / 1024.0,
                    m.libraryThreads.get(i), m.osThreads.get(i))});
            }
            rows.add(new String[] {"ours idle server CPU", fmt("%.3f s over %.1f s = %.2f %% of a core",
                m.idleCpuSeconds, m.idleSeconds, m.idleCorePercent())});
            text.append(section(many.title + ", " + m.clientJvms + " client JVMs", rows));
        }
        final List<Ratio> ratios = ratios(results);
        if (!ratios.isEmpty())
        {
            final List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"comparison (per slice, same slice)", "median", "q1", "q3", "slices"});
            for (final Ratio ratio : ratios)
            {
                final Stats.Spread s = ratio.spread();
                rows.add(new String[] {ratio.name(), ratioCell(s.median()), ratioCell(s.q1()), ratioCell(s.q3()),
                    Integer.toString(s.count())});
            }
            text.append(section("ratios: median of per-slice ratios (a difference where marked '-'); " +
                "RTT and CPU lower is better, msgs/s and requests/s higher is better", rows));
        }
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"goal", "verdict"});
        for (final Goal goal : goals(results))
        {
            rows.add(new String[] {"GOAL " + goal.name(), (goal.met() ? "met" : "MISSED") + " (" + goal.detail() + ")"});
        }
        text.append(section("goals (issues 12, 15, 16), judged on medians of per-slice ratios; CPU: " + CPU_SOURCE,
            rows));
        return text.toString();
    }

    private static List<String[]> header(final String name, final List<Transport> transports)
    {
        final List<String[]> rows = new ArrayList<>();
        final String[] header = new String[transports.size() + 1];
        header[0] = name;
        for (int i = 0; i < transports.size(); i++)
        {
            header[i + 1] = transports.get(i).label;
        }
        rows.add(header);
        return rows;
    }

    private static void percentileRows(final List<String[]> rows, final Results.Scenario scenario)
    {
        for (final String metric : List.of(Results.P50, Results.P90, Results.P99))
        {
            rows.add(cells("RTT " + metric + " per slice (us): median (q1-q3)", scenario,
                s -> spread(s.spread(metric))));
        }
        rows.add(cells("RTT, all slices: p50 / p90 / p99 / max (us)", scenario, Report::pooled));
    }

    private static String pooled(final Results.Series series)
    {
        return micros(series.micros(50)) + " / " + micros(series.micros(90)) + " / " + micros(series.micros(99)) +
            " / " + micros(series.maxMicros());
    }

    /** A table cell from a transport and its series. */
    private interface Cell
    {
        String of(Transport transport, Results.Series series);
    }

    /** A table cell from a series alone. */
    private interface SeriesCell
    {
        String of(Results.Series series);
    }

    private static String[] cells(final String name, final Results.Scenario scenario, final SeriesCell cell)
    {
        return cells(name, scenario, (t, s) -> cell.of(s));
    }

    private static String[] cells(final String name, final Results.Scenario scenario, final Cell cell)
    {
        final String[] row = new String[scenario.transports.size() + 1];
        row[0] = name;
        for (int i = 0; i < scenario.transports.size(); i++)
        {
            final Transport transport = scenario.transports.get(i);
            row[i + 1] = cell.of(transport, scenario.of(transport));
        }
        return row;
    }

    private static String section(final String title, final List<String[]> rows)
    {
        return System.lineSeparator() + "== " + title + System.lineSeparator() + render(rows, rows.get(0).length);
    }

    private static Stats.Spread scale(final Stats.Spread spread, final double factor)
    {
        return new Stats.Spread(spread.median() * factor, spread.q1() * factor, spread.q3() * factor, spread.count());
    }

    /** A median with its quartiles: {@code 0.364 (0.350-0.381)}. */
    static String spread(final Stats.Spread spread)
    {
        if (spread.count() == 0)
        {
            return NONE;
        }
        return number(spread.median()) + " (" + number(spread.q1()) + "-" + number(spread.q3()) + ")";
    }

    /** Three significant figures or so, whatever the magnitude. */
    static String number(final double value)
    {
        if (!Double.isFinite(value))
        {
            return NONE;
        }
        final double magnitude = Math.abs(value);
        return magnitude >= 100 ? fmt("%.0f", value) : magnitude >= 10 ? fmt("%.1f", value) :
            magnitude >= 1 ? fmt("%.2f", value) : fmt("%.3f", value);
    }

    private static String ratioCell(final double value)
    {
        return Double.isFinite(value) ? number(value) : NONE;
    }

    static String render(final List<String[]> rows, final int columns)
    {
        final int[] widths = new int[columns];
        for (final String[] row : rows)
        {
            widths[0] = Math.max(widths[0], row[0].length());
            if (row.length == columns)
            {
                for (int i = 1; i < columns; i++)
                {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
        }
        final StringBuilder text = new StringBuilder();
        for (final String[] row : rows)
        {
            text.append("| ");
            if (row.length == columns)
            {
                for (int i = 0; i < columns; i++)
                {
                    final String cell = row[i];
                    text.append(i == 0 ? pad(cell, widths[i], false) : pad(cell, widths[i], true)).append(" | ");
                }
            }
            else
            {
                text.append(pad(row[0], widths[0], false)).append(" | ").append(row[1]).append(" |");
            }
            text.setLength(text.length() - (text.charAt(text.length() - 1) == ' ' ? 1 : 0));
            text.append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String pad(final String cell, final int width, final boolean right)
    {
        final String spaces = " ".repeat(Math.max(0, width - cell.length()));
        return right ? spaces + cell : cell + spaces;
    }

    // ---------------------------------------------------------------------------------------------------- JSON

    static String json(final Results results)
    {
        final StringBuilder json = new StringBuilder();
        final Counts counts = results.counts;
        json.append("{\n  \"machine\": ").append(quote(results.machine));
        json.append(",\n  \"mode\": ").append(quote(counts.name()));
        json.append(",\n  \"slices\": ").append(counts.slices());
        json.append(",\n  \"sliceMillis\": ").append(counts.sliceMillis());
        json.append(",\n  \"pacedSlices\": ").append(counts.pacedSlices());
        json.append(",\n  \"pacedSliceMillis\": ").append(counts.pacedSliceMillis());
        json.append(",\n  \"cpuSource\": ").append(quote(CPU_SOURCE));
        json.append(",\n  \"totalSeconds\": ").append(num(results.totalSeconds));
        json.append(",\n  \"scenarios\": {");
        boolean first = true;
        for (final Results.Scenario scenario : results.scenarios.values())
        {
            json.append(first ? "\n" : ",\n").append("    ").append(quote(scenario.key)).append(": {\"title\": ")
                .append(quote(scenario.title)).append(", \"slices\": ").append(scenario.slices)
                .append(", \"transports\": {");
            first = false;
            boolean firstTransport = true;
            for (final Transport transport : scenario.transports)
            {
                final Results.Series series = scenario.of(transport);
                json.append(firstTransport ? "\n" : ",\n").append("      ").append(quote(transport.name()))
                    .append(": {\"label\": ").append(quote(transport.label)).append(", \"count\": ")
                    .append(series.count);
                firstTransport = false;
                if (series.histogram.getTotalCount() > 0)
                {
                    json.append(", \"pooledMicros\": ").append(percentiles(series.histogram));
                }
                if (!series.parts.isEmpty())
                {
                    json.append(", \"partsPooledMicros\": {");
                    boolean firstPart = true;
                    for (final Map.Entry<String, Histogram> part : series.parts.entrySet())
                    {
                        json.append(firstPart ? "" : ", ").append(quote(part.getKey())).append(": ")
                            .append(percentiles(part.getValue()));
                        firstPart = false;
                    }
                    json.append('}');
                }
                json.append(", \"perSlice\": {");
                boolean firstMetric = true;
                for (final Map.Entry<String, List<Double>> metric : series.slices.entrySet())
                {
                    final Stats.Spread s = Stats.spread(metric.getValue());
                    json.append(firstMetric ? "" : ", ").append(quote(metric.getKey())).append(": {\"median\": ")
                        .append(num(s.median())).append(", \"q1\": ").append(num(s.q1())).append(", \"q3\": ")
                        .append(num(s.q3())).append(", \"values\": ").append(array(metric.getValue())).append('}');
                    firstMetric = false;
                }
                json.append("}}");
            }
            json.append("\n    }}");
        }
        json.append("\n  }");
        final Results.ManyClients many = results.many;
        if (null != many)
        {
            json.append(",\n  \"manyClients\": {\"connections\": ").append(many.connections)
                .append(", \"clientJvms\": ").append(many.clientJvms)
                .append(", \"idleCpuSeconds\": ").append(num(many.idleCpuSeconds))
                .append(", \"idleSeconds\": ").append(num(many.idleSeconds))
                .append(", \"idleCorePercent\": ").append(num(many.idleCorePercent()))
                .append(", \"servers\": {");
            boolean firstSide = true;
            for (final Map.Entry<Transport, Results.ManyClients.Side> entry : many.sides.entrySet())
            {
                final Results.ManyClients.Side side = entry.getValue();
                json.append(firstSide ? "" : ", ").append(quote(entry.getKey().name()))
                    .append(": {\"connectSeconds\": ").append(num(side.connectSeconds))
                    .append(", \"requestsExpected\": ").append(side.requestsExpected)
                    .append(", \"requestsCompleted\": ").append(side.requestsCompleted)
                    .append(", \"errors\": ").append(side.errors)
                    .append(", \"libraryThreads\": ").append(side.libraryThreads)
                    .append(", \"jvmThreads\": ").append(side.jvmThreads).append('}');
                firstSide = false;
            }
            json.append("}, \"checkpoints\": [");
            for (int i = 0; i < many.checkpoints.size(); i++)
            {
                json.append(i == 0 ? "" : ", ").append("{\"connections\": ").append(many.checkpoints.get(i))
                    .append(", \"rssKib\": ").append(many.rssKib.get(i))
                    .append(", \"libraryThreads\": ").append(many.libraryThreads.get(i))
                    .append(", \"jvmThreads\": ").append(many.osThreads.get(i)).append('}');
            }
            json.append("]}");
        }
        json.append(",\n  \"ratios\": [");
        first = true;
        for (final Ratio ratio : ratios(results))
        {
            final Stats.Spread s = ratio.spread();
            json.append(first ? "\n" : ",\n").append("    {\"scenario\": ").append(quote(ratio.scenario()))
                .append(", \"name\": ").append(quote(ratio.name()))
                .append(", \"kind\": ").append(quote(ratio.difference() ? "difference" : "ratio"))
                .append(", \"median\": ").append(num(s.median())).append(", \"q1\": ").append(num(s.q1()))
                .append(", \"q3\": ").append(num(s.q3())).append(", \"slices\": ").append(s.count())
                .append(", \"perSlice\": ").append(array(ratio.perSlice())).append('}');
            first = false;
        }
        json.append("\n  ],\n  \"goals\": [");
        first = true;
        for (final Goal goal : goals(results))
        {
            json.append(first ? "\n" : ",\n").append("    {\"goal\": ").append(quote(goal.name()))
                .append(", \"detail\": ").append(quote(goal.detail()))
                .append(", \"met\": ").append(goal.met()).append('}');
            first = false;
        }
        json.append("\n  ]\n}\n");
        return json.toString();
    }

    private static String percentiles(final Histogram histogram)
    {
        return "{\"p50\": " + num(histogram.getValueAtPercentile(50) / 1000.0) + ", \"p90\": " +
            num(histogram.getValueAtPercentile(90) / 1000.0) + ", \"p99\": " +
            num(histogram.getValueAtPercentile(99) / 1000.0) + ", \"p99_9\": " +
            num(histogram.getValueAtPercentile(99.9) / 1000.0) + ", \"max\": " +
            num(histogram.getMaxValue() / 1000.0) + ", \"count\": " + histogram.getTotalCount() + "}";
    }

    private static String array(final List<Double> values)
    {
        final StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++)
        {
            text.append(i == 0 ? "" : ", ").append(num(values.get(i)));
        }
        return text.append(']').toString();
    }

    static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder("\"");
        for (final char c : text.toCharArray())
        {
            if (c == '"' || c == '\\')
            {
                quoted.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
            }
            else
            {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static String num(final double value)
    {
        return Double.isFinite(value) ? fmt("%.6g", value) : "null";
    }

    static String fmt(final String format, final Object... args)
    {
        return String.format(Locale.ROOT, format, args);
    }

    static String micros(final double value)
    {
        if (!Double.isFinite(value))
        {
            return NONE;
        }
        return value >= 100 ? fmt("%.0f", value) : value >= 10 ? fmt("%.1f", value) : fmt("%.3f", value);
    }

    static String rate(final double value)
    {
        return Double.isFinite(value) ? fmt("%.3f M", value / 1e6) : NONE;
    }

    private static String megabytes(final double value)
    {
        return Double.isFinite(value) ? fmt("%.0f", value) : NONE;
    }

    static String trim(final double value)
    {
        return value == Math.rint(value) ? Long.toString((long)value) : Double.toString(value);
    }

    static String sizeLabel(final int size)
    {
        return size >= 1024 ? (size / 1024) + " KiB" : size + " B";
    }
}
