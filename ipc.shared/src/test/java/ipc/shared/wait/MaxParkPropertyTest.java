package ipc.shared.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The test hook that raises the longest single block. */
class MaxParkPropertyTest
{
    @Test
    void defaultsToOneSecond()
    {
        assertEquals(1_000_000_000L, WaitProtocol.maxParkNanos(null));
    }

    @Test
    void takesMillisecondsWithinBounds()
    {
        assertEquals(30_000_000_000L, WaitProtocol.maxParkNanos(" 30000 "));
        assertEquals(1_000_000L, WaitProtocol.maxParkNanos("1"));
        assertEquals(3_600_000_000_000L, WaitProtocol.maxParkNanos("3600000"));
    }

    @Test
    void refusesNonsense()
    {
        assertThrows(IllegalArgumentException.class, () -> WaitProtocol.maxParkNanos("0"));
        assertThrows(IllegalArgumentException.class, () -> WaitProtocol.maxParkNanos("3600001"));
        assertThrows(IllegalArgumentException.class, () -> WaitProtocol.maxParkNanos("1s"));
    }
}
