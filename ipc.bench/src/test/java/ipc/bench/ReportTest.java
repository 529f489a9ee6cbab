package ipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The report's comparisons and goals on hand-made per-slice figures (no child JVM): ratios are medians of per-slice
 * ratios, goals are judged on them, and the text table and the JSON say the same.
 */
class ReportTest
{
    private static final double EXACT = 1e-9;

    private static Results results()
    {
        final Results results = new Results(Counts.TINY, "machine: hand-made");
        final Results.Scenario rtt = results.add(Results.RTT, "RTT", Runs.BACK_TO_BACK);
        add(rtt.of(Transport.OURS_SPIN), Results.P50, 1, 10, 100);
        add(rtt.of(Transport.AERON), Results.P50, 2, 5, 1000);
        rtt.slices = 3;
        final Results.Scenario paced = results.add(Results.paced(1000), "paced 1 kHz", Runs.PACED);
        add(paced.of(Transport.OURS_DEFAULT), Results.P50, 10, 30);
        add(paced.of(Transport.UDS), Results.P50, 40, 40);
        add(paced.of(Transport.OURS_DEFAULT), Results.CPU, 100, 60);
        add(paced.of(Transport.UDS), Results.CPU, 40, 20);
        paced.slices = 2;
        return results;
    }

    private static void add(final Results.Series series, final String metric, final double... values)
    {
        for (final double value : values)
        {
            series.add(metric, value);
        }
    }

    private static Report.Ratio ratio(final List<Report.Ratio> ratios, final String name)
    {
        return ratios.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() ->
            new AssertionError("no ratio " + name + " in " + ratios));
    }

    private static Report.Goal goal(final List<Report.Goal> goals, final String name)
    {
        return goals.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow(() ->
            new AssertionError("no goal " + name + " in " + goals));
    }

    @Test
    void shouldCompareTransportsByTheMedianOfPerSliceRatios()
    {
        final List<Report.Ratio> ratios = Report.ratios(results());
        final Report.Ratio spinAeron = ratio(ratios, "RTT 64 B p50 ours busy-spin / Aeron IPC");
        assertEquals(List.of(0.5, 2.0, 0.1), spinAeron.perSlice());
        // Median 0.5; the ratio of the medians (10 / 5) would have been 2.
        assertEquals(0.5, spinAeron.spread().median(), EXACT);
        assertEquals(0.3, spinAeron.spread().q1(), EXACT);
        assertEquals(1.25, spinAeron.spread().q3(), EXACT);
        final Report.Ratio cpu = ratio(ratios, "paced 1 kHz cpu ms/1000 ours default - JDK UDS");
        assertTrue(cpu.difference());
        assertEquals(50.0, cpu.spread().median(), EXACT);
        // Scenarios that did not run give no comparison.
        assertTrue(ratios.stream().noneMatch(r -> r.scenario().equals(Results.CONNECT)), ratios.toString());
    }

    @Test
    void shouldJudgeGoalsOnThoseMediansAndNeverMeetOneWithoutFigures()
    {
        final List<Report.Goal> goals = Report.goals(results());
        assertTrue(goal(goals, "RTT 64 B p50: ours busy-spin <= 1 x Aeron IPC").met());
        assertTrue(goal(goals, "paced 1 kHz p50: ours default <= 0.5 x JDK UDS").met());
        // 50 us more CPU per request than UDS is exactly the default spin window.
        assertTrue(goal(goals, "paced 1 kHz CPU per request: ours default <= UDS + the spin window (50 us)").met());
        // No slices of the floor: not met, and not a division by zero.
        final Report.Goal floor = goal(goals, "RTT 64 B p50: ours busy-spin <= 1.3 x raw floor");
        assertTrue(!floor.met() && floor.detail().contains("0 slices"), floor.toString());
        assertTrue(goals.stream().noneMatch(g -> g.name().startsWith("serve ")), goals.toString());
    }

    @Test
    void shouldSayTheSameInTheTableAndTheJson()
    {
        final Results results = results();
        final String table = Report.table(results);
        final Map<?, ?> json = (Map<?, ?>)new MiniJson(Report.json(results)).parse();
        final List<?> goals = (List<?>)json.get("goals");
        assertEquals(Report.goals(results).size(), goals.size());
        for (final Object item : goals)
        {
            final Map<?, ?> goal = (Map<?, ?>)item;
            final String verdict = Boolean.TRUE.equals(goal.get("met")) ? "met" : "MISSED";
            assertTrue(table.contains("GOAL " + goal.get("goal")) && table.contains(verdict + " (" + goal.get("detail") +
                ")"), goal + "\n" + table);
        }
        final List<?> ratios = (List<?>)json.get("ratios");
        assertEquals(Report.ratios(results).size(), ratios.size());
        final Map<?, ?> first = (Map<?, ?>)ratios.get(0);
        assertEquals("RTT 64 B p50 ours busy-spin / Aeron IPC", first.get("name"));
        assertEquals(0.5, ((Number)first.get("median")).doubleValue(), EXACT);
        assertTrue(table.contains("| RTT 64 B p50 ours busy-spin / Aeron IPC"), table);
        final Map<?, ?> scenarios = (Map<?, ?>)json.get("scenarios");
        final Map<?, ?> spin = (Map<?, ?>)((Map<?, ?>)((Map<?, ?>)scenarios.get(Results.RTT)).get("transports"))
            .get(Transport.OURS_SPIN.name());
        final Map<?, ?> p50 = (Map<?, ?>)((Map<?, ?>)spin.get("perSlice")).get(Results.P50);
        assertNotNull(p50, spin.toString());
        assertEquals(3, ((List<?>)p50.get("values")).size());
        assertEquals(10.0, ((Number)p50.get("median")).doubleValue(), EXACT);
        assertTrue(table.contains("10.0 (5.50-55.0)"), table);
    }
}
