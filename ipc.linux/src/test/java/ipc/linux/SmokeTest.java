package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;

class SmokeTest
{
    @Test
    void roundTrip() throws Exception
    {
        final IpcTransport transport = new LinuxTransport();
        try (IpcServer server = transport.bind("smoke", IpcOptions.defaults()))
        {
            final Thread t = new Thread(() -> {
                try (IpcChannel c = server.accept(Duration.ofSeconds(5)))
                {
                    for (int i = 0; i < 1000; i++)
                    {
                        c.send(c.receive(Duration.ofSeconds(5)));
                    }
                }
                catch (Exception e)
                {
                    e.printStackTrace();
                }
            });
            t.start();
            try (IpcChannel client = transport.connect("smoke", IpcOptions.defaults()))
            {
                for (int i = 0; i < 1000; i++)
                {
                    final byte[] msg = ("hello " + i).getBytes();
                    client.send(msg);
                    assertArrayEquals(msg, client.receive(Duration.ofSeconds(5)));
                }
                System.out.println(client.stats());
            }
            t.join();
        }
    }
}
