package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

import ipc.api.IpcHandler;

/**
 * The {@code ipc:*} commands run through Gogo's {@link CommandProcessor}, as a shell user types them.
 */
class ShellCommandTest
{
    private ServiceTracker<CommandProcessor, CommandProcessor> processors;
    private CommandSession session;
    private ServiceRegistration<IpcHandler> echo;
    private String name;

    @BeforeEach
    void openSessionAndRegisterAnEchoServer() throws Exception
    {
        processors = Services.awaitTracker(CommandProcessor.class);
        final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        session = processors.getService().createSession(new ByteArrayInputStream(new byte[0]), out, out);
        name = IpcServers.uniqueName("sh-echo");
        echo = IpcServers.register(TestHandlers.echo(), IpcServers.NAME, name, "ipc.ringCapacity", 16384);
        IpcServers.awaitServer(name, IpcServers.serviceId(echo));
    }

    @AfterEach
    void closeSession()
    {
        echo.unregister();
        session.close();
        processors.close();
    }

    @Test
    void shouldListTheServersOfThisFrameworkWithOptionsAndCounters() throws Exception
    {
        // Traffic first, so that the counters have something to show.
        execute("ipc:ping " + name + " 3");
        final String table = execute("ipc:servers");
        assertTrue(table.startsWith("NAME") && table.contains("ACCEPTED") && table.contains("MSGS-IN"),
            "header: " + table);
        final String row = table.lines().filter(l -> l.startsWith(name + " ")).findFirst()
            .orElseThrow(() -> new AssertionError("no row for " + name + ": " + table));
        // NAME ORIGIN RING MAX-MSG IDLE UIDS CONNS ACCEPTED REJECTED MSGS-IN MSGS-OUT ...
        assertTrue(Pattern.matches(Pattern.quote(name) + "\\s+whiteboard\\s+16384\\s+4194304\\s+SPIN_THEN_PARK\\s+-" +
            "\\s+\\d+\\s+1\\s+0\\s+3\\s+3\\s+.*", row), "row: " + row);
    }

    @Test
    void shouldPingAServerAndReportMinP50Max() throws Exception
    {
        final String output = execute("ipc:ping " + name + " 5");
        assertTrue(output.contains("5 round trips of 64 bytes") && output.contains("MIN-US") &&
            output.contains("P50-US") && output.contains("MAX-US"), output);
        final String defaults = execute("ipc:ping " + name);
        assertTrue(defaults.contains("10 round trips"), defaults);
    }

    @Test
    void shouldFailAPingOfANameNobodyServes()
    {
        final String nobody = IpcServers.uniqueName("sh-nobody");
        final Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
            () -> execute("ipc:ping " + nobody));
        assertTrue(String.valueOf(failure.getMessage()).contains(nobody), "the failure names the server: " + failure);
    }

    @Test
    void shouldShowTheCountersOfAServerThroughItsSocket() throws Exception
    {
        execute("ipc:ping " + name + " 3");
        // The STATS request goes through the server's socket, as from another process: the ping's connection is
        // closed by now (or about to be), it was accepted, and it carried 3 messages each way.
        final String output = execute("ipc:stats " + name);
        assertTrue(output.startsWith("stats " + name), output);
        assertTrue(Pattern.compile("(?m)^accepted-connections\\s+1$").matcher(output).find(), output);
        assertTrue(Pattern.compile("(?m)^rejected-connections\\s+0$").matcher(output).find(), output);
        assertTrue(Pattern.compile("(?m)^messages-received\\s+3$").matcher(output).find(), output);
        assertTrue(Pattern.compile("(?m)^messages-sent\\s+3$").matcher(output).find(), output);
        assertTrue(Pattern.compile("(?m)^protocol-errors\\s+0$").matcher(output).find(), output);
    }

    @Test
    void shouldFailAStatsQueryOfANameNobodyServes()
    {
        final String nobody = IpcServers.uniqueName("sh-nostats");
        final Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
            () -> execute("ipc:stats " + nobody));
        assertTrue(String.valueOf(failure.getMessage()).contains(nobody), "the failure names the server: " + failure);
    }

    @Test
    void shouldListTheNamesInTheSocketDirectoryAsLiveWithTheirPid() throws Exception
    {
        final String output = execute("ipc:list");
        assertTrue(output.startsWith("socket directory: "), output);
        final String row = output.lines().filter(l -> l.startsWith(name + " ")).findFirst()
            .orElseThrow(() -> new AssertionError("no row for " + name + ": " + output));
        assertTrue(Pattern.matches(Pattern.quote(name) + "\\s+live\\s+" + ProcessHandle.current().pid() +
            " \\(this process\\)", row), "row: " + row);

        // What a server that died leaves behind: its files, and no lock held on them.
        final Path directory = Path.of(output.lines().findFirst().orElseThrow().substring("socket directory: ".length()));
        final String stale = IpcServers.uniqueName("sh-stale");
        final Path socket = Files.createFile(directory.resolve(stale + ".sock"));
        final Path lock = Files.createFile(directory.resolve(stale + ".lock"));
        try
        {
            final String again = execute("ipc:list");
            final String staleRow = again.lines().filter(l -> l.startsWith(stale + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + stale + ": " + again));
            assertTrue(Pattern.matches(Pattern.quote(stale) + "\\s+stale\\s+-", staleRow), "row: " + staleRow);
        }
        finally
        {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(lock);
        }
    }

    private String execute(final String command) throws Exception
    {
        final Object result = session.execute(command);
        return null == result ? "" : result.toString();
    }
}
