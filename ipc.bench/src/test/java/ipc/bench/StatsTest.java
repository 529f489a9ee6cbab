package ipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The arithmetic of the sliced method, on figures whose answers are known by hand. */
class StatsTest
{
    private static final double EXACT = 1e-12;

    @Test
    void shouldTakeMedianAndQuartilesOfAnOddCountAtTheirRanks()
    {
        final Stats.Spread spread = Stats.spread(List.of(5.0, 1.0, 4.0, 2.0, 3.0));
        assertEquals(3.0, spread.median(), EXACT);
        assertEquals(2.0, spread.q1(), EXACT);
        assertEquals(4.0, spread.q3(), EXACT);
        assertEquals(2.0, spread.iqr(), EXACT);
        assertEquals(5, spread.count());
    }

    @Test
    void shouldInterpolateBetweenRanksForAnEvenCount()
    {
        // Type 7: rank (n - 1) q over 1, 2, 3, 4 gives 0.75, 1.5, 2.25.
        final Stats.Spread spread = Stats.spread(List.of(4.0, 3.0, 2.0, 1.0));
        assertEquals(2.5, spread.median(), EXACT);
        assertEquals(1.75, spread.q1(), EXACT);
        assertEquals(3.25, spread.q3(), EXACT);
        assertEquals(10.0, Stats.quantile(List.of(10.0, 20.0), 0), EXACT);
        assertEquals(20.0, Stats.quantile(List.of(10.0, 20.0), 1), EXACT);
        assertEquals(12.5, Stats.quantile(List.of(10.0, 20.0), 0.25), EXACT);
    }

    @Test
    void shouldIgnoreNonFiniteFiguresAndGiveNanWhenNoneIsLeft()
    {
        final Stats.Spread spread = Stats.spread(List.of(Double.NaN, 7.0, Double.POSITIVE_INFINITY));
        assertEquals(7.0, spread.median(), EXACT);
        assertEquals(7.0, spread.q1(), EXACT);
        assertEquals(7.0, spread.q3(), EXACT);
        assertEquals(1, spread.count());

        final Stats.Spread none = Stats.spread(List.of(Double.NaN));
        assertTrue(Double.isNaN(none.median()) && Double.isNaN(none.q1()) && Double.isNaN(none.q3()));
        assertEquals(0, none.count());
        assertTrue(Double.isNaN(Stats.quantile(List.of(), 0.5)));
    }

    @Test
    void shouldRejectAQuantileOutsideZeroToOne()
    {
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(List.of(1.0), 1.5));
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(List.of(1.0), -0.1));
        assertThrows(IllegalArgumentException.class, () -> Stats.quantile(List.of(1.0), Double.NaN));
    }

    @Test
    void shouldPairRatiosSliceBySliceNotTakeTheRatioOfMedians()
    {
        final List<Double> a = List.of(1.0, 10.0, 100.0);
        final List<Double> b = List.of(2.0, 5.0, 1000.0);
        assertEquals(List.of(0.5, 2.0, 0.1), Stats.ratios(a, b));
        // The ratio of the medians would be 10 / 5 = 2; the median of the per-slice ratios is 0.5.
        assertEquals(0.5, Stats.spread(Stats.ratios(a, b)).median(), EXACT);
    }

    @Test
    void shouldGiveNanForASliceWithAMissingFigureOrAZeroDenominator()
    {
        final List<Double> ratios = Stats.ratios(List.of(1.0, Double.NaN, 3.0, 4.0), List.of(2.0, 2.0, 0.0));
        assertEquals(3, ratios.size());
        assertEquals(0.5, ratios.get(0), EXACT);
        assertTrue(Double.isNaN(ratios.get(1)));
        assertTrue(Double.isNaN(ratios.get(2)));
        assertEquals(1, Stats.spread(ratios).count());
    }

    @Test
    void shouldSubtractSliceBySlice()
    {
        final List<Double> differences = Stats.differences(List.of(5.0, 1.0, Double.NaN), List.of(2.0, 3.0, 1.0));
        assertEquals(3.0, differences.get(0), EXACT);
        assertEquals(-2.0, differences.get(1), EXACT);
        assertTrue(Double.isNaN(differences.get(2)));
    }

    @Test
    void shouldRotateSoThatEveryItemTakesEveryPositionOnceInAsManySlices()
    {
        final List<String> items = List.of("a", "b", "c");
        assertEquals(List.of("a", "b", "c"), Stats.rotated(items, 0));
        assertEquals(List.of("b", "c", "a"), Stats.rotated(items, 1));
        assertEquals(List.of("c", "a", "b"), Stats.rotated(items, 2));
        assertEquals(List.of("a", "b", "c"), Stats.rotated(items, 3));
        for (int position = 0; position < items.size(); position++)
        {
            final Set<String> seen = new HashSet<>();
            for (int slice = 0; slice < items.size(); slice++)
            {
                seen.add(Stats.rotated(items, slice).get(position));
            }
            assertEquals(new HashSet<>(items), seen, "position " + position);
        }
        assertEquals(new ArrayList<>(), Stats.rotated(List.of(), 5));
    }
}
