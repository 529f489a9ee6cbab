package ipc.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link PeerMain}, started with this JVM's own {@code java} and class path and the same flags
 * for every transport: a fixed pre-touched heap and the exports Aeron's Agrona needs on JDK 17. Its stdout is read
 * line by line; its stderr goes to a file shown if it fails.
 */
final class ChildJvm implements AutoCloseable
{
    /** Flags of every child JVM, whatever transport it runs. */
    static final List<String> FLAGS = List.of(
        "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
        // JNA's System.load is a restricted method: JDK 24+ warns without this (JDK 17 accepts it silently).
        "--enable-native-access=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Dagrona.disable.bounds.checks=true",
        "-Daeron.pre.touch.mapped.memory=true");

    private final Process process;
    private final BufferedReader stdout;
    private final PrintStream stdin;
    private final Path stderr;
    private final String description;

    private ChildJvm(final Process process, final Path stderr, final String description)
    {
        this.process = process;
        this.stderr = stderr;
        this.description = description;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.stdin = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static ChildJvm start(final List<String> args) throws IOException
    {
        return start(List.of(), args);
    }

    /**
     * Starts a child JVM with flags of its own beyond the common ones.
     *
     * @param flags JVM flags, such as system properties.
     * @param args  the child's arguments.
     * @return the child.
     * @throws IOException if it cannot be started.
     */
    static ChildJvm start(final List<String> flags, final List<String> args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FLAGS);
        command.addAll(flags);
        final String socketDirectory = System.getProperty("ipc.socketDirectory");
        if (null != socketDirectory)
        {
            command.add("-Dipc.socketDirectory=" + socketDirectory);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PeerMain.class.getName());
        command.addAll(args);
        final Path stderr = Files.createTempFile("ipc-bench-child", ".err");
        final Process process = new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
        return new ChildJvm(process, stderr, String.join(" ", args));
    }

    long pid()
    {
        return process.pid();
    }

    /** Sends one command line. */
    void command(final String line)
    {
        stdin.println(line);
        stdin.flush();
    }

    /**
     * Reads the next line, which must start with the given word.
     *
     * @param word the expected first word.
     * @return the line.
     * @throws IOException if the child ended or said something else.
     */
    String expect(final String word) throws IOException
    {
        final String line = stdout.readLine();
        if (null == line || !(line.equals(word) || line.startsWith(word + " ")))
        {
            throw failure("expected " + word + " but got " + line);
        }
        return line;
    }

    /** Reads the next line, or null at the end. */
    String nextLine() throws IOException
    {
        return stdout.readLine();
    }

    /** Waits for a clean exit. */
    void awaitExit() throws IOException, InterruptedException
    {
        if (!process.waitFor(120, TimeUnit.SECONDS))
        {
            throw failure("did not exit within 120 s");
        }
        if (process.exitValue() != 0)
        {
            throw failure("exit code " + process.exitValue());
        }
    }

    IOException failure(final String what) throws IOException
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        final String errors = Files.exists(stderr) ? Files.readString(stderr) : "";
        return new IOException("child JVM [" + description + "] failed: " + what + System.lineSeparator() + errors);
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
        new File(stderr.toString()).delete();
    }
}
