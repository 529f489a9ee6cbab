package ipc.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ipc.api.IpcChannel;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;

/**
 * The two child roles of the many-clients scenario, driven by commands on stdin:
 * <ul>
 *   <li>server: binds with default options, serves an echo handler (event-driven {@code serve}); {@code STATS}
 *       answers {@code STATS <javaThreadsAddedSinceBeforeBind> <openConnections>}; {@code EXIT} ends it;</li>
 *   <li>client: {@code OPEN n} opens n more connections; {@code RUN r} sends r requests of 64 bytes on every
 *       connection (one on each, then the replies, r times) and answers {@code RAN <requests> <errors>};
 *       {@code EXIT} closes them all.</li>
 * </ul>
 */
final class ManyClientsPeers
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ManyClientsPeers()
    {
    }

    static void server(final String name, final PrintStream out) throws Exception
    {
        final int threadsBefore = Thread.activeCount();
        try (IpcServer server = IpcTransport.forHost().bind(name, IpcOptions.defaults()))
        {
            server.serve(new EchoHandler());
            PeerMain.line(out, "READY");
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = in.readLine()) != null && !"EXIT".equals(command))
            {
                if ("STATS".equals(command))
                {
                    PeerMain.line(out, "STATS " + (Thread.activeCount() - threadsBefore) + " " +
                        server.stats().openConnections());
                }
            }
        }
    }

    static void client(final String name, final PrintStream out) throws Exception
    {
        final List<IpcChannel> channels = new ArrayList<>();
        final IpcTransport transport = IpcTransport.forHost();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PeerMain.line(out, "READY");
        try
        {
            String command;
            while ((command = in.readLine()) != null && !"EXIT".equals(command))
            {
                final String[] words = command.split(" ");
                if ("OPEN".equals(words[0]))
                {
                    final int more = Integer.parseInt(words[1]);
                    for (int i = 0; i < more; i++)
                    {
                        channels.add(transport.connect(name, IpcOptions.defaults()));
                    }
                    PeerMain.line(out, "OPENED " + channels.size());
                }
                else if ("RUN".equals(words[0]))
                {
                    PeerMain.line(out, run(channels, Integer.parseInt(words[1])));
                }
            }
        }
        finally
        {
            channels.forEach(IpcChannel::close);
        }
    }

    private static String run(final List<IpcChannel> channels, final int rounds)
    {
        final ByteBuffer request = ByteBuffer.allocateDirect(Counts.RTT_SIZE);
        final ByteBuffer reply = ByteBuffer.allocateDirect(Counts.RTT_SIZE);
        long completed = 0;
        long errors = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int c = 0; c < channels.size(); c++)
            {
                request.clear();
                request.putLong(0, ((long)c << 32) | round);
                try
                {
                    channels.get(c).send(request);
                }
                catch (final Exception ex)
                {
                    errors++;
                }
            }
            for (int c = 0; c < channels.size(); c++)
            {
                reply.clear();
                try
                {
                    final int length = channels.get(c).receive(reply, TIMEOUT);
                    if (length == Counts.RTT_SIZE && reply.getLong(0) == (((long)c << 32) | round))
                    {
                        completed++;
                    }
                    else
                    {
                        errors++;
                    }
                }
                catch (final Exception ex)
                {
                    errors++;
                }
            }
        }
        return "RAN " + completed + " " + errors;
    }

    /** Replies to every request with the same bytes. */
    private static final class EchoHandler implements IpcHandler
    {
        @Override
        public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
        {
            channel.send(message);
        }
    }
}
