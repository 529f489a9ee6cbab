package ipc.jcstress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/**
 * Runs jcstress over this module's tests and exits non-zero if any outcome was forbidden or any test failed, so the
 * build fails with it. Arguments are passed to jcstress; {@code -r <dir>} names the results directory.
 */
public final class RunJcstress
{
    private RunJcstress()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        Path results = Paths.get("results");
        for (int i = 0; i < args.length - 1; i++)
        {
            if (args[i].equals("-r"))
            {
                results = Paths.get(args[i + 1]);
            }
        }
        final String[] withFilter = new String[args.length + 2];
        System.arraycopy(args, 0, withFilter, 0, args.length);
        withFilter[args.length] = "-t";
        withFilter[args.length + 1] = "ipc\\.jcstress\\..*";
        org.openjdk.jcstress.Main.main(withFilter);
        System.exit(failed(results) ? 1 : 0);
    }

    private static boolean failed(final Path results) throws IOException
    {
        final Path index = results.resolve("index.html");
        if (!Files.exists(index))
        {
            System.err.println("jcstress wrote no report: " + index);
            return true;
        }
        try (Stream<String> lines = Files.lines(index))
        {
            // The report's summary line reads e.g. "Overall pass rate: 2/2".
            final String summary = lines.filter(l -> l.contains("Overall pass rate")).findFirst().orElse("");
            System.out.println("jcstress: " + summary.replaceAll("<[^>]+>", "").trim());
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)/(\\d+)")
                .matcher(summary.replaceAll("<[^>]+>", ""));
            return !m.find() || !m.group(1).equals(m.group(2)) || m.group(2).equals("0");
        }
    }
}
