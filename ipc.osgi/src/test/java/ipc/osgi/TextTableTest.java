package ipc.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest
{
    @Test
    void shouldPadColumnsAndRightAlignNumbers()
    {
        final String text = new TextTable("NAME", "STATE", "PID")
            .row("echo", "live", 12345)
            .row("a-much-longer-name", "stale", 7)
            .toString();
        final String n = System.lineSeparator();
        assertEquals(
            "NAME                STATE    PID" + n +
            "echo                live   12345" + n +
            "a-much-longer-name  stale      7" + n, text);
    }

    @Test
    void shouldRefuseARowOfTheWrongWidth()
    {
        assertThrows(IllegalArgumentException.class, () -> new TextTable("A", "B").row("only one"));
    }
}
