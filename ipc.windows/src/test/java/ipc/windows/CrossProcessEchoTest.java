package ipc.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcChannel;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;

/**
 * End to end on Windows: a second JVM connects, sends messages of many sizes and checks their echoes; the server
 * echoes either from its dispatcher (completion port) or from an accepted channel (blocking waits on events and the
 * doorbell). Never run on the Linux build machines; the hosted CI's Windows job runs it.
 */
@EnabledOnOs(OS.WINDOWS)
class CrossProcessEchoTest
{
    private static final WindowsTransport TRANSPORT = new WindowsTransport();
    private static final int MESSAGES = 500;

    @AfterAll
    static void stopTransport()
    {
        TRANSPORT.deactivate();
    }

    @Test
    @Timeout(120)
    void shouldEchoThroughTheDispatcher() throws Exception
    {
        final String name = "echo-serve-" + ProcessHandle.current().pid();
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve(new IpcHandler()
            {
                @Override
                public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
                {
                    channel.send(message);
                }
            });
            assertEquals(0, runClient(name), "client exit code");
        }
    }

    @Test
    @Timeout(120)
    void shouldEchoThroughAnAcceptedChannel() throws Exception
    {
        final String name = "echo-accept-" + ProcessHandle.current().pid();
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final Process client = startClient(name);
            try (IpcChannel channel = server.accept(Duration.ofSeconds(60)))
            {
                assertEquals(client.pid(), channel.peer().pid(), "peer pid from GetNamedPipeClientProcessId");
                for (int i = 0; i < MESSAGES; i++)
                {
                    channel.send(channel.receive(Duration.ofSeconds(20)));
                }
            }
            assertTrue(client.waitFor(60, TimeUnit.SECONDS), "client exits");
            assertEquals(0, client.exitValue(), "client exit code");
        }
    }

    @Test
    void shouldRefuseASecondServerOfTheSameName() throws Exception
    {
        final String name = "echo-twice-" + ProcessHandle.current().pid();
        try (IpcServer first = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            org.junit.jupiter.api.Assertions.assertThrows(ipc.api.IpcAlreadyBoundException.class,
                () -> TRANSPORT.bind(name, IpcOptions.defaults()));
            assertTrue(first.isOpen());
        }
    }

    private static int runClient(final String name) throws Exception
    {
        final Process client = startClient(name);
        assertTrue(client.waitFor(100, TimeUnit.SECONDS), "client exits");
        return client.exitValue();
    }

    private static Process startClient(final String name) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classPath());
        command.add(EchoClientMain.class.getName());
        command.add(name);
        command.add(Integer.toString(MESSAGES));
        return new ProcessBuilder(command).inheritIO().start();
    }

    private static String classPath() throws URISyntaxException
    {
        final List<String> entries = new ArrayList<>();
        for (final Path entry : TestClassPath.entries())
        {
            entries.add(entry.toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
