package ipc.conformance;

import java.time.Duration;

/**
 * How long a test waits for a wake-up (a message, room in a ring, a close, a peer's death) before it calls it lost.
 * Free of side effects, so child JVMs may use it too (unlike {@link TestEnvironment}, which sets up a socket
 * directory when it loads).
 */
public final class WakeBound
{
    /**
     * The system property that raises the wait protocol's longest single block ({@code WaitProtocol.MAX_PARK_NANOS},
     * 1 s by default), in milliseconds; the Linux and Windows modules set it for the suite, and child JVMs get it on
     * their command line ({@link ChildJvm#maxParkArguments()}).
     */
    public static final String MAX_PARK_PROPERTY = "ipc.wait.maxParkMillis";

    /**
     * 10 s, well below the maximum park the backend modules set, so that a lost wake-up is a wait that runs to this
     * bound and fails, never one that the protocol's periodic re-check ends early, and a slow machine is not taken
     * for a lost wake-up. Where the maximum park is not raised (1 s), 90 % of it.
     */
    public static final Duration VALUE = of(System.getProperty(MAX_PARK_PROPERTY));

    /** The default of {@code WaitProtocol.MAX_PARK_NANOS}, in milliseconds. */
    private static final long DEFAULT_MAX_PARK_MILLIS = 1000;
    /** The bound when the maximum park is raised at least twice as far. */
    private static final long RAISED_BOUND_MILLIS = 10_000;

    private WakeBound()
    {
    }

    /** Whether the maximum park is raised far above {@link #VALUE}: then a lost wake-up cannot hide. */
    public static boolean isMaxParkRaised()
    {
        return VALUE.toMillis() == RAISED_BOUND_MILLIS;
    }

    static Duration of(final String maxParkMillis)
    {
        final long maxPark = null == maxParkMillis ? DEFAULT_MAX_PARK_MILLIS : Long.parseLong(maxParkMillis.trim());
        return Duration.ofMillis(maxPark >= 2 * RAISED_BOUND_MILLIS ? RAISED_BOUND_MILLIS : maxPark * 9 / 10);
    }
}
