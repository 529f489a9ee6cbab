package ipc.itest.jpms.consumer;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;
import ipc.api.call.CallClient;
import ipc.api.call.IpcCalls;

/**
 * Finds the host's transport on the module path, checks that it is the host backend's, and does a round trip
 * through it: a server thread echoes, the main thread connects, sends and compares; then the same as calls
 * ({@code ipc.api.call}), whose implementation the API finds among the layer's providers.
 *
 * <p>Arguments: the module that must provide the host's transport ({@code ipc.linux}, {@code ipc.macos} or
 * {@code ipc.windows}), then the modules that must be in the boot layer (for example the other OSes' backends). Exits 0
 * after printing {@code module path round trip ok}; any failure exits non-zero.
 */
public final class ModulePathRoundTrip
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MESSAGES = 32;

    private ModulePathRoundTrip()
    {
    }

    /**
     * Runs the check.
     *
     * @param args the module that must provide the transport, then the names of modules that must be in the boot
     *             layer.
     * @throws Exception any failure, which exits non-zero.
     */
    public static void main(final String[] args) throws Exception
    {
        check(args.length >= 1, "usage: <provider module> [<module in the boot layer>...]");
        for (final String module : args)
        {
            check(ModuleLayer.boot().findModule(module).isPresent(), "module not in the boot layer: " + module);
        }

        final IpcTransport transport = IpcTransport.forHost();
        final IpcPlatform host = IpcPlatform.fromOsName(System.getProperty("os.name", ""));
        check(host == transport.platform(), "platform=" + transport.platform() + " host=" + host);
        final String provider = transport.getClass().getModule().getName();
        check(args[0].equals(provider), "provider module=" + provider + " expected=" + args[0]);

        final IpcOptions options = IpcOptions.builder().connectTimeout(TIMEOUT).sendTimeout(TIMEOUT).build();
        final String name = "jpms-" + ProcessHandle.current().pid();
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        try (IpcServer server = transport.bind(name, options))
        {
            final Future<Integer> echoed = executor.submit(() -> echo(server));
            try (IpcChannel channel = transport.connect(name, options))
            {
                for (int index = 0; index < MESSAGES; index++)
                {
                    final byte[] sent = message(index);
                    channel.send(sent);
                    final byte[] echo = channel.receive(TIMEOUT);
                    check(Arrays.equals(sent, echo), "echo differs: index=" + index);
                }
            }
            check(MESSAGES == echoed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "server echo count");
        }
        // Calls: ipc.api.call finds its implementation among the layer's providers (ipc.shared provides it).
        try (IpcServer server = transport.bind(name + "-calls", options))
        {
            server.serve(IpcCalls.handler((request, reply) -> reply.send(request)));
            try (CallClient client = IpcCalls.client(transport.connect(name + "-calls", options)))
            {
                for (int index = 0; index < MESSAGES; index++)
                {
                    final byte[] sent = message(index);
                    check(Arrays.equals(sent, client.call(sent, TIMEOUT)), "call answer differs: index=" + index);
                }
            }
        }
        finally
        {
            executor.shutdownNow();
        }
        System.out.println("module path round trip ok: provider=" + transport.getClass().getName() +
            " in module " + provider + ", boot layer has " + Arrays.toString(args));
    }

    private static int echo(final IpcServer server) throws Exception
    {
        try (IpcChannel channel = server.accept(TIMEOUT))
        {
            for (int index = 0; index < MESSAGES; index++)
            {
                channel.send(channel.receive(TIMEOUT));
            }
        }
        return MESSAGES;
    }

    private static byte[] message(final int index)
    {
        final byte[] message = new byte[index * 97];
        Arrays.fill(message, (byte)index);
        return message;
    }

    private static void check(final boolean condition, final String failure)
    {
        if (!condition)
        {
            System.out.println("FAILED: " + failure);
            System.exit(1);
        }
    }
}
