package ipc.linux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Native;

import ipc.api.IpcTransport;
import ipc.shared.transport.SharedTransport;

/**
 * A second JVM running {@link ChildMain}: its stdout and stderr are echoed to this process's stdout with a prefix
 * and kept, so a test can wait for a line the child prints and show everything it said when something fails.
 * Closing it destroys the process if it still runs and releases the pipes.
 */
final class ChildJvm implements AutoCloseable
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
    static ChildJvm start(final String label, final String... arguments) throws IOException
    {
        return start(label, List.of(), classPath(), arguments);
    }

    /**
     * Starts {@link ChildMain} with a command prefix (for example {@code setpriv ...}) and a class path of one's own.
     */
    static ChildJvm start(final String label, final List<String> prefix, final String classPath,
        final String... arguments) throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        // JNA's System.load is a restricted method: JDK 24+ warns without this (JDK 17 accepts it silently).
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-D" + SocketDirectory.PROPERTY + "=" + System.getProperty(SocketDirectory.PROPERTY));
        command.add("-cp");
        command.add(classPath);
        command.add(ChildMain.class.getName());
        command.addAll(List.of(arguments));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildJvm(label, process);
    }

    /**
     * The code sources the child needs: the test classes, the backend, the shared transport, the API and JNA.
     * Explicit, because under Surefire {@code java.class.path} may be a manifest-only jar.
     */
    static List<Path> classPathEntries()
    {
        final Set<Path> entries = new LinkedHashSet<>();
        for (final Class<?> type : List.of(ChildMain.class, LinuxTransport.class, SharedTransport.class,
            IpcTransport.class, Native.class))
        {
            try
            {
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
            }
            catch (final URISyntaxException ex)
            {
                throw new IllegalStateException("code source of " + type, ex);
            }
        }
        return new ArrayList<>(entries);
    }

    static String classPath()
    {
        final StringBuilder path = new StringBuilder();
        for (final Path entry : classPathEntries())
        {
            path.append(path.length() == 0 ? "" : java.io.File.pathSeparator).append(entry);
        }
        return path.toString();
    }

    Process process()
    {
        return process;
    }

    long pid()
    {
        return process.pid();
    }

    /** Waits until the child printed a line starting with {@code prefix}; returns it. */
    String awaitLine(final String prefix, final long timeoutMillis) throws InterruptedException
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
    int awaitExit(final long timeoutMillis) throws InterruptedException
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
    String output()
    {
        synchronized (lines)
        {
            return String.join("\n", lines);
        }
    }

    /** Writes a line to the child's stdin. */
    void tell(final String line) throws IOException
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
