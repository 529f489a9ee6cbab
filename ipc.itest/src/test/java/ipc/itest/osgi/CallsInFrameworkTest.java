package ipc.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.util.tracker.ServiceTracker;

import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;
import ipc.api.call.CallClient;
import ipc.api.call.CallDispatcher;
import ipc.api.call.CallOptions;
import ipc.api.call.IpcCalls;
import ipc.api.call.IpcRemoteException;

/**
 * Calls inside the framework: {@link IpcCalls} lives in the API bundle, which cannot see the implementation in
 * ipc.shared; it must find it from the channel the transport service made, for the server's handler, a client on the
 * shared dispatcher, and a client on a dispatcher of its own.
 */
class CallsInFrameworkTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void shouldCallThroughTheTransportServiceWithoutAServiceOfItsOwn() throws Exception
    {
        final ServiceTracker<IpcTransport, IpcTransport> tracker = Services.awaitTracker(IpcTransport.class);
        try
        {
            final IpcTransport transport = tracker.getService();
            final IpcOptions options = IpcOptions.builder().connectTimeout(TIMEOUT).sendTimeout(TIMEOUT).build();
            final String name = "itest-calls-" + ProcessHandle.current().pid() + "-" +
                Long.toString(System.nanoTime(), 36);
            try (IpcServer server = transport.bind(name, options);
                 CallDispatcher dispatcher = IpcCalls.dispatcher("itest-calls"))
            {
                server.serve(IpcCalls.handler((request, reply) ->
                {
                    if (request.length == 0)
                    {
                        throw new IllegalArgumentException("empty request");
                    }
                    reply.send(request);
                }));
                try (CallClient shared = IpcCalls.client(transport.connect(name, options));
                     CallClient own = IpcCalls.client(transport.connect(name, options),
                         CallOptions.builder().dispatcher(dispatcher).build()))
                {
                    assertArrayEquals(new byte[] {1, 2}, shared.call(new byte[] {1, 2}, TIMEOUT));
                    assertArrayEquals(new byte[] {3}, own.request(new byte[] {3}, TIMEOUT)
                        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                    assertEquals(1, dispatcher.clientCount());
                    final CompletableFuture<byte[]> failing = own.request(new byte[0], TIMEOUT);
                    final ExecutionException failure = assertThrows(ExecutionException.class,
                        () -> failing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                    assertInstanceOf(IpcRemoteException.class, failure.getCause());
                    assertEquals("empty request", failure.getCause().getMessage());
                }
            }
        }
        finally
        {
            tracker.close();
        }
    }
}
