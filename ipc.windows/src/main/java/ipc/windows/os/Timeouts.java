package ipc.windows.os;

/**
 * Converts the library's nanosecond time-outs into the milliseconds of Windows waits ({@code DWORD
 * dwMilliseconds}, where {@code INFINITE = 0xFFFFFFFF}). A positive remainder is rounded up, never down: a wait
 * rounded down to 0 would return at once and turn every short park into a busy spin.
 */
public final class Timeouts
{
    /** {@code INFINITE} of {@code WinBase.h}, {@code 0xFFFFFFFF}, as a Java {@code int}. */
    public static final int INFINITE = -1;

    private Timeouts()
    {
    }

    /**
     * A time-out for {@code WaitForSingleObject} and friends.
     *
     * @param nanos the time-out; negative waits without limit.
     * @return {@link #INFINITE} for a negative time-out, else the milliseconds rounded up, at most
     *         {@link Integer#MAX_VALUE} (about 24.8 days, safely below {@code INFINITE}).
     */
    public static int toMillis(final long nanos)
    {
        if (nanos < 0)
        {
            return INFINITE;
        }
        final long millis = nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1);
        return (int)Math.min(Integer.MAX_VALUE, millis);
    }

    /**
     * Like {@link #toMillis(long)}, but a negative time-out counts as zero (a poll).
     *
     * @param nanos the time-out.
     * @return the milliseconds, rounded up, 0 for zero or negative.
     */
    public static int toMillisNotInfinite(final long nanos)
    {
        return toMillis(Math.max(0, nanos));
    }
}
