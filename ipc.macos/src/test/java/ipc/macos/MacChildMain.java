package ipc.macos;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

import ipc.api.IpcChannel;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;

/**
 * A process of the macOS cross-process tests. {@code server <name>}: serves an echo handler with the dispatcher
 * until its standard input closes. {@code client <name> <count>}: sends messages of many sizes and checks each
 * echo. The socket directory and wait mechanism come from system properties. Reports on stdout and through its exit
 * code.
 */
public final class MacChildMain
{
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final IpcOptions OPTIONS = IpcOptions.builder().connectTimeout(Duration.ofSeconds(20)).build();

    private MacChildMain()
    {
    }

    public static void main(final String[] args)
    {
        try
        {
            final MacTransport transport = new MacTransport();
            if ("server".equals(args[0]))
            {
                serve(transport, args[1]);
            }
            else
            {
                client(transport, args[1], Integer.parseInt(args[2]));
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

    private static void serve(final MacTransport transport, final String name) throws Exception
    {
        try (IpcServer server = transport.bind(name, IpcOptions.defaults()))
        {
            server.serve(new IpcHandler()
            {
                @Override
                public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
                {
                    channel.send(message);
                }
            });
            System.out.println("READY waitMechanism=" + transport.waitMechanism());
            System.out.flush();
            waitForStdinToClose();
            System.out.println("SERVED " + server.stats());
        }
    }

    private static void waitForStdinToClose() throws IOException
    {
        while (System.in.read() >= 0)
        {
            // The parent closes our stdin when it is done.
        }
    }

    private static void client(final MacTransport transport, final String name, final int count) throws Exception
    {
        try (IpcChannel channel = transport.connect(name, OPTIONS))
        {
            final int max = Math.min(channel.maxMessageSize(), 200_000);
            for (int i = 0; i < count; i++)
            {
                final int length = 1 + (int)((i * 7919L) % max);
                final byte[] message = new byte[length];
                Arrays.fill(message, (byte)i);
                message[0] = (byte)(i >>> 8);
                channel.send(message);
                final byte[] echo = channel.receive(WAIT);
                if (!Arrays.equals(message, echo))
                {
                    throw new AssertionError("wrong echo of message " + i + ": length=" + echo.length +
                        " expected=" + length);
                }
            }
            System.out.println("OK count=" + count + " waitMechanism=" + transport.waitMechanism() + " peer=" +
                channel.peer() + " stats=" + channel.stats());
        }
    }
}
