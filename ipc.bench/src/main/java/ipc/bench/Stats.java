package ipc.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arithmetic of the sliced method: quantiles of per-slice figures, per-slice ratios between two transports
 * measured in the same slice, and the order in which a slice runs the transports. Figures that are not finite
 * (a slice in which a transport completed nothing) are left out, never counted as zero.
 */
final class Stats
{
    private Stats()
    {
    }

    /**
     * The median and the quartiles of a set of per-slice figures.
     *
     * @param median the 50th percentile.
     * @param q1     the 25th percentile.
     * @param q3     the 75th percentile.
     * @param count  how many finite figures they were taken from; 0 makes the others NaN.
     */
    record Spread(double median, double q1, double q3, int count)
    {
        /** The interquartile range, q3 - q1. */
        double iqr()
        {
            return q3 - q1;
        }
    }

    /**
     * The quantile of a set of figures, by linear interpolation between the two nearest ranks (the "type 7"
     * definition of Hyndman and Fan, 1996, the default of R and NumPy): the figures sorted as x[0..n-1], the
     * quantile q lies at rank h = (n - 1) q, between x[floor(h)] and x[floor(h) + 1].
     *
     * @param values   the figures; non-finite ones are ignored.
     * @param quantile between 0 and 1.
     * @return the quantile, or NaN if no figure is finite.
     */
    static double quantile(final List<Double> values, final double quantile)
    {
        if (!(quantile >= 0 && quantile <= 1))
        {
            throw new IllegalArgumentException("quantile must lie in [0, 1]: quantile=" + quantile);
        }
        final double[] sorted = finiteSorted(values);
        if (sorted.length == 0)
        {
            return Double.NaN;
        }
        final double rank = (sorted.length - 1) * quantile;
        final int below = (int)Math.floor(rank);
        final int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    /**
     * The median and quartiles of a set of figures.
     *
     * @param values the figures; non-finite ones are ignored.
     * @return their spread.
     */
    static Spread spread(final List<Double> values)
    {
        return new Spread(quantile(values, 0.5), quantile(values, 0.25), quantile(values, 0.75),
            finiteSorted(values).length);
    }

    /**
     * Slice by slice, {@code numerator[i] / denominator[i]}: the ratio of two transports measured in the same
     * slice. A slice where either figure is missing, not finite, or the denominator is zero gives NaN.
     *
     * @param numerator   per-slice figures of one transport.
     * @param denominator per-slice figures of the transport it is compared with.
     * @return one ratio per slice, as many as the shorter list.
     */
    static List<Double> ratios(final List<Double> numerator, final List<Double> denominator)
    {
        final int n = Math.min(numerator.size(), denominator.size());
        final List<Double> ratios = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final double a = numerator.get(i);
            final double b = denominator.get(i);
            ratios.add(Double.isFinite(a) && Double.isFinite(b) && b != 0 ? a / b : Double.NaN);
        }
        return ratios;
    }

    /**
     * Slice by slice, {@code minuend[i] - subtrahend[i]}, NaN where either is not finite.
     *
     * @param minuend    per-slice figures of one transport.
     * @param subtrahend per-slice figures of the other.
     * @return one difference per slice, as many as the shorter list.
     */
    static List<Double> differences(final List<Double> minuend, final List<Double> subtrahend)
    {
        final int n = Math.min(minuend.size(), subtrahend.size());
        final List<Double> differences = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final double a = minuend.get(i);
            final double b = subtrahend.get(i);
            differences.add(Double.isFinite(a) && Double.isFinite(b) ? a - b : Double.NaN);
        }
        return differences;
    }

    /**
     * The order in which slice {@code slice} runs the given items: rotated by one place per slice, so that over
     * as many slices as there are items each one runs once in each position (first after the pause between
     * slices, last, ...), and no transport always follows the same one.
     *
     * @param items the items in their base order.
     * @param slice the slice number, from 0.
     * @param <T>   the item type.
     * @return a new list, the items rotated left by {@code slice mod size}.
     */
    static <T> List<T> rotated(final List<T> items, final int slice)
    {
        final List<T> order = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++)
        {
            order.add(items.get((i + slice) % items.size()));
        }
        return order;
    }

    private static double[] finiteSorted(final List<Double> values)
    {
        final double[] finite = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        Arrays.sort(finite);
        return finite;
    }
}
