package ipc.bench;

/**
 * The shape of a run: how many slices, how long each, and the sizes of the scenarios that are counted rather than
 * timed. Every transport of a scenario runs once in each slice, in an order rotated from slice to slice, so each
 * per-slice figure of one transport has a partner of the transport it is compared with, measured moments apart.
 *
 * @param name             full, quick or tiny.
 * @param slices           slices of the back-to-back scenarios (ping-pong and the three streams).
 * @param sliceMillis      length of one back-to-back slice, per transport and scenario.
 * @param warmupMillis     work per transport and scenario before the first slice (once per child JVM pair).
 * @param pacedSlices      slices of the paced scenarios, per pace.
 * @param pacedSliceMillis length of one paced slice, per transport and pace.
 * @param connectSlices    slices of the connection set-up scenario.
 * @param connectsPerSlice connections opened, used once and closed per transport and slice.
 * @param connectGapMicros pause after each of those connections.
 * @param clientJvms       client JVMs of the many-clients scenario.
 * @param connections      connections of the many-clients scenario per server, spread over the client JVMs.
 * @param manySlices       request/response slices of the many-clients scenario.
 * @param requestsPerSlice request/response pairs per connection and slice.
 * @param idleSeconds      seconds over which the idle server's CPU time is measured.
 */
record Counts(
    String name,
    int slices,
    int sliceMillis,
    int warmupMillis,
    int pacedSlices,
    int pacedSliceMillis,
    int connectSlices,
    int connectsPerSlice,
    int connectGapMicros,
    int clientJvms,
    int connections,
    int manySlices,
    int requestsPerSlice,
    int idleSeconds)
{
    /** Streaming message sizes. */
    static final int[] SIZES = {64, 1024, 64 * 1024};
    /** Ping-pong, paced and connection-test message size. */
    static final int RTT_SIZE = 64;
    /** Request periods of the paced accept-mode scenario (issue 15): 200 Hz, 1 kHz, 10 kHz. */
    static final int[] PACES_MICROS = {5000, 1000, 100};
    /** Request periods of the paced serve-mode scenario (issue 16): 200 Hz, 1 kHz. */
    static final int[] SERVE_PACES_MICROS = {5000, 1000};

    // Issue 12 asks for 40 x 0.25 s per transport and scenario. The warm-up (about a second of work per scenario)
    // lets C2 compile every transport's hot path before the first slice. A paced slice is longer (0.5 s) so that
    // even at 200 Hz it holds 100 requests, enough for a per-slice p99 that is not simply the maximum.
    static final Counts FULL = new Counts("full", 40, 250, 1000, 20, 500, 10, 30, 2000, 4, 1000, 10, 50, 10);
    static final Counts QUICK = new Counts("quick", 10, 250, 500, 6, 500, 5, 20, 2000, 4, 1000, 4, 5, 3);
    /** For the unit test: every scenario, a couple of very short slices. */
    static final Counts TINY = new Counts("tiny", 2, 40, 40, 2, 60, 2, 3, 2000, 2, 40, 2, 3, 1);

    /**
     * The same shape with other slice counts and lengths, for the command line's overrides.
     *
     * @param newSlices      slices of every sliced scenario, or 0 to keep them.
     * @param newSliceMillis length of a back-to-back slice and of a paced slice, or 0 to keep them.
     * @return the adjusted counts.
     */
    Counts with(final int newSlices, final int newSliceMillis)
    {
        return new Counts(name, newSlices > 0 ? newSlices : slices, newSliceMillis > 0 ? newSliceMillis : sliceMillis,
            warmupMillis, newSlices > 0 ? newSlices : pacedSlices,
            newSliceMillis > 0 ? newSliceMillis : pacedSliceMillis, newSlices > 0 ? newSlices : connectSlices,
            connectsPerSlice, connectGapMicros, clientJvms, connections, newSlices > 0 ? newSlices : manySlices,
            requestsPerSlice, idleSeconds);
    }
}
