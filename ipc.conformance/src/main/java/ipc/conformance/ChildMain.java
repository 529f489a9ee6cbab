package ipc.conformance;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcChannel;
import ipc.api.IpcClaim;
import ipc.api.IpcException;
import ipc.api.IpcMessage;
import ipc.api.IpcOptions;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcServer;
import ipc.api.IpcServerStats;
import ipc.api.IpcTransport;

/**
 * The other process of the cross-process tests, on the host's transport ({@link IpcTransport#forHost()}). The first
 * argument picks the role; the socket directory comes from {@code -Dipc.socketDirectory}. It reports on stdout and through its exit code (0 on success).
 */
public final class ChildMain
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final IpcOptions OPTIONS = IpcOptions.builder().connectTimeout(Duration.ofSeconds(20)).build();

    private ChildMain()
    {
    }

    public static void main(final String[] args)
    {
        try
        {
            final IpcTransport transport = IpcTransport.forHost();
            final String name = args[1];
            switch (args[0])
            {
                case "stream" -> stream(transport, name, Long.parseLong(args[2]));
                case "requests" -> requests(transport, name, Integer.parseInt(args[2]));
                case "mirror" -> mirror(transport, name, false);
                case "mirror-zero-copy" -> mirror(transport, name, true);
                case "paced" -> paced(transport, name);
                case "clients" -> clients(transport, name, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]));
                case "connect-once" -> System.exit(connectOnce(transport, name));
                case "bind-and-wait" -> bindAndWait(transport, name);
                case "call-server" -> callServer(transport, name, Integer.parseInt(args[2]));
                case "call-server-accepted" -> callServerAccepted(transport, name);
                case "accept-and-hold" -> acceptAndHold(transport, name, false);
                case "accept-and-send-partial" -> acceptAndHold(transport, name, true);
                case "stats-once" -> System.exit(statsOnce(transport, name));
                default -> throw new IllegalArgumentException("unknown role: " + args[0]);
            }
            System.out.flush();
            System.exit(0);
        }
        catch (final Throwable ex)
        {
            System.out.println("FAILED " + ex);
            ex.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
    }

    /** Sends {@code count} self-checking messages, then waits for the parent's "done" before closing. */
    private static void stream(final IpcTransport transport, final String name, final long count) throws Exception
    {
        try (IpcChannel channel = transport.connect(name, OPTIONS))
        {
            final ByteBuffer buffer = ByteBuffer.allocate(Messages.MAX_LENGTH);
            final long start = System.nanoTime();
            for (long sequence = 0; sequence < count; sequence++)
            {
                buffer.clear();
                Messages.write(buffer, sequence);
                buffer.limit(Messages.length(sequence));
                channel.send(buffer);
            }
            final long nanos = System.nanoTime() - start;
            System.out.println("SENT count=" + count + " ms=" + nanos / 1_000_000 + " stats=" + channel.stats());
            final byte[] done = channel.receive(WAIT);
            System.out.println("DONE " + new String(done, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    /** Sends requests of varying sizes and checks each answer is the request reversed. */
    private static void requests(final IpcTransport transport, final String name, final int count) throws Exception
    {
        try (IpcChannel channel = transport.connect(name, OPTIONS))
        {
            for (int i = 0; i < count; i++)
            {
                final byte[] request = Messages.payload(1 + i % 500, i);
                channel.send(request);
                final byte[] reply = channel.receive(WAIT);
                final byte[] expected = Messages.answer(ByteBuffer.wrap(request));
                if (!Arrays.equals(expected, reply))
                {
                    throw new AssertionError("wrong answer to request " + i + ": length=" + reply.length);
                }
            }
            System.out.println("OK requests=" + count + " peer=" + channel.peer() + " stats=" + channel.stats());
        }
    }

    /** Sends back every message until the parent closes; zero-copy both ways if asked. */
    private static void mirror(final IpcTransport transport, final String name, final boolean zeroCopy)
        throws Exception
    {
        try (IpcChannel channel = transport.connect(name, OPTIONS))
        {
            System.out.println("CONNECTED maxMessageSize=" + channel.maxMessageSize() + " maxClaimLength=" +
                channel.maxClaimLength());
            long mirrored = 0;
            long claimed = 0;
            try
            {
                while (true)
                {
                    if (zeroCopy)
                    {
                        try (IpcMessage message = channel.receiveBorrowed(WAIT))
                        {
                            final ByteBuffer body = message.buffer();
                            if (!body.isReadOnly())
                            {
                                throw new AssertionError("a borrowed message must be read-only");
                            }
                            if (message.length() <= channel.maxClaimLength())
                            {
                                try (IpcClaim claim = channel.claim(message.length(), WAIT))
                                {
                                    claim.buffer().put(body.duplicate());
                                    claim.commit();
                                    claimed++;
                                }
                            }
                            else
                            {
                                channel.send(body.duplicate());
                            }
                        }
                    }
                    else
                    {
                        channel.send(channel.receive(WAIT));
                    }
                    mirrored++;
                }
            }
            catch (final IpcPeerClosedException ex)
            {
                System.out.println("MIRRORED count=" + mirrored + " claimed=" + claimed);
            }
        }
    }

    /** Streams messages at about one per millisecond until killed. */
    private static void paced(final IpcTransport transport, final String name) throws Exception
    {
        final IpcChannel channel = transport.connect(name, OPTIONS);
        final ByteBuffer buffer = ByteBuffer.allocate(Messages.MAX_LENGTH);
        for (long sequence = 0; ; sequence++)
        {
            buffer.clear();
            Messages.write(buffer, sequence);
            buffer.limit(Messages.length(sequence));
            channel.send(buffer);
            if (sequence == 100)
            {
                System.out.println("STREAMING");
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /**
     * Opens {@code connections} connections, then {@code threads} threads each run {@code rounds} request/response
     * rounds over their share of them, checking every answer.
     */
    private static void clients(final IpcTransport transport, final String name, final int clientId,
        final int connections, final int rounds, final int threads) throws Exception
    {
        final long start = System.nanoTime();
        final List<IpcChannel> channels = new ArrayList<>();
        try
        {
            for (int i = 0; i < connections; i++)
            {
                channels.add(transport.connect(name, OPTIONS));
            }
            final long connected = System.nanoTime();
            System.out.println("CONNECTED connections=" + connections + " ms=" + (connected - start) / 1_000_000);
            final Throwable[] failures = new Throwable[threads];
            final Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                final int worker = t;
                workers[t] = new Thread(() -> {
                    try
                    {
                        for (int round = 0; round < rounds; round++)
                        {
                            for (int c = worker; c < connections; c += threads)
                            {
                                channels.get(c).send(Messages.payload(16 + (c + round) % 200,
                                    clientId * 1_000_003 + c * 1009 + round));
                            }
                            for (int c = worker; c < connections; c += threads)
                            {
                                final byte[] reply = channels.get(c).receive(WAIT);
                                final byte[] request = Messages.payload(16 + (c + round) % 200,
                                    clientId * 1_000_003 + c * 1009 + round);
                                if (!Arrays.equals(Messages.answer(ByteBuffer.wrap(request)), reply))
                                {
                                    throw new AssertionError("wrong answer: client=" + clientId + " connection=" +
                                        c + " round=" + round);
                                }
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failures[worker] = ex;
                    }
                }, "client-" + t);
                workers[t].start();
            }
            for (final Thread worker : workers)
            {
                worker.join();
            }
            for (final Throwable failure : failures)
            {
                if (null != failure)
                {
                    throw new AssertionError("a client thread failed", failure);
                }
            }
            System.out.println("OK client=" + clientId + " requests=" + (long)connections * rounds + " ms=" +
                (System.nanoTime() - connected) / 1_000_000);
        }
        finally
        {
            for (final IpcChannel channel : channels)
            {
                channel.close();
            }
        }
    }

    private static int connectOnce(final IpcTransport transport, final String name)
    {
        try (IpcChannel channel = transport.connect(name, OPTIONS))
        {
            channel.send("ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            final byte[] reply = channel.receive(WAIT);
            System.out.println("OUTCOME OK reply=" + new String(reply, java.nio.charset.StandardCharsets.US_ASCII));
            return 0;
        }
        catch (final IpcAccessDeniedException ex)
        {
            System.out.println("OUTCOME ACCESS_DENIED " + ex.getMessage());
            return 3;
        }
        catch (final IpcException ex)
        {
            System.out.println("OUTCOME " + ex.getClass().getSimpleName() + " " + ex.getMessage());
            return 4;
        }
    }

    /** Asks a server for its counters once (IpcTransport.stats) and prints them or the failure. */
    private static int statsOnce(final IpcTransport transport, final String name)
    {
        try
        {
            final IpcServerStats stats = transport.stats(name, Duration.ofSeconds(20));
            System.out.println("OUTCOME STATS open=" + stats.openConnections() + " accepted=" +
                stats.acceptedConnections() + " rejected=" + stats.rejectedConnections() + " received=" +
                stats.traffic().messagesReceived() + " sent=" + stats.traffic().messagesSent());
            return 0;
        }
        catch (final IpcAccessDeniedException ex)
        {
            System.out.println("OUTCOME ACCESS_DENIED " + ex.getMessage());
            return 3;
        }
        catch (final IpcException ex)
        {
            System.out.println("OUTCOME " + ex.getClass().getSimpleName() + " " + ex.getMessage());
            return 4;
        }
    }

    /** Binds a name and holds it until killed (or its stdin ends). */
    /**
     * Serves calls ({@code ipc.api.call}) until killed: with {@code heldReport} above 0 every plain request is held
     * and never answered (printing {@code HELD n} when that many are held), else it is echoed; a streamed request gets as many items as its first
     * 4 bytes say (each its index as 4 bytes, produced on a thread of its own as credits allow).
     */
    private static void callServer(final IpcTransport transport, final String name, final int heldReport)
        throws Exception
    {
        final java.util.List<ipc.api.call.Reply> held = new java.util.ArrayList<>();
        final java.util.concurrent.ExecutorService producers = java.util.concurrent.Executors.newCachedThreadPool();
        final IpcServer server = transport.bind(name, IpcOptions.defaults());
        server.serve(ipc.api.call.IpcCalls.handler((request, reply) ->
        {
            if (reply.isStreamed())
            {
                final int count = ByteBuffer.wrap(request).getInt(0);
                producers.execute(() ->
                {
                    try
                    {
                        for (int i = 0; i < count; i++)
                        {
                            if (!reply.sendItem(ByteBuffer.allocate(4).putInt(0, i).array(), WAIT))
                            {
                                return;
                            }
                        }
                        reply.end();
                    }
                    catch (final Exception ex)
                    {
                        System.out.println("FAILED producing: " + ex);
                    }
                });
            }
            else if (heldReport > 0)
            {
                held.add(reply);
                if (held.size() == heldReport)
                {
                    System.out.println("HELD " + held.size());
                }
            }
            else
            {
                reply.send(request);
            }
        }));
        System.out.println("SERVING " + server.name());
        while (System.in.read() >= 0)
        {
            // Served until the parent kills us or closes our input.
        }
        server.close();
        producers.shutdownNow();
    }

    /**
     * Accepts one connection and serves calls on it on this thread ({@code IpcCalls.serve}), echoing every request,
     * until the client closes: the call-layer twin of {@code mirror}, waiting the way a plain receive does.
     */
    private static void callServerAccepted(final IpcTransport transport, final String name) throws Exception
    {
        try (IpcServer server = transport.bind(name, IpcOptions.defaults()))
        {
            System.out.println("SERVING " + server.name());
            ipc.api.call.IpcCalls.serve(server.accept(WAIT), (request, reply) -> reply.send(request));
        }
    }

    private static void bindAndWait(final IpcTransport transport, final String name) throws Exception
    {
        final IpcServer server = transport.bind(name, IpcOptions.defaults());
        System.out.println("BOUND " + server.name());
        while (System.in.read() >= 0)
        {
            // Held until the parent kills us.
        }
        server.close();
    }

    /**
     * Binds, accepts one client, prints {@code ACCEPTED}, and then either holds still (neither reading nor writing)
     * or starts a message larger than the ring, which the client does not read: once its sender waits for room,
     * mid-fragment, a second thread prints {@code MID-FRAGMENT}. Held until the parent kills us.
     */
    private static void acceptAndHold(final IpcTransport transport, final String name, final boolean partial)
        throws Exception
    {
        final IpcOptions options = IpcOptions.builder().sendTimeout(Duration.ofMinutes(5)).build();
        final IpcServer server = transport.bind(name, options);
        System.out.println("BOUND " + server.name());
        final IpcChannel channel = server.accept(Duration.ofSeconds(30));
        System.out.println("ACCEPTED");
        if (partial)
        {
            final Thread watcher = new Thread(() ->
            {
                while (channel.stats().fullRingWaits() == 0)
                {
                    LockSupport.parkNanos(1_000_000L);
                }
                System.out.println("MID-FRAGMENT");
            });
            watcher.setDaemon(true);
            watcher.start();
            channel.send(new byte[options.ringCapacity() * 3]);
        }
        while (System.in.read() >= 0)
        {
            // Held until the parent kills us.
        }
        channel.close();
        server.close();
    }
}
