package ipc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text table (figures, ratios, goals) and the JSON of a run. */
final class Report
{
    private static final Transport[] COLUMNS = {
        Transport.FLOOR, Transport.OURS_SPIN, Transport.OURS_DEFAULT, Transport.UDS, Transport.AERON};
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String NONE = "-";

    private Report()
    {
    }

    /** One goal of the issue, evaluated. */
    record Goal(String name, String detail, boolean met)
    {
    }

    static List<Goal> goals(final Results results)
    {
        final Results.PerTransport spin = results.of(Transport.OURS_SPIN);
        final Results.PerTransport dflt = results.of(Transport.OURS_DEFAULT);
        final Results.PerTransport uds = results.of(Transport.UDS);
        final Results.PerTransport aeron = results.of(Transport.AERON);
        final Results.ManyClients many = results.many;
        final List<Goal> goals = new ArrayList<>();
        goals.add(new Goal("busy-spin RTT p50 <= Aeron IPC's",
            fmt("%.3f vs %.3f us", spin.rttMicros(50), aeron.rttMicros(50)),
            spin.rttMicros(50) <= aeron.rttMicros(50)));
        goals.add(new Goal("default-mode RTT p50 <= 1/2 UDS's",
            fmt("%.3f vs %.3f us", dflt.rttMicros(50), uds.rttMicros(50) / 2),
            dflt.rttMicros(50) <= uds.rttMicros(50) / 2));
        goals.add(new Goal("64 B streaming (busy-spin) >= Aeron IPC's",
            fmt("%.2f vs %.2f M msgs/s", spin.messagesPerSecond(0) / 1e6, aeron.messagesPerSecond(0) / 1e6),
            spin.messagesPerSecond(0) >= aeron.messagesPerSecond(0)));
        goals.add(new Goal("64 B streaming (default) >= 20x UDS's",
            fmt("%.1fx", dflt.messagesPerSecond(0) / uds.messagesPerSecond(0)),
            dflt.messagesPerSecond(0) >= 20 * uds.messagesPerSecond(0)));
        final double best64k = Math.max(spin.megabytesPerSecond(2), dflt.megabytesPerSecond(2));
        goals.add(new Goal("64 KiB streaming >= 5 GB/s", fmt("%.2f GB/s", best64k / 1000), best64k >= 5000));
        goals.add(new Goal(many.connections + " clients: zero loss, <= 8 server threads",
            fmt("%d/%d ok, %d errors, %d library threads", many.requestsCompleted, many.requestsExpected,
                many.errors, many.maxLibraryThreads()),
            many.errors == 0 && many.requestsCompleted == many.requestsExpected && many.maxLibraryThreads() <= 8));
        goals.add(new Goal("idle " + many.connections + " connections <= 1 % of a core",
            fmt("%.2f %%", many.idleCorePercent()), many.idleCorePercent() <= 1.0));
        return goals;
    }

    static String table(final Results results)
    {
        final List<String[]> rows = new ArrayList<>();
        final String[] header = new String[COLUMNS.length + 3];
        header[0] = "metric";
        for (int i = 0; i < COLUMNS.length; i++)
        {
            header[i + 1] = COLUMNS[i].label;
        }
        header[COLUMNS.length + 1] = "spin/Aeron";
        header[COLUMNS.length + 2] = "default/UDS";
        rows.add(header);

        for (final double p : PERCENTILES)
        {
            rows.add(row(results, "RTT 64 B p" + trim(p) + " (us)", t -> t.rttMicros(p), Report::micros, true));
        }
        rows.add(row(results, "RTT 64 B max (us)", Results.PerTransport::maxMicros, Report::micros, true));
        for (int i = 0; i < Counts.SIZES.length; i++)
        {
            final int s = i;
            final String size = sizeLabel(Counts.SIZES[i]);
            rows.add(row(results, "stream " + size + " msgs/s", t -> t.messagesPerSecond(s), Report::rate, false));
            rows.add(row(results, "stream " + size + " MB/s", t -> t.megabytesPerSecond(s), Report::megabytes, false));
        }
        final Results.PerTransport floor = results.of(Transport.FLOOR);
        final StringBuilder probe = new StringBuilder();
        for (final double p50 : floor.p50PerRoundMicros)
        {
            probe.append(probe.length() == 0 ? "" : " ").append(micros(p50));
        }
        rows.add(new String[] {"floor p50 per round (us)", probe.toString()});

        final Results.ManyClients many = results.many;
        rows.add(new String[] {"many clients (ours, serve)", many.connections + " connections from " +
            many.clientJvms + " JVMs, " + many.requestsExpected + " requests"});
        rows.add(new String[] {"  total time / requests/s", fmt("%.3f s / %s", many.seconds, rate(many.requestsPerSecond()))});
        for (int i = 0; i < many.checkpoints.size(); i++)
        {
            rows.add(new String[] {"  at " + many.checkpoints.get(i) + " connections", fmt(
                "RSS %.1f MiB, %d library threads, %d JVM threads", many.rssKib.get(i) / 1024.0,
                many.libraryThreads.get(i), many.osThreads.get(i))});
        }
        rows.add(new String[] {"  idle server CPU", fmt("%.3f s over %.1f s = %.2f %% of a core",
            many.idleCpuSeconds, many.idleSeconds, many.idleCorePercent())});
        for (final Goal goal : goals(results))
        {
            rows.add(new String[] {"GOAL " + goal.name(), (goal.met() ? "met" : "MISSED") + " (" + goal.detail() + ")"});
        }
        return render(rows, header.length);
    }

    private interface Figure
    {
        double of(Results.PerTransport transport);
    }

    private interface Format
    {
        String of(double value);
    }

    private static String[] row(final Results results, final String name, final Figure figure, final Format format,
        final boolean withFloor)
    {
        final String[] row = new String[COLUMNS.length + 3];
        row[0] = name;
        for (int i = 0; i < COLUMNS.length; i++)
        {
            final boolean has = COLUMNS[i] != Transport.FLOOR || withFloor;
            row[i + 1] = has ? format.of(figure.of(results.of(COLUMNS[i]))) : NONE;
        }
        row[COLUMNS.length + 1] = ratio(figure.of(results.of(Transport.OURS_SPIN)),
            figure.of(results.of(Transport.AERON)));
        row[COLUMNS.length + 2] = ratio(figure.of(results.of(Transport.OURS_DEFAULT)),
            figure.of(results.of(Transport.UDS)));
        return row;
    }

    private static String render(final List<String[]> rows, final int columns)
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

    static String json(final Results results)
    {
        final StringBuilder json = new StringBuilder();
        json.append("{\n  \"machine\": ").append(quote(results.machine));
        json.append(",\n  \"mode\": ").append(quote(results.counts.name()));
        json.append(",\n  \"rounds\": ").append(results.counts.rounds());
        json.append(",\n  \"totalSeconds\": ").append(num(results.totalSeconds));
        json.append(",\n  \"transports\": {");
        boolean first = true;
        for (final Transport transport : Transport.values())
        {
            final Results.PerTransport t = results.of(transport);
            json.append(first ? "\n" : ",\n").append("    ").append(quote(transport.name())).append(": {");
            first = false;
            json.append("\"label\": ").append(quote(transport.label));
            json.append(", \"rttCount\": ").append(t.rtt.getTotalCount());
            for (final double p : PERCENTILES)
            {
                json.append(", \"rttP").append(trim(p).replace('.', '_')).append("Micros\": ").append(num(t.rttMicros(p)));
            }
            json.append(", \"rttMaxMicros\": ").append(num(t.maxMicros()));
            json.append(", \"rttP50PerRoundMicros\": [");
            for (int i = 0; i < t.p50PerRoundMicros.size(); i++)
            {
                json.append(i == 0 ? "" : ", ").append(num(t.p50PerRoundMicros.get(i)));
            }
            json.append("], \"streams\": [");
            if (transport.streams)
            {
                for (int i = 0; i < Counts.SIZES.length; i++)
                {
                    json.append(i == 0 ? "" : ", ").append("{\"size\": ").append(Counts.SIZES[i])
                        .append(", \"messages\": ").append(t.streamMessages[i])
                        .append(", \"nanos\": ").append(t.streamNanos[i])
                        .append(", \"messagesPerSecond\": ").append(num(t.messagesPerSecond(i)))
                        .append(", \"megabytesPerSecond\": ").append(num(t.megabytesPerSecond(i))).append('}');
                }
            }
            json.append("]}");
        }
        final Results.ManyClients many = results.many;
        json.append("\n  },\n  \"manyClients\": {\"connections\": ").append(many.connections)
            .append(", \"clientJvms\": ").append(many.clientJvms)
            .append(", \"requestsExpected\": ").append(many.requestsExpected)
            .append(", \"requestsCompleted\": ").append(many.requestsCompleted)
            .append(", \"errors\": ").append(many.errors)
            .append(", \"seconds\": ").append(num(many.seconds))
            .append(", \"requestsPerSecond\": ").append(num(many.requestsPerSecond()))
            .append(", \"idleCpuSeconds\": ").append(num(many.idleCpuSeconds))
            .append(", \"idleSeconds\": ").append(num(many.idleSeconds))
            .append(", \"idleCorePercent\": ").append(num(many.idleCorePercent()))
            .append(", \"checkpoints\": [");
        for (int i = 0; i < many.checkpoints.size(); i++)
        {
            json.append(i == 0 ? "" : ", ").append("{\"connections\": ").append(many.checkpoints.get(i))
                .append(", \"rssKib\": ").append(many.rssKib.get(i))
                .append(", \"libraryThreads\": ").append(many.libraryThreads.get(i))
                .append(", \"jvmThreads\": ").append(many.osThreads.get(i)).append('}');
        }
        json.append("]},\n  \"goals\": [");
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
        return value >= 100 ? fmt("%.0f", value) : value >= 10 ? fmt("%.1f", value) : fmt("%.3f", value);
    }

    private static String rate(final double value)
    {
        return Double.isFinite(value) ? fmt("%.3f M", value / 1e6) : NONE;
    }

    private static String megabytes(final double value)
    {
        return Double.isFinite(value) ? fmt("%.0f", value) : NONE;
    }

    private static String ratio(final double ours, final double peer)
    {
        return Double.isFinite(ours) && Double.isFinite(peer) && peer > 0 ? fmt("%.2f", ours / peer) : NONE;
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
