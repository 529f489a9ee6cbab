package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import ipc.api.IpcException;
import ipc.api.IpcProtocolException;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;

/**
 * Everything read from a peer is hostile input (DESIGN.md section 6), a server's too: a {@link FakeServer} made of
 * the host backend's primitives answers an honest client's HELLO with a forged WELCOME or with garbage. The client
 * must refuse with a clear error before it touches memory it was not given, and leave no handle or mapping behind
 * ({@link HostResources}). The forgeries are the same on every OS; only the wording of the backend's own checks
 * (the segment's size, the doorbell's kind) comes from its {@link BackendProbe}.
 */
@HostSuite
@ExtendWith(NothingLeftBehind.class)
class HostileServerTest
{
    private static final int MAX_MESSAGE_SIZE = 1024;
    /** The header's largest message size that means: leave the header unwritten. */
    private static final int NO_HEADER = 0;
    private static final SegmentLayout SMALL = SegmentLayout.forCapacity(4096);

    @Test
    void shouldRefuseAWelcomeThatPromisesMoreMemoryThanItSends() throws Exception
    {
        // A whole segment for a small ring, announced as one for a large ring: mapping it would fault.
        assertWelcomeRefused("short", SMALL, MAX_MESSAGE_SIZE, SegmentLayout.forCapacity(64 * 1024),
            UnaryOperator.identity(), IpcException.class, BackendProbe::shortSegmentRefusal);
    }

    @Test
    void shouldRefuseAWelcomeWithTooFewHandles() throws Exception
    {
        assertWelcomeRefused("few", SMALL, MAX_MESSAGE_SIZE, SMALL, all -> Arrays.copyOf(all, all.length - 1),
            IpcProtocolException.class, probe -> "handle count mismatch");
    }

    @Test
    void shouldRefuseADoorbellOfAnotherKind() throws Exception
    {
        // Every backend sends the segment first and the doorbell second: the segment's handle takes its place.
        assertWelcomeRefused("foreign-doorbell", SMALL, MAX_MESSAGE_SIZE, SMALL, all ->
        {
            final long[] forged = all.clone();
            forged[1] = forged[0];
            return forged;
        }, IpcException.class, BackendProbe::foreignDoorbellRefusal);
    }

    @Test
    void shouldRefuseASegmentWhoseHeaderWasNeverWritten() throws Exception
    {
        assertWelcomeRefused("blank", SMALL, NO_HEADER, SMALL, UnaryOperator.identity(), IpcProtocolException.class,
            probe -> "segment not ready");
    }

    @Test
    void shouldRefuseASegmentHeaderThatDisagreesWithTheWelcome() throws Exception
    {
        assertWelcomeRefused("mismatch", SMALL, 999, SMALL, UnaryOperator.identity(), IpcProtocolException.class,
            probe -> "does not match WELCOME");
    }

    @Test
    void shouldRefuseGarbageFromTheServer() throws Exception
    {
        try (FakeServer server = new FakeServer("garbage"))
        {
            server.assertClientRefuses(client ->
                client.send(ByteBuffer.wrap(new byte[] {0x49, 0x50, 2, 0, -1, -1, -1, 127})),
                IpcProtocolException.class, "bad frame body length");
        }
    }

    /**
     * A fake server makes a connection's resources for one layout, writes their header with a largest message size
     * (unless {@link #NO_HEADER}), and answers the client's HELLO with a WELCOME announcing another layout (or the
     * same) and the handles a forgery makes of the resources'; the client must refuse it.
     */
    private static void assertWelcomeRefused(final String prefix, final SegmentLayout sent,
        final int headerMaxMessageSize, final SegmentLayout announced, final UnaryOperator<long[]> forgery,
        final Class<? extends IpcException> expected, final Function<BackendProbe, String> refusal) throws Exception
    {
        try (FakeServer server = new FakeServer(prefix);
             ConnectionResources resources = server.platform.createConnection(sent))
        {
            if (NO_HEADER != headerMaxMessageSize)
            {
                SegmentHeader.initialize(resources.segment(), sent, headerMaxMessageSize);
            }
            final long[] handles = forgery.apply(resources.handlesForPeer());
            server.assertClientRefuses(client -> client.send(welcome(server, announced), handles), expected,
                refusal.apply(server.probe));
        }
    }

    /** A WELCOME announcing a layout, the platform's handle count and {@link #MAX_MESSAGE_SIZE}. */
    private static Frame welcome(final FakeServer server, final SegmentLayout layout)
    {
        return new Frame.Welcome(FrameDescriptor.PROTOCOL_MAJOR, 0, layout.ringCapacity(), MAX_MESSAGE_SIZE,
            server.platform.handlesPerConnection(), layout.segmentLength(), server.platform.pid());
    }
}
