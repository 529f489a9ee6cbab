package ipc.itest.karaf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A Karaf started with {@code bin/karaf} in the foreground, driven through its local console on a pipe: each
 * command is followed by {@code echo "@@done" N}, and its output is what the console printed before
 * {@code @@done N} (the typed line reads {@code "@@done" N}, with quotes, so it never matches). Colours and
 * carriage returns are stripped.
 */
final class KarafConsole implements AutoCloseable
{
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private final Process process;
    private final Writer input;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    private int commands;
    private int consumed;

    private KarafConsole(final Process process)
    {
        this.process = process;
        this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::read, "karaf-console-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts Karaf from its home folder with the JDK running this test.
     *
     * @param home      the Karaf installation.
     * @param javaOpts  extra options of Karaf's JVM ({@code EXTRA_JAVA_OPTS}).
     */
    static KarafConsole start(final Path home, final String javaOpts) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString())
            .directory(home.toFile())
            .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("EXTRA_JAVA_OPTS", javaOpts);
        return new KarafConsole(builder.start());
    }

    /**
     * Runs one command and returns what it printed.
     *
     * @throws AssertionError if it did not finish in time; the message holds the console's output.
     */
    String run(final String command, final Duration timeout) throws IOException, InterruptedException
    {
        final int number = ++commands;
        final String marker = "@@done " + number;
        input.write(command + "\n" + "echo \"@@done\" " + number + "\n");
        input.flush();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final String text = clean(output.toString());
            final int end = text.indexOf(marker, consumed);
            if (end >= 0)
            {
                final String result = text.substring(consumed, end);
                consumed = end + marker.length();
                return result;
            }
            if (!process.isAlive() || System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("no end of '" + command + "' within " + timeout + " alive=" +
                    process.isAlive() + "; console: " + text.substring(Math.max(0, text.length() - 4000)));
            }
            Thread.sleep(50);
        }
    }

    /** The Java process of the container (bin/karaf runs it as a child). */
    Optional<ProcessHandle> javaProcess()
    {
        return process.descendants()
            .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
            .findFirst();
    }

    /** Everything the console printed, cleaned. */
    String transcript()
    {
        return clean(output.toString());
    }

    /** Shuts Karaf down ({@code shutdown -f}), or kills it if it does not end within 30 s. */
    @Override
    public void close()
    {
        try
        {
            input.write("shutdown -f\n");
            input.flush();
        }
        catch (final IOException alreadyGone)
        {
            // The console ended first.
        }
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void read()
    {
        final byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream())
        {
            int count;
            while ((count = in.read(buffer)) >= 0)
            {
                output.append(new String(buffer, 0, count, StandardCharsets.UTF_8));
            }
        }
        catch (final IOException ended)
        {
            // The process ended.
        }
    }

    private static String clean(final String text)
    {
        return ANSI.matcher(text).replaceAll("").replace("\r", "");
    }
}
