package ipc.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The HTML report: per latency scenario an SVG plot of every transport's percentile distribution (all slices
 * pooled) in the usual HdrHistogram form (x: percentile on a 1/(1-p) log scale, y: latency on a log scale), with each
 * histogram's own percentile distribution text below.
 */
final class HtmlReport
{
    private static final String[] COLOURS = {"#888888", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd"};
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
        final Counts counts = results.counts;
        final StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ipc.bench report</title>")
            .append("<style>body{font-family:sans-serif} pre{font-size:12px}</style></head><body>\n")
            .append("<h1>ipc.bench</h1>\n<p>").append(escape(results.machine)).append("</p>\n<p>Mode ")
            .append(escape(counts.name())).append(": back-to-back scenarios in ").append(counts.slices())
            .append(" slices of ").append(counts.sliceMillis()).append(" ms, paced ones in ")
            .append(counts.pacedSlices()).append(" slices of ").append(counts.pacedSliceMillis())
            .append(" ms per pace, every transport once per slice in an order rotated from slice to slice; ")
            .append("ratios are medians of per-slice ratios. Ours: send(ByteBuffer) (one copy), receiveBorrowed ")
            .append("(zero-copy read). Aeron: aeron:ipc, embedded driver.</p>\n");
        for (final Results.Scenario scenario : results.scenarios.values())
        {
            final Map<String, Histogram> curves = new LinkedHashMap<>();
            for (final Transport transport : scenario.transports)
            {
                final Histogram histogram = scenario.of(transport).histogram;
                if (histogram.getTotalCount() > 0)
                {
                    curves.put(transport.label, histogram);
                }
            }
            if (!curves.isEmpty())
            {
                html.append("<h2>").append(escape(scenario.title)).append(": latency by percentile, all slices</h2>\n");
                svg(curves, html);
                html.append('\n');
                for (final Map.Entry<String, Histogram> curve : curves.entrySet())
                {
                    html.append("<details><summary>").append(escape(curve.getKey()))
                        .append(" percentile distribution (us)</summary><pre>")
                        .append(escape(distribution(curve.getValue()))).append("</pre></details>\n");
                }
            }
        }
        html.append("\n<h2>Figures</h2>\n<pre>").append(escape(table)).append("</pre>\n");
        return html.append("</body></html>\n").toString();
    }

    private static void svg(final Map<String, Histogram> curves, final StringBuilder html)
    {
        double maxMicros = 1;
        double minMicros = Double.MAX_VALUE;
        for (final Histogram h : curves.values())
        {
            maxMicros = Math.max(maxMicros, h.getMaxValue() / 1000.0);
            minMicros = Math.min(minMicros, Math.max(0.01, h.getMinValue() / 1000.0));
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
        for (final Map.Entry<String, Histogram> curve : curves.entrySet())
        {
            final Histogram h = curve.getValue();
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
                    escape(curve.getKey())));
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
