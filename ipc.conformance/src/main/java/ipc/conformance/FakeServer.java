package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;

/**
 * A server built from the host backend's primitives ({@link BackendProbe}) instead of its transport: it binds a name
 * as an honest server would, accepts one client of the host transport, reads its HELLO and answers as a test says,
 * to play a hostile server against an honest client.
 */
public final class FakeServer implements AutoCloseable
{
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The host backend's probe. */
    public final BackendProbe probe;
    /** The host backend's primitives, to make the segments and handles a WELCOME carries. */
    public final Platform platform;
    private final ControlListener listener;
    private final String name;

    /**
     * Binds a fresh name with the host backend's primitives.
     *
     * @param prefix the name's prefix.
     * @throws IpcException if the OS refuses.
     */
    public FakeServer(final String prefix) throws IpcException
    {
        probe = BackendProbe.require();
        platform = (Platform)probe.primitives();
        name = TestEnvironment.uniqueName(prefix);
        listener = platform.listen(name, IpcOptions.defaults());
    }

    /** The answer of a fake server to a client's HELLO. */
    @FunctionalInterface
    public interface Answer
    {
        /**
         * Answers.
         *
         * @param client the server's end of the client's connection, its HELLO read.
         * @throws Exception to fail the test.
         */
        void run(RawClient client) throws Exception;
    }

    /**
     * Lets a client of the host transport connect, answers its HELLO, and asserts that the connect fails with an
     * {@link IpcException} of the given class whose message holds a fragment.
     *
     * @param answer   what the server sends after the HELLO.
     * @param expected the failure's class.
     * @param fragment a fragment of its message.
     * @throws Exception if the test fails.
     */
    public void assertClientRefuses(final Answer answer, final Class<? extends IpcException> expected,
        final String fragment) throws Exception
    {
        exchange((server, client) ->
        {
            answer.run(server);
            final ExecutionException failure = assertThrows(ExecutionException.class,
                () -> client.get(10, TimeUnit.SECONDS));
            assertInstanceOf(expected, failure.getCause(), String.valueOf(failure.getCause()));
            assertTrue(failure.getCause().getMessage().contains(fragment),
                "expected=" + fragment + " got=" + failure.getCause().getMessage());
            return null;
        });
    }

    /**
     * Lets a client of the host transport connect and answers its HELLO honestly: a WELCOME of a protocol minor with
     * a segment whose header is written. Once the client's connect returns, it closes the channel; returns every byte
     * it sent on the control connection after its HELLO.
     *
     * @param protocolMinor  the minor the WELCOME says.
     * @param layout         the segment's layout.
     * @param maxMessageSize the largest message, in the WELCOME and the segment's header.
     * @return the bytes, up to the end of the stream.
     * @throws Exception if the test fails.
     */
    public byte[] welcomeAndCollect(final int protocolMinor, final SegmentLayout layout, final int maxMessageSize)
        throws Exception
    {
        return exchange((server, client) ->
        {
            try (ConnectionResources resources = platform.createConnection(layout))
            {
                SegmentHeader.initialize(resources.segment(), layout, maxMessageSize);
                server.send(new Frame.Welcome(FrameDescriptor.PROTOCOL_MAJOR, protocolMinor, layout.ringCapacity(),
                    maxMessageSize, platform.handlesPerConnection(), layout.segmentLength(), platform.pid()),
                    resources.handlesForPeer());
                resources.handlesSent();
                client.get(10, TimeUnit.SECONDS).close();
                return server.readToEnd(5_000);
            }
        });
    }

    /** What a test does with one client once its HELLO was read. */
    @FunctionalInterface
    private interface Exchange<T>
    {
        T run(RawClient server, CompletableFuture<IpcChannel> client) throws Exception;
    }

    /**
     * Starts a client of the host transport connecting, accepts it, reads its HELLO and runs the exchange; a client
     * that connected is closed afterwards, never leaked into the next test's baseline.
     */
    private <T> T exchange(final Exchange<T> exchange) throws Exception
    {
        final CompletableFuture<IpcChannel> client = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return TestEnvironment.TRANSPORT.connect(name, IpcOptions.defaults());
            }
            catch (final IpcException ex)
            {
                throw new CompletionException(ex);
            }
        });
        try
        {
            assertTrue(listener.awaitPending(TIMEOUT_NANOS), "no client within 10 s at " + listener.address());
            final ControlChannel accepted = listener.accept();
            assertTrue(null != accepted, "a pending client vanished before accept");
            try (RawClient server = new RawClient(probe, platform, accepted);
                 ReceivedHandles none = new ReceivedHandles(platform, 0))
            {
                assertInstanceOf(Frame.Hello.class, server.readFrame(none, 5_000));
                return exchange.run(server, client);
            }
        }
        finally
        {
            client.thenAccept(IpcChannel::close);
        }
    }

    @Override
    public void close()
    {
        listener.close();
    }
}
