package ipc.bench;

import java.util.Arrays;

/**
 * The fixed message counts of a run. A figure is always the total over all rounds, so every transport does
 * exactly the same work. Full: 1,000,000 measured round trips per transport (4 rounds of 250,000 after 500,000
 * warm-up each); streaming 10,000,000 × 64 B, 4,000,000 × 1 KiB, 100,000 × 64 KiB (after 5,000,000, 1,000,000 and
 * 20,000 of warm-up per round).
 *
 * @param name                   full, quick or tiny.
 * @param rounds                 rounds; every transport runs once per round, interleaved.
 * @param rttWarmup              round trips before measuring, per round.
 * @param rttPerRound            measured round trips per round.
 * @param streamWarmup           messages before measuring, per round, per size of {@link #SIZES}.
 * @param streamPerRound         measured messages per round, per size.
 * @param clientJvms             client JVMs of the many-clients scenario.
 * @param connections            connections of the many-clients scenario, spread over the client JVMs.
 * @param requestsPerConnection  request/response pairs per connection.
 * @param idleSeconds            seconds over which the idle server's CPU time is measured.
 */
record Counts(
    String name,
    int rounds,
    int rttWarmup,
    int rttPerRound,
    int[] streamWarmup,
    int[] streamPerRound,
    int clientJvms,
    int connections,
    int requestsPerConnection,
    int idleSeconds)
{
    /** Streaming message sizes. */
    static final int[] SIZES = {64, 1024, 64 * 1024};
    /** Ping-pong message size. */
    static final int RTT_SIZE = 64;

    // Warm-ups are long enough (about a second of work per scenario) for every transport's hot path to be compiled
    // by C2 before measuring: a count that takes only milliseconds measures the JIT's tiers, not the transport.
    static final Counts FULL = new Counts("full", 4, 500_000, 250_000,
        new int[] {5_000_000, 1_000_000, 20_000}, new int[] {2_500_000, 1_000_000, 25_000}, 4, 1000, 100, 10);
    static final Counts QUICK = new Counts("quick", 2, 200_000, 25_000,
        new int[] {2_000_000, 400_000, 5_000}, new int[] {250_000, 100_000, 5_000}, 4, 1000, 10, 3);
    /** For the unit test: every scenario once, tiny. */
    static final Counts TINY = new Counts("tiny", 1, 1_000, 2_000,
        new int[] {1_000, 500, 50}, new int[] {10_000, 5_000, 200}, 2, 40, 5, 1);

    long rttTotal()
    {
        return (long)rounds * rttPerRound;
    }

    long streamTotal(final int sizeIndex)
    {
        return (long)rounds * streamPerRound[sizeIndex];
    }

    /** The per-round script, as passed to a child JVM. */
    String encode()
    {
        return rttWarmup + ":" + rttPerRound + ":" + join(streamWarmup) + ":" + join(streamPerRound);
    }

    static Counts decodeScript(final String text)
    {
        final String[] parts = text.split(":");
        return new Counts("child", 1, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), split(parts[2]),
            split(parts[3]), 0, 0, 0, 0);
    }

    private static String join(final int[] values)
    {
        final StringBuilder text = new StringBuilder();
        for (final int value : values)
        {
            text.append(text.length() == 0 ? "" : ",").append(value);
        }
        return text.toString();
    }

    private static int[] split(final String text)
    {
        return Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
