package ipc.linux;

import static ipc.linux.TestEnvironment.TRANSPORT;
import static ipc.linux.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IdleStrategy;
import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcStats;
import ipc.conformance.ChildJvm;

/**
 * What the README promises about waiting, on the real kernel: {@code PARK} sleeps at once (no spin first), and a
 * busy stream makes no system call: every system call the streaming thread makes is one the channel's counters
 * account for (a wake-up sent, a park), counted by {@code strace} on a child JVM, not by the library itself.
 */
@EnabledOnOs(OS.LINUX)
class IdleCostTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    @Timeout(60)
    void shouldSleepAtOnceWithPark() throws Exception
    {
        // The longest spin there is: a PARK that spun first would take a second before it sleeps.
        final Duration spin = Duration.ofSeconds(1);
        final IpcOptions options = IpcOptions.builder().idleStrategy(IdleStrategy.PARK).spinDuration(spin).build();
        try (IpcServer server = TRANSPORT.bind(uniqueName("park"), options))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, options);
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                final IpcStats before = client.stats();
                final AtomicLong tid = new AtomicLong(-1);
                final AtomicLong calledAt = new AtomicLong();
                final AtomicReference<Object> outcome = new AtomicReference<>();
                final CountDownLatch ready = new CountDownLatch(1);
                final Thread receiver = new Thread(() ->
                {
                    try
                    {
                        tid.set(Integer.parseInt(
                            Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
                        ready.countDown();
                        calledAt.set(System.nanoTime());
                        outcome.set(client.receive(WAIT));
                    }
                    catch (final Throwable ex)
                    {
                        outcome.set(ex);
                    }
                }, "park-receiver");
                receiver.start();
                assertTrue(ready.await(10, TimeUnit.SECONDS));
                ipc.linux.os.SleepersAccess.awaitBlockedInFutex((int)tid.get(), 10_000);
                final long blockedAfter = System.nanoTime() - calledAt.get();
                accepted.send(new byte[] {5});
                receiver.join(WAIT.toMillis());
                assertArrayEquals(new byte[] {5}, (byte[])outcome.get());
                final IpcStats after = client.stats();
                System.out.println("PARK blocked in futex " + TimeUnit.NANOSECONDS.toMicros(blockedAfter) +
                    " us after the receive began; " + after);
                // Far below the 1 s spin window: it did not spin first (only a starved thread could take that long).
                assertTrue(blockedAfter < spin.toNanos(), "PARK blocked only after " + blockedAfter + " ns");
                assertEquals(before.parks() + 1, after.parks(), "one sleep");
                assertEquals(before.spinHits(), after.spinHits(), "no wait ended in a spin");
            }
        }
    }

    @Test
    @Timeout(180)
    void shouldMakeNoSystemCallsThatItsCountersDoNotAccountForInABusyStream() throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "skipped: strace is not installed");
        final int warmUp = 200_000;
        final int count = 1_000_000;
        final File trace = File.createTempFile("ipc-strace", ".log");
        final File output = File.createTempFile("ipc-busy", ".log");
        final String name = uniqueName("busy");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final List<String> command = new ArrayList<>(List.of("/usr/bin/strace", "-f", "-qq", "-o",
                trace.toString(), Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:+UnlockDiagnosticVMOptions", "-XX:GuaranteedSafepointInterval=0",
                "-D" + SocketDirectory.PROPERTY + "=" + TestEnvironment.socketDirectory(),
                "-cp", ChildJvm.classPath(), BusyStreamChild.class.getName(), name, Integer.toString(warmUp),
                Integer.toString(count)));
            final Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
            try (IpcChannel channel = server.accept(Duration.ofSeconds(60)))
            {
                final long[] expected = {0};
                while (expected[0] < warmUp + count)
                {
                    final int delivered = channel.poll(message ->
                    {
                        assertEquals(expected[0], message.getLong(message.position()));
                        expected[0]++;
                    }, 256, Duration.ofSeconds(60));
                    assertTrue(delivered > 0, "no message after " + expected[0]);
                }
                channel.send(new byte[] {1});
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit");
            }
            finally
            {
                child.destroyForcibly();
            }
            final String printed = Files.readString(output.toPath());
            assertEquals(0, child.exitValue(), printed);
            final Matcher tidLine = Pattern.compile("TID (\\d+)").matcher(printed);
            final Matcher endLine = Pattern.compile("END wakeupsSent=(\\d+) parks=(\\d+) fullRingWaits=(\\d+)")
                .matcher(printed);
            assertTrue(tidLine.find() && endLine.find(), printed);
            final String tid = tidLine.group(1);
            final long wakeups = Long.parseLong(endLine.group(1));
            final long parks = Long.parseLong(endLine.group(2));
            final List<String> all = callsBetweenMarkers(Files.readAllLines(trace.toPath()), tid);
            // The library's own calls on this path: futexes on the segment's words (shared, never FUTEX_*_PRIVATE),
            // the doorbell's sendto, a poll or recv on it, and a spin's sched_yield. The JVM makes its own calls on
            // any thread (a private futex to notify its compiler threads, class loading, mprotect for the JIT): they
            // are reported, not counted.
            final List<String> calls = new ArrayList<>();
            final List<String> jvm = new ArrayList<>();
            for (final String call : all)
            {
                final boolean library = call.startsWith("futex(") && !call.contains("_PRIVATE") ||
                    call.startsWith("sendto(") || call.startsWith("poll(") || call.startsWith("ppoll(") ||
                    call.startsWith("recvfrom(") || call.startsWith("sched_yield(");
                (library ? calls : jvm).add(call);
            }
            System.out.println("busy stream: the JVM's own calls on the streaming thread (not counted): " + jvm.size() +
                " " + jvm.subList(0, Math.min(10, jvm.size())));
            System.out.println("busy stream of " + count + " messages: " + calls.size() + " system calls by the " +
                "streaming thread, counters: wake-ups " + wakeups + ", parks " + parks + "; first calls: " +
                calls.subList(0, Math.min(10, calls.size())));
            // Each wake-up sent is one futex wake; each park one futex wait (plus at most one wake-up check after).
            assertTrue(calls.size() <= wakeups + 2 * parks + 8,
                "system calls the counters do not account for: " + calls.size() + " calls, wake-ups=" + wakeups +
                    " parks=" + parks + ": " + calls.subList(0, Math.min(20, calls.size())));
            assertTrue(wakeups + parks <= count / 100, "not a busy stream: wake-ups=" + wakeups + " parks=" + parks);
        }
        finally
        {
            Files.deleteIfExists(trace.toPath());
            Files.deleteIfExists(output.toPath());
        }
    }

    /** The system calls the thread made after writing BEGIN and before writing END (both writes excluded). */
    private static List<String> callsBetweenMarkers(final List<String> trace, final String tid)
    {
        final List<String> calls = new ArrayList<>();
        boolean inside = false;
        for (final String line : trace)
        {
            if (!line.startsWith(tid + " "))
            {
                continue;
            }
            if (line.contains("write(1, \"BEGIN"))
            {
                inside = true;
                continue;
            }
            if (line.contains("write(1, \"END"))
            {
                return calls;
            }
            // strace splits a call that another thread's output interrupts into "<unfinished ...>" and
            // "<... resumed>" lines: count it once.
            if (inside && !line.contains("<... "))
            {
                calls.add(line.substring(tid.length() + 1));
            }
        }
        throw new AssertionError("markers not found for thread " + tid + " in " + trace.size() + " trace lines");
    }
}
