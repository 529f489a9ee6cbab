package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcServer;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.codec.RejectReason;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;

/**
 * Where the handshake ends ({@link FrameDescriptor#MINOR_OPENS_AT_WELCOME}): when both sides speak protocol minor 3,
 * the server opens the connection as it sends WELCOME and the client sends no READY; with an older peer on either
 * side, READY still ends it. Raw clients ({@link RawClient}) say the minor they are told to, and a {@link FakeServer}
 * answers an honest client with a WELCOME of the minor a test chooses.
 */
@HostSuite
@ExtendWith(NothingLeftBehind.class)
class HandshakeEndTest
{
    private static final long WAIT_MILLIS = 10_000;
    private static final int MINOR_BEFORE = FrameDescriptor.MINOR_OPENS_AT_WELCOME - 1;

    private final AtomicInteger opens = new AtomicInteger();
    private final CopyOnWriteArrayList<IpcException> closes = new CopyOnWriteArrayList<>();
    @Test
    void shouldOpenTheConnectionOfACurrentClientAtItsWelcome() throws Exception
    {
        try (IpcServer server = serving("at-welcome");
             RawClient client = RawClient.welcomed(server.name(), FrameDescriptor.MINOR_OPENS_AT_WELCOME))
        {
            assertEquals(FrameDescriptor.PROTOCOL_MINOR, client.welcome().protocolMinor());
            // No READY was sent: the WELCOME ended the handshake.
            assertTrue(TestEnvironment.eventually(() -> opens.get() == 1, WAIT_MILLIS),
                "the connection did not open without READY: opens=" + opens);
        }
    }

    @Test
    void shouldWaitForTheReadyOfAnOlderClient() throws Exception
    {
        try (IpcServer server = serving("older");
             RawClient older = RawClient.welcomed(server.name(), MINOR_BEFORE))
        {
            // A current client welcomed after it: by the time its connection opened and closed, the older client's
            // WELCOME had long gone out. Had that opened the older one's connection too, two would have opened.
            RawClient.welcomed(server.name(), FrameDescriptor.MINOR_OPENS_AT_WELCOME).close();
            assertTrue(TestEnvironment.eventually(() -> closes.size() == 1, WAIT_MILLIS), "closes=" + closes);
            assertEquals(1, opens.get(), "the older client's connection opened before its READY");

            older.ready();
            assertTrue(TestEnvironment.eventually(() -> opens.get() == 2, WAIT_MILLIS),
                "the older client's READY did not open its connection: opens=" + opens);
        }
    }

    @Test
    void shouldCloseAConnectionWhoseClientSendsReadyAfterAWelcomeThatEndedTheHandshake() throws Exception
    {
        try (IpcServer server = serving("late-ready");
             RawClient client = RawClient.welcomed(server.name(), FrameDescriptor.MINOR_OPENS_AT_WELCOME))
        {
            assertTrue(TestEnvironment.eventually(() -> opens.get() == 1, WAIT_MILLIS), "opens=" + opens);
            // Nothing may follow the handshake on the control channel: a byte there ends the peer.
            client.ready();
            client.awaitDropped(WAIT_MILLIS);
            assertTrue(TestEnvironment.eventually(() -> closes.size() == 1, WAIT_MILLIS), "closes=" + closes);
            assertInstanceOf(IpcPeerClosedException.class, closes.get(0));
        }
    }

    @Test
    void shouldCloseTheConnectionOfACurrentClientThatDiesAfterItsWelcome() throws Exception
    {
        try (IpcServer server = serving("dies-welcomed"))
        {
            // Gone before it used the segment, as when killed with -9: its connection was open, and closes with the
            // peer's end (the extension then finds nothing of it held once the server closed).
            RawClient.welcomed(server.name(), FrameDescriptor.MINOR_OPENS_AT_WELCOME).close();
            assertTrue(TestEnvironment.eventually(() -> opens.get() == 1 && closes.size() == 1, WAIT_MILLIS),
                "opens=" + opens + " closes=" + closes);
            assertInstanceOf(IpcPeerClosedException.class, closes.get(0));
        }
    }

    @Test
    void shouldRefuseBytesAfterTheHelloOfACurrentClientBeforeMakingItsSegment() throws Exception
    {
        try (IpcServer server = serving("after-hello");
             RawClient client = RawClient.connect(server.name(), TimeUnit.SECONDS.toNanos(2));
             ReceivedHandles handles = new ReceivedHandles((Platform)client.probe.primitives(), 2))
        {
            final ByteBuffer both = ByteBuffer.allocate(2 * FrameDescriptor.MAX_FRAME_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
            FrameCodec.encode(client.hello(FrameDescriptor.PROTOCOL_MAJOR, FrameDescriptor.MINOR_OPENS_AT_WELCOME),
                both);
            FrameCodec.encode(new Frame.Ready(), both);
            // One write: the server reads both frames at once.
            client.send(both.flip());

            final Frame answer = client.readFrame(handles, WAIT_MILLIS);
            assertInstanceOf(Frame.Reject.class, answer, String.valueOf(answer));
            assertEquals(RejectReason.PROTOCOL_ERROR, ((Frame.Reject)answer).reason());
            assertTrue(((Frame.Reject)answer).text().contains("bytes after HELLO"), ((Frame.Reject)answer).text());
            assertEquals(0, handles.count(), "a segment was sent with the refusal");
            client.awaitDropped(WAIT_MILLIS);
            assertEquals(0, opens.get());
        }
    }

    @Test
    void shouldSendReadyToAnOlderServer() throws Exception
    {
        try (FakeServer server = new FakeServer("older-server"))
        {
            final byte[] sent = server.welcomeAndCollect(MINOR_BEFORE, SegmentLayout.forCapacity(4096), 1024);
            final ByteBuffer ready = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
            FrameCodec.encode(new Frame.Ready(), ready);
            ready.flip();
            final byte[] expected = new byte[ready.remaining()];
            ready.get(expected);
            assertArrayEquals(expected, sent, "the client should send READY, and nothing else, after the WELCOME");
        }
    }

    @Test
    void shouldSendNothingAfterAWelcomeThatEndsTheHandshake() throws Exception
    {
        try (FakeServer server = new FakeServer("current-server"))
        {
            final byte[] sent = server.welcomeAndCollect(FrameDescriptor.MINOR_OPENS_AT_WELCOME,
                SegmentLayout.forCapacity(4096), 1024);
            assertEquals(0, sent.length, "the client sent bytes after a WELCOME that ended the handshake");
        }
    }

    /** A serving server that counts its connections' opens and keeps their closes' causes. */
    private IpcServer serving(final String prefix) throws IpcException
    {
        final IpcServer server = TestEnvironment.TRANSPORT.bind(TestEnvironment.uniqueName(prefix),
            ServerArena.OPTIONS);
        server.serve(new IpcHandler()
        {
            @Override
            public void onOpen(final IpcChannel channel)
            {
                opens.incrementAndGet();
            }

            @Override
            public void onMessage(final IpcChannel channel, final ByteBuffer message)
            {
                // Nothing is sent in these tests.
            }

            @Override
            public void onClose(final IpcChannel channel, final IpcException cause)
            {
                closes.add(cause);
            }
        });
        return server;
    }
}
