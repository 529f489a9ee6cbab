package ipc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import ipc.api.IpcChannel;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;

/**
 * The echo servers that answer clients on threads of their own, for the paced serve-mode and connection set-up
 * scenarios: ours in event-driven mode ({@code IpcServer.serve}, default options, one dispatcher) and a blocking
 * JDK Unix domain socket server with one thread per connection. Both echo every byte back; a socket client's
 * four-byte length framing comes back intact. Prints {@code READY} once clients may connect; then answers
 * {@code CPU} with {@code CPU <nanos>} until {@code EXIT}.
 */
final class ServePeers
{
    /** Read buffer of a socket connection's thread. */
    private static final int BUFFER = 64 * 1024;

    private ServePeers()
    {
    }

    static void server(final Transport transport, final String endpoint, final PrintStream out) throws Exception
    {
        switch (transport)
        {
            case SERVE_OURS:
            case SERVE_OURS_FORECAST:
                try (IpcServer server = IpcTransport.forHost().bind(endpoint, IpcOptions.defaults()))
                {
                    server.serve(new EchoHandler());
                    commands(out);
                }
                break;
            case SERVE_UDS:
                final Path path = Path.of(endpoint);
                Files.deleteIfExists(path);
                try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
                {
                    server.bind(UnixDomainSocketAddress.of(path));
                    final Thread acceptor = new Thread(() -> acceptLoop(server), "uds-acceptor");
                    acceptor.setDaemon(true);
                    acceptor.start();
                    commands(out);
                }
                break;
            default:
                throw new IllegalArgumentException("not a serve transport: transport=" + transport);
        }
    }

    private static void commands(final PrintStream out) throws IOException
    {
        PeerMain.line(out, "READY");
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = in.readLine()) != null && !"EXIT".equals(command))
        {
            if ("CPU".equals(command))
            {
                PeerMain.line(out, "CPU " + ProcessCpu.nanos());
            }
            else
            {
                throw new IllegalArgumentException("unknown serve command: command=" + command);
            }
        }
    }

    /** Accepts socket clients until the server closes, each echoed on a thread of its own. */
    static void acceptLoop(final ServerSocketChannel server)
    {
        try
        {
            while (true)
            {
                final SocketChannel channel = server.accept();
                final Thread connection = new Thread(() -> echoLoop(channel), "uds-connection");
                connection.setDaemon(true);
                connection.start();
            }
        }
        catch (final ClosedChannelException ex)
        {
            // The server closed: no more connections.
        }
        catch (final IOException ex)
        {
            ex.printStackTrace();
        }
    }

    private static void echoLoop(final SocketChannel channel)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        try (channel)
        {
            while (channel.read(buffer) >= 0)
            {
                buffer.flip();
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                buffer.clear();
            }
        }
        catch (final IOException ex)
        {
            // The client went away mid-write: its connection ends, the server carries on.
        }
    }

    /** Replies to every request with the same bytes. */
    static final class EchoHandler implements IpcHandler
    {
        @Override
        public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
        {
            channel.send(message);
        }
    }
}
