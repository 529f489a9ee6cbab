package ipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Runs the whole tool with its tiny shape (every scenario, every transport, child JVMs and all, two slices each) and
 * checks that the report is complete, well-formed and the same in text and JSON. Asserts no timing.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "ipc.bench depends on the Linux backend only: on macOS and " +
    "Windows its class path holds no transport")
class BenchMainTest
{
    /** A per-slice cell: median (q1-q3). */
    private static final Pattern SPREAD = Pattern.compile("([0-9.]+) \\(([0-9.]+)-([0-9.]+)\\)");

    @TempDir
    Path dir;

    @Test
    void shouldProduceCompleteTableHtmlAndJsonInTinyMode() throws Exception
    {
        final Path html = dir.resolve("report.html");
        final Path json = dir.resolve("report.json");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            status = BenchMain.run(new String[] {"--tiny", "--html", html.toString(), "--json", json.toString()}, out);
        }
        final String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, output);

        assertTrue(output.contains("machine: "), output);
        for (final String section : List.of("== RTT 64 B, back-to-back", "== one-way streams", "== paced 200 Hz",
            "== paced 1 kHz", "== paced 10 kHz", "serve mode", "== connect + 64 B round trip + close",
            "40 clients' request/response", "== ratios", "== goals"))
        {
            assertTrue(output.contains(section), "missing section " + section + "\n" + output);
        }
        for (final Transport transport : Transport.values())
        {
            assertTrue(output.contains("| " + transport.label) || output.contains(" " + transport.label + " |"),
                "missing column " + transport.label + "\n" + output);
        }
        // Every per-slice cell is a positive median inside its quartiles, and every figure row has one per column.
        final Matcher rows = Pattern.compile("(?m)^\\| ([^|]*: median \\(q1-q3\\)) *\\|(.*)$").matcher(output);
        int figureRows = 0;
        while (rows.find())
        {
            figureRows++;
            for (final String cell : rows.group(2).split("\\|"))
            {
                if (cell.isBlank())
                {
                    continue;
                }
                final Matcher spread = SPREAD.matcher(cell);
                assertTrue(spread.find(), "not a median (q1-q3): " + cell + " in\n" + output);
                final double median = Double.parseDouble(spread.group(1));
                assertTrue(median >= 0 && Double.parseDouble(spread.group(2)) <= median &&
                    median <= Double.parseDouble(spread.group(3)), "bad spread " + cell + " in\n" + output);
            }
        }
        // RTT 3 + streams 3 + paced 3 x 4 + serve 2 x 4 + connect 4 + many 1.
        assertEquals(3 + 3 + 12 + 8 + 4 + 1, figureRows, output);
        final Matcher floor = Pattern.compile("floor p50 per slice \\(us\\)[^:]*: ([0-9. ]+)").matcher(output);
        assertTrue(floor.find(), output);
        assertEquals(Counts.TINY.slices(), floor.group(1).trim().split(" ").length, output);

        // 11 back-to-back goals of issue 12, 9 paced (issues 12 and 15), 4 serve and 1 connect (issue 16), 2 many.
        final int goals = 11 + 9 + 4 + 1 + 2;
        assertEquals(goals, count(output, "| GOAL "), output);

        final String page = Files.readString(html);
        assertTrue(page.contains("<svg") && page.contains("</svg>") && page.contains("<polyline"), page);
        assertTrue(page.contains("paced 10 kHz"), page);

        final Map<?, ?> root = (Map<?, ?>)new MiniJson(Files.readString(json)).parse();
        final Map<?, ?> scenarios = (Map<?, ?>)root.get("scenarios");
        assertEquals(List.of("rtt", "stream 64", "stream 1024", "stream 65536", "paced 5000", "paced 1000", "paced 100",
            "serve 5000", "serve 1000", "connect", "many"), List.copyOf(scenarios.keySet()));
        for (final Object value : scenarios.values())
        {
            final Map<?, ?> scenario = (Map<?, ?>)value;
            assertEquals(Counts.TINY.slices(), ((Number)scenario.get("slices")).intValue(), scenario.toString());
            for (final Object t : ((Map<?, ?>)scenario.get("transports")).values())
            {
                final Map<?, ?> perSlice = (Map<?, ?>)((Map<?, ?>)t).get("perSlice");
                assertTrue(!perSlice.isEmpty(), t.toString());
                for (final Object metric : perSlice.values())
                {
                    assertEquals(Counts.TINY.slices(), ((List<?>)((Map<?, ?>)metric).get("values")).size(), t.toString());
                }
            }
        }
        final Map<?, ?> servers = (Map<?, ?>)((Map<?, ?>)root.get("manyClients")).get("servers");
        for (final Object value : servers.values())
        {
            final Map<?, ?> server = (Map<?, ?>)value;
            assertEquals(0L, ((Number)server.get("errors")).longValue(), server.toString());
            assertEquals(((Number)server.get("requestsExpected")).longValue(),
                ((Number)server.get("requestsCompleted")).longValue(), server.toString());
        }
        final List<?> jsonGoals = (List<?>)root.get("goals");
        assertEquals(goals, jsonGoals.size());
        for (final Object item : jsonGoals)
        {
            final Map<?, ?> goal = (Map<?, ?>)item;
            final String verdict = Boolean.TRUE.equals(goal.get("met")) ? "met" : "MISSED";
            assertTrue(output.contains(verdict + " (" + goal.get("detail") + ")"), goal + "\n" + output);
        }
        assertEquals(66, ((List<?>)root.get("ratios")).size());
    }

    @Test
    void shouldRefuseAnUnknownScenarioAndPrintUsage()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            status = BenchMain.run(new String[] {"--only", "paced,bogus"}, out);
        }
        final String output = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, output);
        assertTrue(output.contains("unknown scenario") && output.contains("usage:"), output);
    }

    private static int count(final String text, final String part)
    {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1))
        {
            n++;
        }
        return n;
    }
}
