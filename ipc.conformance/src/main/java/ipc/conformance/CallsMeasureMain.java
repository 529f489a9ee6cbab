package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.uniqueName;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.call.CallClient;
import ipc.api.call.CallOptions;
import ipc.api.call.IpcCalls;

/**
 * A JMH-free measurement of the call layer's cost against the raw channel, with the server in a second JVM
 * ({@link ChildMain}): not a test, and not a benchmark to quote (no warm-up discipline, no forks, no pinning). It is
 * what the benchmark's request/reply rows should measure, to be moved there:
 * <ol>
 *   <li>raw channel RTT: {@code send} then {@code receive} of a 64-byte message to a child that echoes
 *       ({@code mirror});</li>
 *   <li>sequential call RTT, caller-driven: {@code CallClient.call} with {@code CallOptions.callerDriven()} to a
 *       child serving one accepted channel with {@code IpcCalls.serve} ({@code call-server-accepted}: it waits the
 *       way the mirror does); the row to compare with 1., where the layer should add less than 20 %;</li>
 *   <li>the same through the shared dispatcher: {@code call} on a default client (adds a hand-off);</li>
 *   <li>the same caller-driven calls to an event-driven server ({@code IpcServer.serve}), whose one dispatcher
 *       waits in the multiplexer rather than spinning (adds its wake-up);</li>
 *   <li>pipelined calls per second with 1, 16 and 256 requests in flight on one channel: {@code request} keeping
 *       that many futures outstanding ({@code call-server} echoes on the server's dispatcher).</li>
 * </ol>
 * Arguments: rounds (default 20000). Run with the class path of ipc.linux's tests.
 */
public final class CallsMeasureMain
{
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final IpcOptions OPTIONS = IpcOptions.builder().connectTimeout(Duration.ofSeconds(20)).build();
    private static final byte[] MESSAGE = new byte[64];

    private CallsMeasureMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        rawRoundTrips(rounds);
        // Sequential calls against a server thread that waits like the raw mirror does (spin, then park).
        for (final boolean callerDriven : new boolean[] {true, false})
        {
            final String accepted = uniqueName("calls-measure-accepted");
            try (ChildJvm child = ChildJvm.start("call-server-accepted", "call-server-accepted", accepted))
            {
                child.awaitLine("SERVING", 60_000);
                try (CallClient client = IpcCalls.client(TRANSPORT.connect(accepted, OPTIONS), callerDriven ?
                    CallOptions.builder().callerDriven().build() : CallOptions.defaults()))
                {
                    report(callerDriven ? "call RTT, caller-driven" : "call RTT, dispatcher",
                        sequentialCalls(client, rounds));
                }
                child.awaitExit(30_000);
            }
        }
        // Through an event-driven server (one dispatcher for every connection, waiting in the multiplexer).
        final String name = uniqueName("calls-measure");
        try (ChildJvm child = ChildJvm.start("call-server", "call-server", name, "0"))
        {
            child.awaitLine("SERVING", 60_000);
            try (CallClient client = IpcCalls.client(TRANSPORT.connect(name, OPTIONS),
                CallOptions.builder().callerDriven().build()))
            {
                report("call RTT, served()", sequentialCalls(client, rounds));
            }
            try (CallClient client = IpcCalls.client(TRANSPORT.connect(name, OPTIONS)))
            {
                for (final int inFlight : new int[] {1, 16, 256})
                {
                    pipelined(client, inFlight, rounds * 5);
                }
            }
            child.process().getOutputStream().close();
            child.awaitExit(30_000);
        }
    }

    private static void rawRoundTrips(final int rounds) throws Exception
    {
        final String name = uniqueName("raw-measure");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults());
             ChildJvm child = ChildJvm.start("mirror", "mirror", name))
        {
            try (IpcChannel channel = server.accept(Duration.ofSeconds(60)))
            {
                final long[] nanos = new long[rounds];
                for (int i = 0; i < rounds; i++)
                {
                    final long start = System.nanoTime();
                    channel.send(MESSAGE);
                    channel.receive(WAIT);
                    nanos[i] = System.nanoTime() - start;
                }
                report("raw channel RTT", nanos);
            }
            child.awaitExit(30_000);
        }
    }

    private static long[] sequentialCalls(final CallClient client, final int rounds) throws Exception
    {
        final long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++)
        {
            final long start = System.nanoTime();
            client.call(MESSAGE, WAIT);
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static void pipelined(final CallClient client, final int inFlight, final int calls) throws Exception
    {
        final ArrayDeque<CompletableFuture<byte[]>> window = new ArrayDeque<>(inFlight);
        final long start = System.nanoTime();
        for (int i = 0; i < calls; i++)
        {
            if (window.size() == inFlight)
            {
                window.poll().get();
            }
            window.add(client.request(MESSAGE, WAIT));
        }
        while (!window.isEmpty())
        {
            window.poll().get();
        }
        final long nanos = System.nanoTime() - start;
        System.out.printf("pipelined, %3d in flight: %,.0f calls/s (%d calls)%n", inFlight, calls * 1e9 / nanos,
            calls);
    }

    private static void report(final String what, final long[] nanos)
    {
        // The first half is warm-up; the rest is reported.
        final long[] measured = Arrays.copyOfRange(nanos, nanos.length / 2, nanos.length);
        Arrays.sort(measured);
        System.out.printf("%-26s median %6.1f us  p99 %7.1f us  (%d round trips)%n", what,
            measured[measured.length / 2] / 1e3, measured[(int)(measured.length * 0.99)] / 1e3, measured.length);
    }
}
