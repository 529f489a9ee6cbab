package ipc.windows.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Nanosecond time-outs become whole milliseconds rounded up, so a short park never turns into a 0 ms poll. */
class TimeoutsTest
{
    @Test
    void shouldRoundUpToWholeMilliseconds()
    {
        assertEquals(0, Timeouts.toMillis(0));
        assertEquals(1, Timeouts.toMillis(1));
        assertEquals(1, Timeouts.toMillis(999_999));
        assertEquals(1, Timeouts.toMillis(1_000_000));
        assertEquals(2, Timeouts.toMillis(1_000_001));
        assertEquals(1_000, Timeouts.toMillis(1_000_000_000L));
        assertEquals(1_001, Timeouts.toMillis(1_000_000_001L));
    }

    @Test
    void shouldWaitWithoutLimitForNegativeTimeouts()
    {
        // WinBase.h: #define INFINITE 0xFFFFFFFF
        assertEquals(0xFFFFFFFF, Timeouts.INFINITE);
        assertEquals(Timeouts.INFINITE, Timeouts.toMillis(-1));
        assertEquals(Timeouts.INFINITE, Timeouts.toMillis(Long.MIN_VALUE));
    }

    @Test
    void shouldClampHugeTimeoutsBelowInfinite()
    {
        assertEquals(Integer.MAX_VALUE, Timeouts.toMillis(Long.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE, Timeouts.toMillis((Integer.MAX_VALUE + 1L) * 1_000_000L));
    }

    @Test
    void shouldPollInsteadOfWaitingForeverWhenNegativeIsNotInfinite()
    {
        assertEquals(0, Timeouts.toMillisNotInfinite(-5));
        assertEquals(1, Timeouts.toMillisNotInfinite(5));
    }
}
