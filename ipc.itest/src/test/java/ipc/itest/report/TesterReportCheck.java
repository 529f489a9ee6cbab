package ipc.itest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fails the build when bnd's tester ran no test: bnd-testing-maven-plugin passes a run that executed nothing
 * (no Test-Cases header, a tester that finds no engine, a filter that matches nothing), so the pom runs this
 * after it (exec:java, phase verify) on the JUnit XML reports the tester wrote.
 *
 * <p>Arguments: the reports folder, then any number of skip flags; if one of them is {@code true} (the
 * module's {@code ipc.itest.skip}, {@code skipTests}, ...) there is nothing to check. Prints the totals as
 * {@code <folder>: N passed, N failed, N skipped}, the folder's name being the bndrun's ({@code itest},
 * {@code itest-equinox}).
 */
public final class TesterReportCheck
{
    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");
    private static final Pattern ATTRIBUTE = Pattern.compile("\\b(tests|skipped|failures|errors)=\"(\\d+)\"");

    private TesterReportCheck()
    {
    }

    /**
     * Runs the check.
     *
     * @param args the reports folder, then skip flags.
     * @throws IOException           if a report cannot be read.
     * @throws IllegalStateException if no test ran, or a report counts failures.
     */
    public static void main(final String[] args) throws IOException
    {
        for (int i = 1; i < args.length; i++)
        {
            if ("true".equals(args[i]))
            {
                System.out.println(Path.of(args[0]).getFileName() + ": skipped, nothing to check");
                return;
            }
        }

        final Path reports = Path.of(args[0]);
        final List<Path> files;
        try (Stream<Path> list = Files.exists(reports) ? Files.list(reports) : Stream.empty())
        {
            files = list.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted()
                .collect(Collectors.toList());
        }

        long tests = 0;
        long skipped = 0;
        long failed = 0;
        for (final Path file : files)
        {
            final Matcher suite = SUITE.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (suite.find())
            {
                final Matcher attribute = ATTRIBUTE.matcher(suite.group());
                while (attribute.find())
                {
                    final long value = Long.parseLong(attribute.group(2));
                    switch (attribute.group(1))
                    {
                        case "tests": tests += value; break;
                        case "skipped": skipped += value; break;
                        default: failed += value; break;
                    }
                }
            }
        }

        final long passed = tests - skipped - failed;
        System.out.println(reports.getFileName() + ": " + passed + " passed, " + failed + " failed, " + skipped + " skipped");
        if (failed > 0)
        {
            throw new IllegalStateException("bnd's tester reported failed=" + failed + " in " + reports);
        }
        if (passed <= 0)
        {
            throw new IllegalStateException("bnd's tester ran no test: passed=" + passed + " skipped=" + skipped +
                " reports=" + files.size() + " in " + reports);
        }
    }
}
