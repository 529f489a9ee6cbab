package ipc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;

/**
 * The child roles of the many-clients scenario, driven by commands on stdin:
 * <ul>
 *   <li>server (ours): binds with default options, serves an echo handler (event-driven {@code serve});</li>
 *   <li>nio: a JDK NIO {@link Selector} Unix domain socket echo server on one thread, the socket peer;</li>
 *   <li>both servers answer {@code STATS} with {@code STATS <javaThreadsAddedSinceBeforeBind> <openConnections>}
 *       and end at {@code EXIT};</li>
 *   <li>client: {@code OPEN ours|uds n} opens n more connections to that server ({@code OPENED <total>});
 *       {@code RUN ours|uds r} sends r requests of 64 bytes on every connection to it (one on each, then the
 *       replies, r times) and answers {@code RAN <requests> <errors>}; {@code EXIT} closes them all.</li>
 * </ul>
 */
final class ManyClientsPeers
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Per-connection buffer of the NIO server: many requests' worth. */
    private static final int NIO_BUFFER = 4096;

    private ManyClientsPeers()
    {
    }

    static void server(final String name, final PrintStream out) throws Exception
    {
        final int threadsBefore = Thread.activeCount();
        try (IpcServer server = IpcTransport.forHost().bind(name, IpcOptions.defaults()))
        {
            server.serve(new ServePeers.EchoHandler());
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

    static void nioServer(final String path, final PrintStream out) throws Exception
    {
        final int threadsBefore = Thread.activeCount();
        final Path socket = Path.of(path);
        Files.deleteIfExists(socket);
        final AtomicInteger open = new AtomicInteger();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            Selector selector = Selector.open())
        {
            server.bind(UnixDomainSocketAddress.of(socket), 4096);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            final Thread loop = new Thread(() -> selectLoop(selector, open), "nio-echo");
            loop.setDaemon(true);
            loop.start();
            PeerMain.line(out, "READY");
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = in.readLine()) != null && !"EXIT".equals(command))
            {
                if ("STATS".equals(command))
                {
                    PeerMain.line(out, "STATS " + (Thread.activeCount() - threadsBefore) + " " + open.get());
                }
            }
        }
    }

    /** The NIO server's one thread: accept, read, echo what was read, finish partial writes when writable. */
    private static void selectLoop(final Selector selector, final AtomicInteger open)
    {
        try
        {
            while (selector.isOpen())
            {
                selector.select();
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    try
                    {
                        if (key.isAcceptable())
                        {
                            final SocketChannel channel = ((ServerSocketChannel)key.channel()).accept();
                            if (null != channel)
                            {
                                channel.configureBlocking(false);
                                channel.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(NIO_BUFFER));
                                open.incrementAndGet();
                            }
                            continue;
                        }
                        final SocketChannel channel = (SocketChannel)key.channel();
                        final ByteBuffer buffer = (ByteBuffer)key.attachment();
                        if (key.isReadable() && channel.read(buffer) < 0)
                        {
                            key.cancel();
                            channel.close();
                            open.decrementAndGet();
                            continue;
                        }
                        buffer.flip();
                        channel.write(buffer);
                        buffer.compact();
                        // Read no more until what was read has been echoed: a client that stops reading is throttled.
                        key.interestOps(buffer.position() > 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                    }
                    catch (final IOException ex)
                    {
                        key.cancel();
                        key.channel().close();
                        open.decrementAndGet();
                    }
                }
            }
        }
        catch (final ClosedSelectorException ex)
        {
            // EXIT closed the selector.
        }
        catch (final IOException ex)
        {
            ex.printStackTrace();
        }
    }

    static void client(final String name, final String udsPath, final PrintStream out) throws Exception
    {
        final List<IpcChannel> channels = new ArrayList<>();
        final List<SocketChannel> sockets = new ArrayList<>();
        final IpcTransport transport = IpcTransport.forHost();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PeerMain.line(out, "READY");
        try
        {
            String command;
            while ((command = in.readLine()) != null && !"EXIT".equals(command))
            {
                final String[] words = command.split(" ");
                final boolean ours = "ours".equals(words[1]);
                final int n = Integer.parseInt(words[2]);
                if ("OPEN".equals(words[0]))
                {
                    for (int i = 0; i < n; i++)
                    {
                        if (ours)
                        {
                            channels.add(transport.connect(name, IpcOptions.defaults()));
                        }
                        else
                        {
                            sockets.add(SocketChannel.open(UnixDomainSocketAddress.of(udsPath)));
                        }
                    }
                    PeerMain.line(out, "OPENED " + (ours ? channels.size() : sockets.size()));
                }
                else if ("RUN".equals(words[0]))
                {
                    PeerMain.line(out, ours ? run(channels, n) : runSockets(sockets, n));
                }
            }
        }
        finally
        {
            channels.forEach(IpcChannel::close);
            for (final SocketChannel socket : sockets)
            {
                socket.close();
            }
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

    /** The same load on blocking sockets: 64-byte requests, each reply read in full (no framing needed). */
    private static String runSockets(final List<SocketChannel> sockets, final int rounds)
    {
        final ByteBuffer request = ByteBuffer.allocateDirect(Counts.RTT_SIZE);
        final ByteBuffer reply = ByteBuffer.allocateDirect(Counts.RTT_SIZE);
        final boolean[] broken = new boolean[sockets.size()];
        long completed = 0;
        long errors = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int c = 0; c < sockets.size(); c++)
            {
                request.clear();
                request.putLong(0, ((long)c << 32) | round);
                try
                {
                    while (request.hasRemaining())
                    {
                        sockets.get(c).write(request);
                    }
                }
                catch (final IOException ex)
                {
                    broken[c] = true;
                }
            }
            for (int c = 0; c < sockets.size(); c++)
            {
                if (broken[c])
                {
                    errors++;
                    continue;
                }
                reply.clear();
                try
                {
                    while (reply.hasRemaining())
                    {
                        if (sockets.get(c).read(reply) < 0)
                        {
                            throw new IOException("server closed the socket: connection=" + c);
                        }
                    }
                    if (reply.getLong(0) == (((long)c << 32) | round))
                    {
                        completed++;
                    }
                    else
                    {
                        errors++;
                    }
                }
                catch (final IOException ex)
                {
                    broken[c] = true;
                    errors++;
                }
            }
        }
        return "RAN " + completed + " " + errors;
    }
}
