package ipc.windows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;

/**
 * The second process of {@link CrossProcessEchoTest}: connects to a server, sends numbered messages (some larger
 * than a ring record, so fragmented), checks that each comes back unchanged, and exits 0 on success, 1 on a wrong
 * echo (any exception exits non-zero too).
 */
public final class EchoClientMain
{
    private EchoClientMain()
    {
    }

    /**
     * Runs the client.
     *
     * @param args server name, message count.
     * @throws Exception on any failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final String name = args[0];
        final int count = Integer.parseInt(args[1]);
        final WindowsTransport transport = new WindowsTransport();
        try (IpcChannel channel = transport.connect(name, IpcOptions.defaults()))
        {
            System.out.println("connected peerPid=" + channel.peer().pid());
            for (int i = 0; i < count; i++)
            {
                final byte[] message = message(i);
                channel.send(message);
                final byte[] echo = channel.receive(Duration.ofSeconds(20));
                if (!Arrays.equals(message, echo))
                {
                    System.out.println("wrong echo i=" + i);
                    System.exit(1);
                }
            }
            System.out.println("echoed count=" + count);
        }
        finally
        {
            transport.deactivate();
        }
        System.exit(0);
    }

    /** Message {@code i}: its number, padded to a size that varies up to 200 KiB. */
    static byte[] message(final int i)
    {
        final byte[] head = ("message-" + i + "-").getBytes(StandardCharsets.US_ASCII);
        final int size = head.length + (i % 7 == 0 ? 200 * 1024 : i % 97);
        final byte[] message = Arrays.copyOf(head, size);
        for (int k = head.length; k < size; k++)
        {
            message[k] = (byte)(i + k);
        }
        return message;
    }
}
