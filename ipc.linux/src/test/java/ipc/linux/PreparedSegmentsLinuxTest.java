package ipc.linux;

import static ipc.linux.TestEnvironment.TRANSPORT;
import static ipc.linux.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;

/**
 * Segments prepared ahead of demand, on the real kernel, counted as this process's memfd mappings: a serving server
 * prepares two while idle, a client takes one and the server makes another, and closing the server releases them. The
 * rest of the suite runs with {@code ipc.preparedSegments=0} so that its mapping counts are exact; this class turns
 * preparing back on for its own servers.
 */
@EnabledOnOs(OS.LINUX)
class PreparedSegmentsLinuxTest
{
    private static final String PROPERTY = "ipc.preparedSegments";
    private static final long BOUND_MILLIS = 10_000;
    private String previous;

    @BeforeEach
    void enablePreparing()
    {
        previous = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, "2");
    }

    @AfterEach
    void restore()
    {
        if (null == previous)
        {
            System.clearProperty(PROPERTY);
        }
        else
        {
            System.setProperty(PROPERTY, previous);
        }
    }

    @Test
    void shouldPrepareTwoWhileServingHandOneToAClientAndReleaseThemOnClose() throws Exception
    {
        final long before = memfdMappings();
        final String name = uniqueName("prepared");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve((channel, message) -> channel.send(message));
            assertTrue(eventually(() -> memfdMappings() == before + 2), "an idle server holds two prepared " +
                "segments: mappings=" + (memfdMappings() - before));
            try (IpcChannel client = TRANSPORT.connect(name, IpcOptions.defaults()))
            {
                client.send(new byte[] {7});
                assertEquals(7, client.receive(Duration.ofSeconds(10))[0]);
                // The client's mapping and the server's of the same segment, and two prepared again.
                assertTrue(eventually(() -> memfdMappings() == before + 4), "mappings=" + (memfdMappings() - before));
            }
        }
        assertTrue(eventually(() -> memfdMappings() == before), "left mapped after the server closed: " +
            (memfdMappings() - before));
    }

    @Test
    void shouldPrepareWhileAnAcceptWaitsAndNotAfterTheServerCloses() throws Exception
    {
        final long before = memfdMappings();
        final String name = uniqueName("prepared-accept");
        final IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults());
        final CompletableFuture<IpcChannel> accepted = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return server.accept(Duration.ofSeconds(30));
            }
            catch (final Exception ex)
            {
                return null;
            }
        });
        try
        {
            assertTrue(eventually(() -> memfdMappings() == before + 2), "mappings=" + (memfdMappings() - before));
        }
        finally
        {
            server.close();
        }
        accepted.get(BOUND_MILLIS, TimeUnit.MILLISECONDS);
        assertTrue(eventually(() -> memfdMappings() == before), "left mapped after the server closed: " +
            (memfdMappings() - before));
    }

    private static long memfdMappings()
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.filter(line -> line.contains("memfd:")).count();
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static boolean eventually(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MILLIS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            LockSupport.parkNanos(1_000_000L);
        }
        return true;
    }
}
