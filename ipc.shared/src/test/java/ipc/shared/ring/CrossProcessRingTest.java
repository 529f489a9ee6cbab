package ipc.shared.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Two JVMs share a mapped file: the child writes one million variable-size messages (some fragmented, some
 * empty), this JVM reads and checks sequence, length and CRC32 of each. Busy spin on both sides.
 */
class CrossProcessRingTest
{
    static final long MESSAGES = 1_000_000;
    static final long EMPTY_EVERY = 997;
    private static final int CAPACITY = 64 * 1024;
    private static final int MAX_MESSAGE = 64 * 1024;

    static MessagePattern pattern()
    {
        // 12 B .. 2 KiB, and one in 200 between 9 KiB and 40 KiB (fragmented: one record holds 8 KiB - 8).
        return new MessagePattern(2048, 200, 9 * 1024, 40 * 1024);
    }

    /**
     * The test class path, plus where the classes the child needs were loaded from: a launcher may load tests
     * through its own class loader, leaving {@code java.class.path} without them.
     */
    private static String childClassPath() throws Exception
    {
        final StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
        for (final Class<?> type : List.of(CrossProcessWriterMain.class, SpscRing.class, ipc.api.IpcException.class))
        {
            classPath.append(java.io.File.pathSeparator)
                .append(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return classPath.toString();
    }

    @Test
    void shouldDeliverOneMillionMessagesBetweenTwoProcesses()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(120), this::run);
    }

    private void run() throws Exception
    {
        final Path shm = Path.of("/dev/shm");
        final Path file = Files.isDirectory(shm) && Files.isWritable(shm) ?
            Files.createTempFile(shm, "ipc-ring-test", ".seg") : Files.createTempFile("ipc-ring-test", ".seg");
        Process child = null;
        try
        {
            final SegmentLayout layout = SegmentLayout.forCapacity(CAPACITY);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                raf.setLength(layout.segmentLength());
            }
            final MappedByteBuffer segment = CrossProcessWriterMain.map(file);
            SegmentHeader.initialize(segment, layout, MAX_MESSAGE);

            final String java = ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + "/bin/java");
            final List<String> command = new ArrayList<>(List.of(java, "-cp", childClassPath(),
                CrossProcessWriterMain.class.getName(), file.toString(), Long.toString(MESSAGES)));
            child = new ProcessBuilder(command).inheritIO().start();

            final RingMessageReader reader = new RingMessageReader(
                new SpscRing(segment, layout, Direction.CLIENT_TO_SERVER), MAX_MESSAGE, ConsumeListener.NONE);
            final MessagePattern pattern = pattern();
            final long[] expected = { 0 };
            final boolean[] expectEmpty = { false };
            final String[] failure = { null };
            final MessageHandler handler = (buffer, index, length) ->
            {
                if (null != failure[0])
                {
                    return;
                }
                if (expectEmpty[0])
                {
                    expectEmpty[0] = false;
                    if (0 != length)
                    {
                        failure[0] = "expected an empty message: length=" + length + " after=" + (expected[0] - 1);
                    }
                    return;
                }
                failure[0] = pattern.verify(buffer, index, length, expected[0]);
                expectEmpty[0] = expected[0] % EMPTY_EVERY == 0;
                expected[0]++;
            };

            final long start = System.nanoTime();
            long firstMessage = 0;
            while ((expected[0] < MESSAGES || expectEmpty[0]) && null == failure[0])
            {
                if (0 == reader.poll(handler, 64))
                {
                    if (!child.isAlive() && reader.poll(handler, 64) == 0)
                    {
                        break;
                    }
                    Thread.onSpinWait();
                }
                else if (0 == firstMessage)
                {
                    firstMessage = System.nanoTime();
                }
            }
            final long end = System.nanoTime();
            assertNull(failure[0]);
            if (!child.waitFor(30, TimeUnit.SECONDS))
            {
                fail("writer process did not exit");
            }
            assertEquals(0, child.exitValue(), "writer process failed");
            assertEquals(MESSAGES, expected[0], "messages lost");
            assertEquals(0, reader.poll(handler, 64), "duplicate or extra message");
            assertEquals(SegmentDescriptor.STATE_CLOSED, SegmentHeader.getStateAcquire(segment, false));

            final double seconds = (end - firstMessage) / 1e9;
            System.out.printf("cross-process: %d messages (%d fragments) in %.2f s (%.2f s with JVM start): " +
                "%.0f messages/s%n", expected[0], reader.fragmentsReceived(), seconds, (end - start) / 1e9,
                expected[0] / seconds);
        }
        finally
        {
            if (null != child)
            {
                child.destroyForcibly();
            }
            Files.deleteIfExists(file);
        }
    }
}
