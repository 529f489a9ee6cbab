package ipc.macos.os;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.function.Predicate;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

import ipc.macos.jna.OsSync;
import ipc.macos.jna.ULock;

/**
 * How a thread sleeps on a ring's wait word and how the peer wakes it, chosen once per process from what the
 * system offers, in this order:
 * <ol>
 *   <li>{@link #OS_SYNC}: {@code os_sync_wait_on_address_with_timeout} / {@code os_sync_wake_by_address_any} with
 *       the SHARED flags, public API from macOS 14.4;</li>
 *   <li>{@link #ULOCK}: {@code __ulock_wait2} / {@code __ulock_wake} with {@code UL_COMPARE_AND_WAIT_SHARED},
 *       <b>private</b> API (the same kernel primitive the public one wraps), from macOS 11;</li>
 *   <li>{@link #SOCKETPAIR}: a byte on a per-connection socket pair, wherever neither is found.</li>
 * </ol>
 * The functions are looked up by name at run time, never linked: a binding that named a missing symbol would fail
 * to load on older systems. The system property {@value #PROPERTY} ({@code os_sync}, {@code ulock},
 * {@code socketpair}) forces one, for tests; forcing one the system lacks fails. Never used, whatever the system:
 * {@code EVFILT_USER} (a kqueue cannot be shared between processes), process-shared pthread objects (broken on
 * macOS), {@code sem_open} (no timed wait, names outlive crashes) and the non-shared ulock operations.
 */
public enum WaitMechanism
{
    /** {@code os_sync_wait_on_address} with {@code OS_SYNC_WAIT_ON_ADDRESS_SHARED} (macOS 14.4+). */
    OS_SYNC("os_sync"),
    /** {@code __ulock_wait2} with {@code UL_COMPARE_AND_WAIT_SHARED} (private API, macOS 11+). */
    ULOCK("ulock"),
    /** A byte on a socket pair per waiter. */
    SOCKETPAIR("socketpair");

    /** System property forcing a mechanism. */
    public static final String PROPERTY = "ipc.macos.wait";

    private static final System.Logger LOGGER = System.getLogger(WaitMechanism.class.getName());

    private final String propertyValue;

    WaitMechanism(final String propertyValue)
    {
        this.propertyValue = propertyValue;
    }

    /**
     * The value of {@value #PROPERTY} that forces this mechanism.
     *
     * @return e.g. {@code "os_sync"}.
     */
    public String propertyValue()
    {
        return propertyValue;
    }

    /**
     * Whether the mechanism waits on the word's address (the segment carries the wait state alone) rather than on
     * descriptors passed to the peer.
     *
     * @return {@code true} for {@link #OS_SYNC} and {@link #ULOCK}.
     */
    public boolean waitsOnAddress()
    {
        return this != SOCKETPAIR;
    }

    /**
     * Chooses a mechanism. Pure: the lookups are the caller's, so tests can fake them.
     *
     * @param symbolPresent tells whether the C library exports a symbol.
     * @param forced        the value of {@value #PROPERTY}, or {@code null}/empty to choose the best available.
     * @return the mechanism.
     * @throws IllegalStateException if a forced mechanism is unknown or unavailable.
     */
    public static WaitMechanism select(final Predicate<String> symbolPresent, final String forced)
    {
        final boolean osSync = symbolPresent.test(OsSync.WAIT_SYMBOL) && symbolPresent.test(OsSync.WAKE_SYMBOL);
        final boolean ulock = symbolPresent.test(ULock.WAIT2_SYMBOL) && symbolPresent.test(ULock.WAKE_SYMBOL);
        if (null != forced && !forced.isEmpty())
        {
            final String wanted = forced.trim().toLowerCase(Locale.ROOT);
            for (final WaitMechanism mechanism : values())
            {
                if (mechanism.propertyValue.equals(wanted))
                {
                    final boolean available = mechanism == OS_SYNC ? osSync : mechanism != ULOCK || ulock;
                    if (!available)
                    {
                        throw new IllegalStateException("wait mechanism not available on this system: " + PROPERTY +
                            "=" + forced);
                    }
                    return mechanism;
                }
            }
            throw new IllegalStateException("unknown wait mechanism: " + PROPERTY + "=" + forced +
                " expected=os_sync|ulock|socketpair");
        }
        if (osSync)
        {
            return OS_SYNC;
        }
        return ulock ? ULOCK : SOCKETPAIR;
    }

    /**
     * The mechanism of this process, chosen on first call (which looks the symbols up in the C library, so loads
     * native code) and logged at DEBUG.
     *
     * @return the mechanism.
     */
    public static WaitMechanism current()
    {
        return Holder.CURRENT;
    }

    /** Whether the C library exports a symbol: {@code dlsym} through JNA, nothing bound. */
    static boolean isExported(final String symbol)
    {
        try
        {
            NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction(symbol);
            return true;
        }
        catch (final UnsatisfiedLinkError ex)
        {
            return false;
        }
    }

    /** Lazy holder: the choice is made once, on first use. */
    private static final class Holder
    {
        static final WaitMechanism CURRENT = select(WaitMechanism::isExported, System.getProperty(PROPERTY));

        static
        {
            LOGGER.log(Level.DEBUG, () -> "macOS wait mechanism: " + CURRENT.propertyValue);
        }
    }
}
