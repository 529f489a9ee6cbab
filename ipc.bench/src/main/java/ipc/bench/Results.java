package ipc.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** Every figure of a run, accumulated over the rounds. */
final class Results
{
    /** One transport's totals. */
    static final class PerTransport
    {
        final Histogram rtt = new Histogram(60_000_000_000L, 3);
        final List<Double> p50PerRoundMicros = new ArrayList<>();
        final long[] streamMessages = new long[Counts.SIZES.length];
        final long[] streamNanos = new long[Counts.SIZES.length];

        double rttMicros(final double percentile)
        {
            return rtt.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMicros()
        {
            return rtt.getMaxValue() / 1000.0;
        }

        double messagesPerSecond(final int sizeIndex)
        {
            return streamNanos[sizeIndex] == 0 ? Double.NaN : streamMessages[sizeIndex] * 1e9 / streamNanos[sizeIndex];
        }

        double megabytesPerSecond(final int sizeIndex)
        {
            return messagesPerSecond(sizeIndex) * Counts.SIZES[sizeIndex] / 1e6;
        }
    }

    /** The many-clients scenario. */
    static final class ManyClients
    {
        final List<Integer> checkpoints = new ArrayList<>();
        final List<Long> rssKib = new ArrayList<>();
        final List<Integer> osThreads = new ArrayList<>();
        final List<Integer> libraryThreads = new ArrayList<>();
        int connections;
        int clientJvms;
        long requestsExpected;
        long requestsCompleted;
        long errors;
        double seconds;
        double idleCpuSeconds;
        double idleSeconds;

        double requestsPerSecond()
        {
            return requestsCompleted / seconds;
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

    final Map<Transport, PerTransport> transports = new EnumMap<>(Transport.class);
    final ManyClients many = new ManyClients();
    final Counts counts;
    final String machine;
    double totalSeconds;

    Results(final Counts counts, final String machine)
    {
        this.counts = counts;
        this.machine = machine;
        for (final Transport transport : Transport.values())
        {
            transports.put(transport, new PerTransport());
        }
    }

    PerTransport of(final Transport transport)
    {
        return transports.get(transport);
    }
}
