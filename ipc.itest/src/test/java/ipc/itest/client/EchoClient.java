package ipc.itest.client;

import java.time.Duration;
import java.util.Arrays;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcTransport;

/**
 * The second JVM of the OSGi cross-process test, started on a plain class path (ipc.api, ipc.shared,
 * the host's backend, JNA and this package): finds the host's transport with {@link IpcTransport#forHost()}, connects
 * to the server the test bound, sends {@link Payloads#COUNT} messages and checks that each comes back equal.
 *
 * <p>Usage: {@code EchoClient <name>}. Exits 0 after printing {@code echoed <count> messages}; any failure
 * prints why and exits non-zero.
 */
public final class EchoClient
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private EchoClient()
    {
    }

    /**
     * Runs the client.
     *
     * @param args the server's name.
     * @throws Exception any failure, which exits non-zero.
     */
    public static void main(final String[] args) throws Exception
    {
        final IpcTransport transport = IpcTransport.forHost();
        final IpcOptions options = IpcOptions.builder().connectTimeout(TIMEOUT).sendTimeout(TIMEOUT).build();
        try (IpcChannel channel = transport.connect(args[0], options))
        {
            for (int index = 0; index < Payloads.COUNT; index++)
            {
                final byte[] sent = Payloads.message(index);
                channel.send(sent);
                final byte[] echo = channel.receive(TIMEOUT);
                if (!Arrays.equals(sent, echo))
                {
                    System.out.println("echo differs: index=" + index + " sent.length=" + sent.length +
                        " echo.length=" + echo.length);
                    System.exit(2);
                }
            }
        }
        System.out.println("echoed " + Payloads.COUNT + " messages with " + transport.getClass().getName());
    }
}
