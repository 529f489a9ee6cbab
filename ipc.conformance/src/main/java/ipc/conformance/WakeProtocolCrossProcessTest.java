package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ipc.api.IdleStrategy;
import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcStats;
import ipc.api.IpcTransport;

/**
 * The wait protocol across two processes, on the host's real wait and wake primitives (Linux: futex and the doorbell;
 * macOS: os_sync or ulock; Windows: events): hand-offs with random pauses on both
 * sides, on a 4 KiB ring so that the writer also sleeps on a full ring, with both sides parking almost at once.
 * Every wait's deadline ({@link WakeBound#VALUE}) is shorter than the protocol's periodic re-check
 * ({@code WaitProtocol.MAX_PARK_NANOS}, raised by the backend modules), so a lost wake-up surfaces as a timeout and
 * fails the test; the receiver also checks that no message is lost,
 * duplicated, reordered or corrupted.
 */
@HostSuite
class WakeProtocolCrossProcessTest
{
    private static final Duration LOST_WAKEUP = WakeBound.VALUE;

    @Test
    void shouldNeverLoseAWakeUpAcrossProcesses() throws Exception
    {
        handOffs(200_000);
    }

    @Test
    @Tag("stress")
    void shouldNeverLoseAWakeUpAcrossProcessesSoak() throws Exception
    {
        handOffs(5_000_000);
    }

    private static IpcOptions options()
    {
        return IpcOptions.builder()
            .ringCapacity(4096)
            .idleStrategy(IdleStrategy.SPIN_THEN_PARK)
            .spinDuration(Duration.ofNanos(500))
            .sendTimeout(LOST_WAKEUP)
            .build();
    }

    private static void handOffs(final int messages) throws Exception
    {
        final Path directory = TestEnvironment.privateDirectory("ipc-wake-");
        final String saved = System.getProperty(TestEnvironment.SOCKET_DIRECTORY_PROPERTY);
        System.setProperty(TestEnvironment.SOCKET_DIRECTORY_PROPERTY, directory.toString());
        final File log = File.createTempFile("ipc-wake-child", ".log");
        Process child = null;
        try (IpcServer server = TestEnvironment.TRANSPORT.bind("wake", options()))
        {
            final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-D" + TestEnvironment.SOCKET_DIRECTORY_PROPERTY + "=" + directory));
            command.addAll(ChildJvm.maxParkArguments());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                Sender.class.getName(), Integer.toString(messages)));
            child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();

            final long start = System.nanoTime();
            try (IpcChannel channel = server.accept(Duration.ofSeconds(10)))
            {
                final ByteBuffer buffer = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
                final SplittableRandom random = new SplittableRandom(7);
                for (long expected = 0; expected < messages; expected++)
                {
                    buffer.clear();
                    final int length = channel.receive(buffer, LOST_WAKEUP);
                    assertEquals(expected, buffer.getLong(0), "lost, duplicated or reordered");
                    assertEquals(Sender.lengthOf(expected), length, "corrupted length");
                    assertEquals((byte)expected, buffer.get(length - 1), "corrupted payload");
                    if ((expected & 255) == 255)
                    {
                        // Acknowledge now and then: the sender sleeps on an empty ring too.
                        channel.send(buffer.flip().limit(8));
                    }
                    Sender.pause(random);
                }
                final IpcStats stats = channel.stats();
                final double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%d hand-offs in %.1f s: %s%n", messages, seconds, stats);
                assertTrue(stats.parks() > messages / 100, "the receiver hardly slept: " + stats);
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "sender did not finish");
            assertEquals(0, child.exitValue(), () -> "sender failed: " + read(log));
        }
        finally
        {
            if (null != child)
            {
                child.destroyForcibly();
            }
            if (null == saved)
            {
                System.clearProperty(TestEnvironment.SOCKET_DIRECTORY_PROPERTY);
            }
            else
            {
                System.setProperty(TestEnvironment.SOCKET_DIRECTORY_PROPERTY, saved);
            }
            Files.deleteIfExists(log.toPath());
            try (var files = Files.list(directory))
            {
                files.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(directory);
        }
    }

    private static String read(final File file)
    {
        try
        {
            return Files.readString(file.toPath());
        }
        catch (final Exception ex)
        {
            return ex.toString();
        }
    }

    /** The other process: sends numbered messages with random pauses and reads the acknowledgements. */
    public static final class Sender
    {
        static int lengthOf(final long sequence)
        {
            return 9 + (int)((sequence * 31) % 400);
        }

        static void pause(final SplittableRandom random)
        {
            final int dice = random.nextInt(100);
            if (dice < 20)
            {
                final long until = System.nanoTime() + random.nextInt(30_000);
                while (System.nanoTime() < until)
                {
                    Thread.onSpinWait();
                }
            }
            else if (dice < 25)
            {
                Thread.yield();
            }
        }

        public static void main(final String[] args) throws Exception
        {
            final int messages = Integer.parseInt(args[0]);
            try (IpcChannel channel = IpcTransport.forHost().connect("wake", options()))
            {
                final ByteBuffer buffer = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
                final ByteBuffer ack = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
                final SplittableRandom random = new SplittableRandom(11);
                long acknowledged = -1;
                for (long sequence = 0; sequence < messages; sequence++)
                {
                    final int length = lengthOf(sequence);
                    buffer.clear().putLong(0, sequence).put(length - 1, (byte)sequence).limit(length);
                    channel.send(buffer);
                    if ((sequence & 255) == 255)
                    {
                        ack.clear();
                        channel.receive(ack, LOST_WAKEUP);
                        final long value = ack.getLong(0);
                        if (value != sequence || value <= acknowledged)
                        {
                            throw new AssertionError("bad acknowledgement: " + value + " for " + sequence);
                        }
                        acknowledged = value;
                    }
                    pause(random);
                }
                System.out.println("sender done: " + channel.stats());
            }
        }
    }
}
