package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
class HostileServerTest
{
    private static final int MAX_MESSAGE_SIZE = 1024;

    private long descriptorsBefore;
    private long mappingsBefore;

    @BeforeEach
    void takeBaseline() throws Exception
    {
        TestEnvironment.warmUp();
        descriptorsBefore = TestEnvironment.openFileDescriptors();
        mappingsBefore = TestEnvironment.segmentMappings();
    }

    @AfterEach
    void assertNothingLeftBehind()
    {
        assertTrue(TestEnvironment.eventually(() -> TestEnvironment.openFileDescriptors() <= descriptorsBefore &&
            TestEnvironment.segmentMappings() <= mappingsBefore, 5_000), () -> "left behind: descriptors before=" +
            descriptorsBefore + " after=" + TestEnvironment.openFileDescriptors() + " mappings before=" +
            mappingsBefore + " after=" + TestEnvironment.segmentMappings() + " " +
            HostResources.host().descriptorDetails());
    }

    @Test
    void shouldRefuseAWelcomeThatPromisesMoreMemoryThanItSends() throws Exception
    {
        final SegmentLayout sent = SegmentLayout.forCapacity(4096);
        final SegmentLayout promised = SegmentLayout.forCapacity(64 * 1024);
        try (FakeServer server = new FakeServer("short");
             ConnectionResources resources = server.platform.createConnection(sent))
        {
            // A whole segment for a small ring, announced as one for a large ring: mapping it would fault.
            SegmentHeader.initialize(resources.segment(), sent, MAX_MESSAGE_SIZE);
            server.assertClientRefuses(client -> client.send(welcome(server, promised), resources.handlesForPeer()),
                IpcException.class, server.probe.shortSegmentRefusal());
        }
    }

    @Test
    void shouldRefuseAWelcomeWithTooFewHandles() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        try (FakeServer server = new FakeServer("few");
             ConnectionResources resources = server.platform.createConnection(layout))
        {
            SegmentHeader.initialize(resources.segment(), layout, MAX_MESSAGE_SIZE);
            final long[] all = resources.handlesForPeer();
            final long[] fewer = Arrays.copyOf(all, all.length - 1);
            server.assertClientRefuses(client -> client.send(welcome(server, layout), fewer),
                IpcProtocolException.class, "handle count mismatch");
        }
    }

    @Test
    void shouldRefuseADoorbellOfAnotherKind() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        try (FakeServer server = new FakeServer("foreign-doorbell");
             ConnectionResources resources = server.platform.createConnection(layout))
        {
            SegmentHeader.initialize(resources.segment(), layout, MAX_MESSAGE_SIZE);
            // Every backend sends the segment first and the doorbell second: the segment's handle takes its place.
            final long[] handles = resources.handlesForPeer();
            handles[1] = handles[0];
            server.assertClientRefuses(client -> client.send(welcome(server, layout), handles),
                IpcException.class, server.probe.foreignDoorbellRefusal());
        }
    }

    @Test
    void shouldRefuseASegmentWhoseHeaderWasNeverWritten() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        try (FakeServer server = new FakeServer("blank");
             ConnectionResources resources = server.platform.createConnection(layout))
        {
            server.assertClientRefuses(client -> client.send(welcome(server, layout), resources.handlesForPeer()),
                IpcProtocolException.class, "segment not ready");
        }
    }

    @Test
    void shouldRefuseASegmentHeaderThatDisagreesWithTheWelcome() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        try (FakeServer server = new FakeServer("mismatch");
             ConnectionResources resources = server.platform.createConnection(layout))
        {
            SegmentHeader.initialize(resources.segment(), layout, 999);
            server.assertClientRefuses(client -> client.send(welcome(server, layout), resources.handlesForPeer()),
                IpcProtocolException.class, "does not match WELCOME");
        }
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

    /** A WELCOME announcing a layout, the platform's handle count and {@link #MAX_MESSAGE_SIZE}. */
    private static Frame welcome(final FakeServer server, final SegmentLayout layout)
    {
        return new Frame.Welcome(FrameDescriptor.PROTOCOL_MAJOR, 0, layout.ringCapacity(), MAX_MESSAGE_SIZE,
            server.platform.handlesPerConnection(), layout.segmentLength(), server.platform.pid());
    }
}
