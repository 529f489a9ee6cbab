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
 * Runs the whole tool with tiny counts (every transport, every scenario, child JVMs and all) and checks that the
 * report is complete and well-formed. Asserts no timing.
 */
// Measures our transport, which exists on Linux only so far.
@EnabledOnOs(OS.LINUX)
class BenchMainTest
{
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
        for (final String row : List.of("RTT 64 B p50", "RTT 64 B p90", "RTT 64 B p99 ", "RTT 64 B p99.9", "RTT 64 B max",
            "stream 64 B msgs/s", "stream 1 KiB MB/s", "stream 64 KiB msgs/s", "floor p50 per round",
            "total time / requests/s", "at 0 connections", "at 1 connections", "idle server CPU"))
        {
            assertTrue(output.contains(row), "missing row " + row + "\n" + output);
        }
        // Every figure row has a positive number in each transport column that has one.
        final Matcher figures = Pattern.compile("(?m)^\\| (RTT|stream)[^|]*\\|(.*)$").matcher(output);
        int rows = 0;
        while (figures.find())
        {
            rows++;
            for (final String cell : figures.group(2).split("\\|"))
            {
                final String value = cell.trim().replace(" M", "");
                if (!value.isEmpty() && !"-".equals(value))
                {
                    assertTrue(Double.parseDouble(value) > 0, "not positive: " + cell + " in\n" + output);
                }
            }
        }
        assertEquals(5 + 6, rows, output);
        assertEquals(7, count(output, "| GOAL "), output);

        final String page = Files.readString(html);
        assertTrue(page.contains("<svg") && page.contains("</svg>") && page.contains("<polyline"), page);

        final Object parsed = new MiniJson(Files.readString(json)).parse();
        assertTrue(parsed instanceof Map, "JSON top level is an object");
        final Map<?, ?> root = (Map<?, ?>)parsed;
        final Map<?, ?> transports = (Map<?, ?>)root.get("transports");
        for (final Transport transport : Transport.values())
        {
            final Map<?, ?> t = (Map<?, ?>)transports.get(transport.name());
            assertTrue(((Number)t.get("rttP50Micros")).doubleValue() > 0, transport.name());
            assertEquals(transport.streams ? 3 : 0, ((List<?>)t.get("streams")).size(), transport.name());
        }
        final Map<?, ?> many = (Map<?, ?>)root.get("manyClients");
        assertEquals(0L, ((Number)many.get("errors")).longValue());
        assertEquals(((Number)many.get("requestsExpected")).longValue(),
            ((Number)many.get("requestsCompleted")).longValue());
        assertEquals(7, ((List<?>)root.get("goals")).size());
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
