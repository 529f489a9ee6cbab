package ipc.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Every figure of a run: per scenario and transport, one value per slice of each metric (the index is the slice,
 * the same for every transport of the scenario, so per-slice ratios pair figures measured moments apart), and the
 * round-trip histogram of all slices pooled.
 */
final class Results
{
    /** Scenario key: back-to-back ping-pong. */
    static final String RTT = "rtt";
    /** Scenario key: connect + one round trip + close. */
    static final String CONNECT = "connect";
    /** Scenario key: many clients' request/response. */
    static final String MANY = "many";

    /** Metric: round-trip time percentiles of one slice, in microseconds. */
    static final String P50 = "p50";
    static final String P90 = "p90";
    static final String P99 = "p99";
    /** Metric: streamed messages per second in one slice. */
    static final String MSGS = "msgs/s";
    /** Metric: CPU time of both processes per 1000 requests in one slice, in milliseconds. */
    static final String CPU = "cpu ms/1000";
    /** Metric: requests per second in one slice. */
    static final String REQUESTS = "requests/s";
    /** Metrics of the connection set-up breakdown: p50 of connect(), of the first round trip, of close(). */
    static final String CONNECT_P50 = "connect p50";
    static final String FIRST_RTT_P50 = "first rtt p50";
    static final String CLOSE_P50 = "close p50";

    static String stream(final int size)
    {
        return "stream " + size;
    }

    static String paced(final int periodMicros)
    {
        return "paced " + periodMicros;
    }

    static String serve(final int periodMicros)
    {
        return "serve " + periodMicros;
    }

    /** One transport in one scenario. */
    static final class Series
    {
        /** Every slice's round trips (or connection set-ups), pooled, in nanoseconds. */
        final Histogram histogram = new Histogram(Scenarios.HIGHEST_NANOS, 3);
        /** The connection set-up breakdown, pooled: connect, first round trip, close. */
        final Map<String, Histogram> parts = new LinkedHashMap<>();
        final Map<String, List<Double>> slices = new LinkedHashMap<>();
        /** Round trips, messages, requests or connections measured in all slices. */
        long count;

        void add(final String metric, final double value)
        {
            slices.computeIfAbsent(metric, m -> new ArrayList<>()).add(value);
        }

        List<Double> slices(final String metric)
        {
            return slices.getOrDefault(metric, List.of());
        }

        Stats.Spread spread(final String metric)
        {
            return Stats.spread(slices(metric));
        }

        /** A percentile of the pooled histogram, in microseconds; NaN if it is empty. */
        double micros(final double percentile)
        {
            return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMicros()
        {
            return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
        }
    }

    /** One scenario: its transports in their base order, and their series. */
    static final class Scenario
    {
        final String key;
        final String title;
        final List<Transport> transports;
        final Map<Transport, Series> series = new EnumMap<>(Transport.class);
        int slices;

        Scenario(final String key, final String title, final List<Transport> transports)
        {
            this.key = key;
            this.title = title;
            this.transports = List.copyOf(transports);
            for (final Transport transport : transports)
            {
                series.put(transport, new Series());
            }
        }

        Series of(final Transport transport)
        {
            return series.get(transport);
        }
    }

    /** The many-clients scenario's figures beyond the per-slice request rates. */
    static final class ManyClients
    {
        /** One server's side. */
        static final class Side
        {
            double connectSeconds;
            long requestsExpected;
            long requestsCompleted;
            long errors;
            int libraryThreads;
            int jvmThreads;
        }

        final Map<Transport, Side> sides = new EnumMap<>(Transport.class);
        final List<Integer> checkpoints = new ArrayList<>();
        final List<Long> rssKib = new ArrayList<>();
        final List<Integer> osThreads = new ArrayList<>();
        final List<Integer> libraryThreads = new ArrayList<>();
        int connections;
        int clientJvms;
        double idleCpuSeconds;
        double idleSeconds;

        Side side(final Transport transport)
        {
            return sides.computeIfAbsent(transport, t -> new Side());
        }

        double idleCorePercent()
        {
            return 100.0 * idleCpuSeconds / idleSeconds;
        }

        int maxLibraryThreads()
        {
            return libraryThreads.stream().mapToInt(Integer::intValue).max().orElse(0);
        }
    }

    final Map<String, Scenario> scenarios = new LinkedHashMap<>();
    final Counts counts;
    final String machine;
    /** The many-clients scenario, or null if it did not run. */
    ManyClients many;
    double totalSeconds;

    Results(final Counts counts, final String machine)
    {
        this.counts = counts;
        this.machine = machine;
    }

    Scenario add(final String key, final String title, final List<Transport> transports)
    {
        final Scenario scenario = new Scenario(key, title, transports);
        scenarios.put(key, scenario);
        return scenario;
    }

    /** The scenario, or null if it did not run. */
    Scenario scenario(final String key)
    {
        return scenarios.get(key);
    }
}
