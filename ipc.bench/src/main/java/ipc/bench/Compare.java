package ipc.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the JSON reports of several runs, for issue 12's acceptance of the method (three consecutive full runs on
 * one machine give each headline ratio within ±15 % of their median): for every ratio, its median in each run, the
 * median of those, the largest deviation from it, and whether that is within {@link #TOLERANCE}; then every goal's
 * verdict in each run.
 * <pre>
 * java -jar ipc-bench.jar --compare run1.json run2.json run3.json
 * </pre>
 */
final class Compare
{
    /** Issue 12: each headline ratio within ±15 % of the median of three runs. */
    static final double TOLERANCE = 0.15;
    private static final String NONE = "-";

    private Compare()
    {
    }

    /**
     * Reads the reports and prints the comparison.
     *
     * @param files the JSON reports ({@code --json}), in run order.
     * @param out   where the tables go.
     * @throws IOException if a file cannot be read.
     */
    static void run(final List<Path> files, final PrintStream out) throws IOException
    {
        final List<Map<?, ?>> runs = new ArrayList<>();
        for (final Path file : files)
        {
            final Object root = new MiniJson(Files.readString(file, StandardCharsets.UTF_8)).parse();
            if (!(root instanceof Map))
            {
                throw new IOException("not an ipc.bench JSON report: file=" + file);
            }
            runs.add((Map<?, ?>)root);
            out.println("run " + runs.size() + ": " + file + ", mode " + ((Map<?, ?>)root).get("mode") + ", " +
                ((Map<?, ?>)root).get("machine"));
        }
        final Map<String, double[]> ratios = new LinkedHashMap<>();
        final Map<String, String[]> goals = new LinkedHashMap<>();
        for (int r = 0; r < runs.size(); r++)
        {
            for (final Object item : list(runs.get(r).get("ratios")))
            {
                final Map<?, ?> ratio = (Map<?, ?>)item;
                final double[] medians = ratios.computeIfAbsent(String.valueOf(ratio.get("name")), n -> nans(runs.size()));
                medians[r] = ratio.get("median") instanceof Number ? ((Number)ratio.get("median")).doubleValue() :
                    Double.NaN;
            }
            for (final Object item : list(runs.get(r).get("goals")))
            {
                final Map<?, ?> goal = (Map<?, ?>)item;
                final String[] verdicts = goals.computeIfAbsent(String.valueOf(goal.get("goal")), g -> {
                    final String[] empty = new String[runs.size()];
                    Arrays.fill(empty, NONE);
                    return empty;
                });
                verdicts[r] = Boolean.TRUE.equals(goal.get("met")) ? "met" : "MISSED";
            }
        }

        final List<String[]> rows = new ArrayList<>();
        final String[] header = new String[runs.size() + 4];
        header[0] = "ratio (median of per-slice ratios in each run)";
        for (int r = 0; r < runs.size(); r++)
        {
            header[r + 1] = "run " + (r + 1);
        }
        header[runs.size() + 1] = "median";
        header[runs.size() + 2] = "max deviation";
        header[runs.size() + 3] = "within " + Report.trim(TOLERANCE * 100) + " %";
        rows.add(header);
        int within = 0;
        int judged = 0;
        for (final Map.Entry<String, double[]> entry : ratios.entrySet())
        {
            final double[] medians = entry.getValue();
            final List<Double> values = new ArrayList<>();
            final String[] row = new String[header.length];
            row[0] = entry.getKey();
            for (int r = 0; r < medians.length; r++)
            {
                row[r + 1] = Report.number(medians[r]);
                values.add(medians[r]);
            }
            final double median = Stats.quantile(values, 0.5);
            final double deviation = maxDeviation(medians, median);
            row[medians.length + 1] = Report.number(median);
            row[medians.length + 2] = Double.isFinite(deviation) ? Report.fmt("%.1f %%", deviation * 100) : NONE;
            final boolean complete = values.stream().allMatch(v -> Double.isFinite(v));
            if (complete && Double.isFinite(deviation))
            {
                judged++;
                within += deviation <= TOLERANCE ? 1 : 0;
                row[medians.length + 3] = deviation <= TOLERANCE ? "yes" : "NO";
            }
            else
            {
                row[medians.length + 3] = NONE;
            }
            rows.add(row);
        }
        out.println();
        out.print(Report.render(rows, header.length));
        out.println(within + " of " + judged + " ratios within " + Report.trim(TOLERANCE * 100) +
            " % of their median across the runs (ratios missing from a run are not judged)");

        final List<String[]> goalRows = new ArrayList<>();
        final String[] goalHeader = new String[runs.size() + 1];
        goalHeader[0] = "goal";
        for (int r = 0; r < runs.size(); r++)
        {
            goalHeader[r + 1] = "run " + (r + 1);
        }
        goalRows.add(goalHeader);
        for (final Map.Entry<String, String[]> entry : goals.entrySet())
        {
            final String[] row = new String[goalHeader.length];
            row[0] = entry.getKey();
            System.arraycopy(entry.getValue(), 0, row, 1, runs.size());
            goalRows.add(row);
        }
        out.println();
        out.print(Report.render(goalRows, goalHeader.length));
    }

    /**
     * The largest relative distance of a run's figure from the median of the runs: max |x / median - 1|.
     *
     * @param values one figure per run; non-finite ones are skipped.
     * @param median their median.
     * @return the deviation as a fraction, NaN if the median is zero or not finite.
     */
    static double maxDeviation(final double[] values, final double median)
    {
        if (!Double.isFinite(median) || median == 0)
        {
            return Double.NaN;
        }
        double deviation = 0;
        for (final double value : values)
        {
            if (Double.isFinite(value))
            {
                deviation = Math.max(deviation, Math.abs(value / median - 1));
            }
        }
        return deviation;
    }

    private static double[] nans(final int n)
    {
        final double[] values = new double[n];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    private static List<?> list(final Object value)
    {
        return value instanceof List ? (List<?>)value : List.of();
    }
}
