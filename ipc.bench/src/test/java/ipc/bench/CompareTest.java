package ipc.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12's acceptance check across runs, on hand-written reports. */
class CompareTest
{
    @TempDir
    Path dir;

    private Path report(final int run, final String ratios, final String goals) throws Exception
    {
        final Path file = dir.resolve("run" + run + ".json");
        Files.writeString(file, "{\"machine\": \"machine: test\", \"mode\": \"full\", \"ratios\": [" + ratios +
            "], \"goals\": [" + goals + "]}");
        return file;
    }

    private static String ratio(final String name, final double median)
    {
        return "{\"name\": \"" + name + "\", \"median\": " + median + "}";
    }

    @Test
    void shouldJudgeEachRatioAgainstTheMedianOfTheRuns() throws Exception
    {
        final List<Path> files = new ArrayList<>();
        files.add(report(1, ratio("A", 1.0) + ", " + ratio("B", 2.0) + ", " + ratio("C", 5.0),
            "{\"goal\": \"G\", \"met\": true}"));
        files.add(report(2, ratio("A", 1.1) + ", " + ratio("B", 2.1), "{\"goal\": \"G\", \"met\": false}"));
        files.add(report(3, ratio("A", 0.8) + ", " + ratio("B", 1.9) + ", " + ratio("C", 5.0), ""));
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            Compare.run(files, out);
        }
        final String output = bytes.toString(StandardCharsets.UTF_8);
        // A: median 1.0, run 3 is 20 % below it. B: median 2.0, 5 % at most. C: missing from run 2, not judged.
        assertTrue(Pattern.compile("(?m)^\\| A +\\| +1\\.00 \\| +1\\.10 \\| +0\\.800 \\| +1\\.00 \\| +20\\.0 % \\| +NO \\|$")
            .matcher(output).find(), output);
        assertTrue(Pattern.compile("(?m)^\\| B +\\|.*\\| +2\\.00 \\| +5\\.0 % \\| +yes \\|$").matcher(output).find(),
            output);
        assertTrue(Pattern.compile("(?m)^\\| C +\\| +5\\.00 \\| +- \\| +5\\.00 \\|.*\\| +- \\|$").matcher(output).find(),
            output);
        assertTrue(output.contains("1 of 2 ratios within 15 %"), output);
        assertTrue(Pattern.compile("(?m)^\\| G +\\| +met \\| +MISSED \\| +- \\|$").matcher(output).find(), output);
    }

    @Test
    void shouldMeasureDeviationRelativeToTheMedian()
    {
        assertEquals(0.2, Compare.maxDeviation(new double[] {1.0, 1.1, 0.8}, 1.0), 1e-12);
        assertEquals(0.05, Compare.maxDeviation(new double[] {2.0, Double.NaN, 2.1}, 2.0), 1e-12);
        assertTrue(Double.isNaN(Compare.maxDeviation(new double[] {0.0, 1.0}, 0.0)));
    }
}
