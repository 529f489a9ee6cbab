package ipc.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The HTML report: the table, and an SVG plot of every transport's round-trip percentile distribution in the
 * usual HdrHistogram form (x: percentile on a 1/(1-p) log scale, y: latency on a log scale), with each
 * histogram's own percentile distribution text below.
 */
final class HtmlReport
{
    private static final String[] COLOURS = {"#888888", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;
    private static final int LEFT = 70;
    private static final int BOTTOM = 50;
    private static final int TOP = 20;
    private static final int RIGHT = 170;
    /** x axis: up to 99.9999 %. */
    private static final double MAX_X = 6;

    private HtmlReport()
    {
    }

    static String render(final Results results, final String table)
    {
        final StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ipc.bench report</title>")
            .append("<style>body{font-family:sans-serif} pre{font-size:12px}</style></head><body>\n")
            .append("<h1>ipc.bench</h1>\n<p>").append(escape(results.machine)).append("</p>\n<p>Mode ")
            .append(escape(results.counts.name())).append(", ").append(results.counts.rounds())
            .append(" interleaved rounds. Ours: send(ByteBuffer) (one copy), receiveBorrowed (zero-copy read), ")
            .append("4 MiB rings. Aeron: aeron:ipc, embedded driver, busy-spin.</p>\n")
            .append("<h2>Round-trip latency by percentile (64 B)</h2>\n");
        svg(results, html);
        html.append("\n<h2>Figures</h2>\n<pre>").append(escape(table)).append("</pre>\n");
        for (final Transport transport : Transport.values())
        {
            html.append("<details><summary>").append(escape(transport.label))
                .append(" percentile distribution (us)</summary><pre>")
                .append(escape(distribution(results.of(transport).rtt))).append("</pre></details>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static void svg(final Results results, final StringBuilder html)
    {
        double maxMicros = 1;
        double minMicros = Double.MAX_VALUE;
        for (final Transport transport : Transport.values())
        {
            final Histogram h = results.of(transport).rtt;
            if (h.getTotalCount() > 0)
            {
                maxMicros = Math.max(maxMicros, h.getMaxValue() / 1000.0);
                minMicros = Math.min(minMicros, Math.max(0.01, h.getMinValue() / 1000.0));
            }
        }
        final double yLow = Math.floor(Math.log10(minMicros == Double.MAX_VALUE ? 0.1 : minMicros));
        final double yHigh = Math.ceil(Math.log10(maxMicros));
        final int plotW = WIDTH - LEFT - RIGHT;
        final int plotH = HEIGHT - TOP - BOTTOM;
        html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
            .append(HEIGHT).append("\" font-size=\"12\">\n");
        html.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
            .append("\" height=\"").append(plotH).append("\" fill=\"none\" stroke=\"black\"/>\n");
        final String[] xLabels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
        for (int i = 0; i <= MAX_X; i++)
        {
            final double x = LEFT + plotW * i / MAX_X;
            html.append(Report.fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>", x, TOP, x,
                TOP + plotH)).append(Report.fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                TOP + plotH + 18, xLabels[i]));
        }
        for (double e = yLow; e <= yHigh; e++)
        {
            final double y = TOP + plotH - plotH * (e - yLow) / Math.max(1, yHigh - yLow);
            html.append(Report.fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, y,
                LEFT + plotW, y)).append(Report.fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s us</text>%n",
                LEFT - 5, y + 4, Report.micros(Math.pow(10, e))));
        }
        html.append(Report.fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
            LEFT + plotW / 2, HEIGHT - 8));
        int series = 0;
        for (final Transport transport : Transport.values())
        {
            final Histogram h = results.of(transport).rtt;
            final String colour = COLOURS[series % COLOURS.length];
            final StringBuilder points = new StringBuilder();
            if (h.getTotalCount() > 0)
            {
                for (final HistogramIterationValue v : h.percentiles(5))
                {
                    final double p = v.getPercentileLevelIteratedTo() / 100.0;
                    final double xValue = p >= 1 ? MAX_X : Math.min(MAX_X, Math.log10(1 / (1 - p)));
                    final double micros = Math.max(Math.pow(10, yLow), h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0);
                    final double x = LEFT + plotW * xValue / MAX_X;
                    final double y = TOP + plotH - plotH * (Math.log10(micros) - yLow) / Math.max(1, yHigh - yLow);
                    points.append(Report.fmt("%.1f,%.1f ", x, y));
                }
            }
            html.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                .append(points.toString().trim()).append("\"/>\n");
            final int ly = TOP + 15 + 18 * series;
            html.append(Report.fmt("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>",
                LEFT + plotW + 10, ly, LEFT + plotW + 30, ly, colour))
                .append(Report.fmt("<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 35, ly + 4,
                    escape(transport.label)));
            series++;
        }
        html.append("</svg>");
    }

    private static String distribution(final Histogram histogram)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            if (histogram.getTotalCount() > 0)
            {
                histogram.outputPercentileDistribution(out, 5, 1000.0);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
