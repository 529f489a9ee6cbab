package ipc.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import ipc.api.IpcServerStats;
import ipc.api.IpcStats;

/**
 * The text of {@code ipc:stats}: every counter of {@link IpcServerStats} on a row of its own, right-aligned.
 */
class StatsFormatTest
{
    @Test
    void shouldShowEveryCounterOnARowOfItsOwn()
    {
        final String text = IpcCommands.format("echo", new IpcServerStats(2, 30, 4,
            new IpcStats(101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111)));
        final List<String> lines = text.lines().collect(Collectors.toList());
        assertEquals("stats echo", lines.get(0));
        assertTrue(lines.get(1).startsWith("COUNTER") && lines.get(1).endsWith("VALUE"), lines.get(1));
        assertEquals(2 + 3 + 11, lines.size(), text);
        assertTrue(lines.contains("open-connections          2"), text);
        assertTrue(lines.contains("accepted-connections     30"), text);
        assertTrue(lines.contains("messages-received       102"), text);
        assertTrue(lines.contains("protocol-errors         111"), text);
    }
}
