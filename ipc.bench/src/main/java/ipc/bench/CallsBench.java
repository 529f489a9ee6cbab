package ipc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;
import ipc.api.call.CallClient;
import ipc.api.call.CallOptions;
import ipc.api.call.IpcCalls;

/**
 * Request/reply rows (issue 13): what the call layer costs over the raw channel, and pipelined calls against a JDK
 * Unix-domain-socket equivalent. One child JVM serves four echo servers on threads of their own: ours in
 * event-driven mode for raw messages ({@code serve(echo)}), ours in event-driven mode for calls, twice (requests read
 * in place, {@code serve(IpcCalls.viewHandler(echo))}, and as arrays, {@code serve(IpcCalls.handler(echo))}), and a
 * blocking socket server with a thread per connection whose client frames each 64-byte request with nothing (fixed
 * size). This JVM is the client. In every slice, in an order rotated from slice to slice, it measures for a fixed time:
 * <ul>
 *   <li>raw RTT: {@code send} then {@code receive} of 64 bytes, from and into direct buffers;</li>
 *   <li>call RTT: {@code CallClient.call(request, reply, timeout)} of 64 bytes from and into direct buffers,
 *       caller-driven (the calling thread reads its reply), against the view handler: the layer's cheapest call,
 *       like for like with the raw row, and the one the goal applies to;</li>
 *   <li>array call RTT: {@code CallClient.call(byte[], timeout)} against the array handler (an array per request
 *       and per reply on each side);</li>
 *   <li>pipelined calls per second with 1, 16 and 256 in flight ({@code request} futures, the shared dispatcher
 *       completing them) and the socket equivalent (that many 64-byte requests written ahead of their replies).</li>
 * </ul>
 * Ratios are taken per slice and reported as medians with quartiles, as everywhere in the tool. Run:
 * {@code java -cp ipc-bench.jar ipc.bench.CallsBench [slices] [sliceMillis]}.
 */
public final class CallsBench
{
    private static final int MESSAGE = 64;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int[] WINDOWS = {1, 16, 256};
    /** The rows before the pipelined ones: raw, call and array call RTT. */
    private static final int FIRST_WINDOW_ROW = 3;

    private CallsBench()
    {
    }

    /**
     * Runs the rows and prints the table.
     *
     * @param args slices (default 20) and slice length in milliseconds (default 300).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        run(args, System.out);
    }

    /**
     * Runs the rows and prints the table.
     *
     * @param args as {@link #main}.
     * @param out  where the table goes.
     * @throws Exception on failure.
     */
    static void run(final String[] args, final PrintStream out) throws Exception
    {
        final int slices = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        final long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 300) * 1_000_000L;
        final String name = "calls-bench-" + ProcessHandle.current().pid();
        final Path socket = Path.of(System.getProperty("java.io.tmpdir"), name + ".sock");
        out.println("calls: " + slices + " slices x " + sliceNanos / 1_000_000 + " ms per row; child JVMs on " +
            System.getProperty("java.home"));
        try (ChildJvm server = ChildJvm.start(List.of("calls", name, socket.toString())))
        {
            server.expect("READY");
            final IpcTransport transport = IpcTransport.forHost();
            final List<String> rows = new ArrayList<>(List.of("raw RTT", "call RTT", "array call RTT"));
            for (final int window : WINDOWS)
            {
                rows.add("calls/s " + window + " in flight");
                rows.add("UDS/s " + window + " in flight");
            }
            final List<List<Double>> figures = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++)
            {
                figures.add(new ArrayList<>());
            }
            try (IpcChannel raw = transport.connect(name + "-raw", IpcOptions.defaults());
                CallClient direct = IpcCalls.client(transport.connect(name + "-views", IpcOptions.defaults()),
                    CallOptions.builder().callerDriven().build());
                CallClient arrays = IpcCalls.client(transport.connect(name + "-calls", IpcOptions.defaults()),
                    CallOptions.builder().callerDriven().build());
                CallClient pipelined = IpcCalls.client(transport.connect(name + "-calls", IpcOptions.defaults()));
                SocketChannel uds = SocketChannel.open(UnixDomainSocketAddress.of(socket)))
            {
                final Runnable[] measure = new Runnable[rows.size()];
                final double[] result = new double[rows.size()];
                measure[0] = unchecked(() -> result[0] = rawRoundTrip(raw, sliceNanos));
                measure[1] = unchecked(() -> result[1] = bufferCallRoundTrip(direct, sliceNanos));
                measure[2] = unchecked(() -> result[2] = callRoundTrip(arrays, sliceNanos));
                for (int w = 0; w < WINDOWS.length; w++)
                {
                    final int window = WINDOWS[w];
                    final int calls = FIRST_WINDOW_ROW + 2 * w;
                    measure[calls] = unchecked(() -> result[calls] = pipelinedCalls(pipelined, window, sliceNanos));
                    measure[calls + 1] = unchecked(() -> result[calls + 1] = pipelinedUds(uds, window, sliceNanos));
                }
                // One unrecorded slice warms every path up.
                for (final Runnable row : measure)
                {
                    row.run();
                }
                final List<Integer> order = new ArrayList<>();
                for (int i = 0; i < measure.length; i++)
                {
                    order.add(i);
                }
                for (int slice = 0; slice < slices; slice++)
                {
                    for (final int row : Stats.rotated(order, slice))
                    {
                        measure[row].run();
                        figures.get(row).add(result[row]);
                    }
                    out.printf("[calls %d/%d] raw %.2f us, call %.2f us, 256 in flight %.0f calls/s, UDS %.0f/s%n",
                        slice + 1, slices, result[0], result[1], result[result.length - 2],
                        result[result.length - 1]);
                }
            }
            server.command("EXIT");
            server.awaitExit();
            report(out, rows, figures);
        }
    }

    private static void report(final PrintStream out, final List<String> rows, final List<List<Double>> figures)
    {
        out.println();
        out.println("== request/reply, 64 B (per slice: median (q1-q3))");
        for (int i = 0; i < rows.size(); i++)
        {
            final Stats.Spread spread = Stats.spread(figures.get(i));
            final String unit = i < FIRST_WINDOW_ROW ? " us" : "";
            out.printf("| %-24s | %12s%s |%n", rows.get(i), spread.median() < 100 ?
                String.format("%.2f (%.2f-%.2f)", spread.median(), spread.q1(), spread.q3()) :
                String.format("%.0f (%.0f-%.0f)", spread.median(), spread.q1(), spread.q3()), unit);
        }
        out.println();
        out.println("== ratios: median of per-slice ratios (q1-q3)");
        final Stats.Spread overhead = Stats.spread(Stats.ratios(figures.get(1), figures.get(0)));
        out.printf("| call RTT / raw RTT              | %.3f (%.3f-%.3f) | GOAL <= 1.2: %s |%n", overhead.median(),
            overhead.q1(), overhead.q3(), overhead.median() <= 1.2 ? "met" : "MISSED");
        final Stats.Spread arrays = Stats.spread(Stats.ratios(figures.get(2), figures.get(0)));
        out.printf("| array call RTT / raw RTT        | %.3f (%.3f-%.3f) |%n", arrays.median(), arrays.q1(), arrays.q3());
        for (int w = 0; w < WINDOWS.length; w++)
        {
            final Stats.Spread ratio = Stats.spread(Stats.ratios(figures.get(FIRST_WINDOW_ROW + 2 * w),
                figures.get(FIRST_WINDOW_ROW + 1 + 2 * w)));
            out.printf("| calls/s %3d in flight / UDS's  | %.2f (%.2f-%.2f) |%n", WINDOWS[w], ratio.median(),
                ratio.q1(), ratio.q3());
        }
    }

    private static double rawRoundTrip(final IpcChannel channel, final long sliceNanos) throws Exception
    {
        final ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE);
        final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE);
        final long[] samples = new long[1 << 20];
        int count = 0;
        final long end = System.nanoTime() + sliceNanos;
        long now = System.nanoTime();
        while (now < end && count < samples.length)
        {
            out.clear();
            channel.send(out);
            in.clear();
            channel.receive(in, WAIT);
            final long after = System.nanoTime();
            samples[count++] = after - now;
            now = after;
        }
        return median(samples, count) / 1e3;
    }

    private static double bufferCallRoundTrip(final CallClient client, final long sliceNanos) throws Exception
    {
        final ByteBuffer request = ByteBuffer.allocateDirect(MESSAGE);
        final ByteBuffer reply = ByteBuffer.allocateDirect(MESSAGE);
        final long[] samples = new long[1 << 20];
        int count = 0;
        final long end = System.nanoTime() + sliceNanos;
        long now = System.nanoTime();
        while (now < end && count < samples.length)
        {
            request.clear();
            reply.clear();
            client.call(request, reply, WAIT);
            final long after = System.nanoTime();
            samples[count++] = after - now;
            now = after;
        }
        return median(samples, count) / 1e3;
    }

    private static double callRoundTrip(final CallClient client, final long sliceNanos) throws Exception
    {
        final byte[] request = new byte[MESSAGE];
        final long[] samples = new long[1 << 20];
        int count = 0;
        final long end = System.nanoTime() + sliceNanos;
        long now = System.nanoTime();
        while (now < end && count < samples.length)
        {
            client.call(request, WAIT);
            final long after = System.nanoTime();
            samples[count++] = after - now;
            now = after;
        }
        return median(samples, count) / 1e3;
    }

    private static double pipelinedCalls(final CallClient client, final int window, final long sliceNanos)
        throws Exception
    {
        final byte[] request = new byte[MESSAGE];
        final ArrayDeque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>(window);
        final long start = System.nanoTime();
        final long end = start + sliceNanos;
        long completed = 0;
        while (System.nanoTime() < end)
        {
            while (inFlight.size() < window)
            {
                inFlight.add(client.request(request, WAIT));
            }
            inFlight.poll().get();
            completed++;
        }
        while (!inFlight.isEmpty())
        {
            inFlight.poll().get();
            completed++;
        }
        return completed / ((System.nanoTime() - start) / 1e9);
    }

    private static double pipelinedUds(final SocketChannel channel, final int window, final long sliceNanos)
        throws IOException
    {
        final ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE);
        final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE);
        final long start = System.nanoTime();
        final long end = start + sliceNanos;
        long sent = 0;
        long completed = 0;
        while (System.nanoTime() < end || completed < sent)
        {
            while (sent - completed < window && System.nanoTime() < end)
            {
                out.clear();
                while (out.hasRemaining())
                {
                    channel.write(out);
                }
                sent++;
            }
            if (completed == sent)
            {
                // The slice ended between the two time checks: nothing is in flight, so nothing is to be read.
                break;
            }
            in.clear();
            while (in.hasRemaining())
            {
                if (channel.read(in) < 0)
                {
                    throw new IOException("socket server closed");
                }
            }
            completed++;
        }
        return completed / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(final long[] samples, final int count)
    {
        final long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return count == 0 ? Double.NaN : sorted[count / 2];
    }

    /** The child: the four echo servers until {@code EXIT}. */
    static void server(final String name, final String socketPath, final PrintStream out) throws Exception
    {
        final IpcTransport transport = IpcTransport.forHost();
        final Path socket = Path.of(socketPath);
        Files.deleteIfExists(socket);
        try (IpcServer raw = transport.bind(name + "-raw", IpcOptions.defaults());
            IpcServer calls = transport.bind(name + "-calls", IpcOptions.defaults());
            IpcServer views = transport.bind(name + "-views", IpcOptions.defaults());
            ServerSocketChannel uds = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            raw.serve(new ServePeers.EchoHandler());
            calls.serve(IpcCalls.handler((request, reply) -> reply.send(request)));
            views.serve(IpcCalls.viewHandler((request, reply) -> reply.send(request)));
            uds.bind(UnixDomainSocketAddress.of(socket));
            final Thread acceptor = new Thread(() -> ServePeers.acceptLoop(uds), "uds-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            PeerMain.line(out, "READY");
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = in.readLine()) != null && !"EXIT".equals(command))
            {
                throw new IllegalArgumentException("unknown calls command: command=" + command);
            }
        }
        finally
        {
            Files.deleteIfExists(socket);
        }
    }

    /** A measurement that may throw, as a {@link Runnable} for the rotation. */
    @FunctionalInterface
    private interface Measurement
    {
        void run() throws Exception;
    }

    private static Runnable unchecked(final Measurement measurement)
    {
        return () ->
        {
            try
            {
                measurement.run();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("calls measurement failed: " + ex, ex);
            }
        };
    }
}
