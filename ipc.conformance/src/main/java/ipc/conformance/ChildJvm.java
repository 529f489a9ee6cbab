package ipc.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running {@link ChildMain}: its stdout and stderr are echoed to this process's stdout with a prefix
 * and kept, so a test can wait for a line the child prints and show everything it said when something fails.
 * Closing it destroys the process if it still runs and releases the pipes.
 */
public final class ChildJvm implements AutoCloseable
{
    private final String label;
    private final Process process;
    private final Thread pump;
    private final List<String> lines = new ArrayList<>();

    private ChildJvm(final String label, final Process process)
    {
        this.label = label;
        this.process = process;
        this.pump = new Thread(this::pumpOutput, "child-output-" + label);
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /** Starts {@link ChildMain} with the test's class path and socket directory. */
    public static ChildJvm start(final String label, final String... arguments) throws IOException
    {
        return start(label, List.of(), classPath(), arguments);
    }

    /**
     * Starts {@link ChildMain} with a command prefix (for example {@code setpriv ...}) and a class path of one's own.
     */
    public static ChildJvm start(final String label, final List<String> prefix, final String classPath,
        final String... arguments) throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        // JNA's System.load is a restricted method: JDK 24+ warns without this (JDK 17 accepts it silently).
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-D" + TestEnvironment.SOCKET_DIRECTORY_PROPERTY + "=" +
            System.getProperty(TestEnvironment.SOCKET_DIRECTORY_PROPERTY));
        command.addAll(maxParkArguments());
        command.add("-cp");
        command.add(classPath);
        command.add(ChildMain.class.getName());
        command.addAll(List.of(arguments));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildJvm(label, process);
    }

    /**
     * The command-line argument that gives a child JVM this JVM's maximum park ({@value
     * WakeBound#MAX_PARK_PROPERTY}), if it was set: the child waits as this JVM does, so a lost wake-up there
     * is a hang too.
     */
    public static List<String> maxParkArguments()
    {
        final String maxPark = System.getProperty(WakeBound.MAX_PARK_PROPERTY);
        return null == maxPark ? List.of() : List.of("-D" + WakeBound.MAX_PARK_PROPERTY + "=" + maxPark);
    }

    /**
     * The class path of this JVM, entry by entry: the suite, the backend under test with what it needs (the
     * shared transport, JNA), the API. The backend modules run Surefire without a manifest-only jar, so
     * {@code java.class.path} holds the real entries; a child given them finds the host's transport as this JVM
     * does.
     */
    public static List<Path> classPathEntries()
    {
        final List<Path> entries = new ArrayList<>();
        for (final String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        {
            if (!entry.isEmpty())
            {
                entries.add(Path.of(entry));
            }
        }
        return entries;
    }

    /** {@link #classPathEntries()} as a class path argument. */
    public static String classPath()
    {
        return System.getProperty("java.class.path");
    }

    /** The child's process. */
    public Process process()
    {
        return process;
    }

    /** The child's process id. */
    public long pid()
    {
        return process.pid();
    }

    /** Waits until the child printed a line starting with {@code prefix}; returns it. */
    public String awaitLine(final String prefix, final long timeoutMillis) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lines)
        {
            int seen = 0;
            while (true)
            {
                for (; seen < lines.size(); seen++)
                {
                    if (lines.get(seen).startsWith(prefix))
                    {
                        return lines.get(seen);
                    }
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || (!pump.isAlive() && seen == lines.size()))
                {
                    throw new AssertionError("child " + label + " did not print '" + prefix + "' within " +
                        timeoutMillis + " ms; alive=" + process.isAlive() + " output:\n" + output());
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            }
        }
    }

    /** Waits for the child to exit and returns its exit code; fails with its output if it does not. */
    public int awaitExit(final long timeoutMillis) throws InterruptedException
    {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS))
        {
            throw new AssertionError("child " + label + " still running after " + timeoutMillis + " ms; output:\n" +
                output());
        }
        pump.join(5_000);
        return process.exitValue();
    }

    /** Everything the child printed so far. */
    public String output()
    {
        synchronized (lines)
        {
            return String.join("\n", lines);
        }
    }

    /** Writes a line to the child's stdin. */
    public void tell(final String line) throws IOException
    {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    private void pumpOutput()
    {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                System.out.println("[" + label + "] " + line);
                synchronized (lines)
                {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        }
        catch (final IOException ignore)
        {
            // The process was destroyed: its output ends here.
        }
        finally
        {
            synchronized (lines)
            {
                lines.notifyAll();
            }
        }
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
            pump.join(10_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ignore)
        {
            // The child is gone; its stdin pipe is closed either way.
        }
    }
}
