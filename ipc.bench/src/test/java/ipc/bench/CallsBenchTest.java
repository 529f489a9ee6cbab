package ipc.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Runs the request/reply rows for one short slice and checks the table's shape; asserts no timing. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "ipc.bench depends on the Linux backend only: on macOS and " +
    "Windows its class path holds no transport")
class CallsBenchTest
{
    private static final Pattern SPREAD = Pattern.compile("\\| [0-9.]+ \\([0-9.]+-[0-9.]+\\)");

    @Test
    void shouldPrintEveryRowAndRatio() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            CallsBench.run(new String[] {"1", "50"}, out);
        }
        final String output = bytes.toString(StandardCharsets.UTF_8);
        for (final String row : List.of("raw RTT", "call RTT", "array call RTT", "calls/s 1 in flight",
            "UDS/s 16 in flight", "calls/s 256 in flight", "call RTT / raw RTT", "array call RTT / raw RTT",
            "calls/s 256 in flight / UDS's"))
        {
            final String line = output.lines().filter(l -> l.startsWith("| " + row)).findFirst()
                .orElseThrow(() -> new AssertionError("missing row " + row + "\n" + output));
            assertTrue(SPREAD.matcher(line).find(), "no figure in row: " + line);
        }
    }
}
