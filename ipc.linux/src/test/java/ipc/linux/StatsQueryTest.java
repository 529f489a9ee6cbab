package ipc.linux;

import static ipc.linux.TestEnvironment.TRANSPORT;
import static ipc.linux.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcProtocolException;
import ipc.api.IpcServer;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;
import ipc.conformance.Messages;
import ipc.linux.jna.Poll;
import ipc.linux.os.Posix;
import ipc.linux.os.UnixSocket;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.codec.RejectReason;
import ipc.shared.posix.ReceivedMessage;

/**
 * {@code IpcTransport.stats} against fake servers written with raw sockets: one older than the request, one that
 * closes, one that forges its reply. The queries of real servers are in the shared suite
 * ({@link ipc.conformance.StatsQueryTest}).
 */
@EnabledOnOs(OS.LINUX)
class StatsQueryTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    @Timeout(30)
    void shouldReportNoStatsSupportWhenAnOlderServerRefusesTheUnknownFrame() throws Exception
    {
        // What a server of protocol 1.0 with a REJECT for undecodable frames answers.
        final IpcException failure = queryFakeServer(fd -> send(fd, frame(new Frame.Reject(RejectReason.PROTOCOL_ERROR,
            "unknown frame type: type=" + FrameDescriptor.TYPE_STATS))));
        assertInstanceOf(IpcProtocolException.class, failure);
        assertTrue(failure.getMessage().contains("no STATS support"), failure.getMessage());
    }

    @Test
    @Timeout(30)
    void shouldReportNoStatsSupportWhenAnOlderServerJustCloses() throws Exception
    {
        // What this library's protocol 1.0 servers did: end the handshake on the decoding error, without a word.
        final IpcException failure = queryFakeServer(fd ->
        {
        });
        assertInstanceOf(IpcProtocolException.class, failure);
        assertTrue(failure.getMessage().contains("no STATS support"), failure.getMessage());
    }

    @Test
    @Timeout(30)
    void shouldRefuseAForgedReply() throws Exception
    {
        final ByteBuffer forged = frame(new Frame.StatsReply(FrameDescriptor.PROTOCOL_MAJOR, 1,
            new IpcServerStats(1, 2, 3, IpcStats.ZERO)));
        forged.putLong(FrameDescriptor.HEADER_LENGTH + 8, -5);
        final IpcException failure = queryFakeServer(fd -> send(fd, forged));
        assertInstanceOf(IpcProtocolException.class, failure);
        assertTrue(failure.getMessage().contains("negative counter"), failure.getMessage());

        final IpcException welcome = queryFakeServer(fd -> send(fd, frame(new Frame.Ready())));
        assertInstanceOf(IpcProtocolException.class, welcome);
        assertTrue(welcome.getMessage().contains("expected STATS_REPLY"), welcome.getMessage());
    }

    @Test
    @Timeout(30)
    void shouldAnswerAServerOfThisVersionWithAProtocolErrorForAnUnknownFrameType() throws Exception
    {
        // So that a client of a later version can tell "no support" from a dead server.
        final String name = uniqueName("stats-future");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve((channel, message) -> channel.send(Messages.answer(message)));
            final String path = TestEnvironment.socketDirectory().resolve(name + ".sock").toString();
            final int fd = UnixSocket.connect(path);
            try
            {
                final ByteBuffer unknown = frame(new Frame.Ready());
                unknown.put(FrameDescriptor.TYPE_OFFSET, (byte)42);
                send(fd, unknown);
                final Frame answer = readFrame(fd);
                assertInstanceOf(Frame.Reject.class, answer);
                assertEquals(RejectReason.PROTOCOL_ERROR, ((Frame.Reject)answer).reason());
                assertTrue(((Frame.Reject)answer).text().contains("unknown frame type"), answer.toString());
            }
            finally
            {
                Posix.closeQuietly(fd);
            }
            assertTrue(TestEnvironment.eventually(() -> server.stats().rejectedConnections() == 1, 5_000),
                server.stats().toString());
        }
    }

    // ---------------------------------------------------------------- fake servers

    private interface Answer
    {
        void run(int fd) throws Exception;
    }

    /** A fake server accepts one client, reads its STATS request, answers as told and closes. */
    private static IpcException queryFakeServer(final Answer answer) throws Exception
    {
        final String name = uniqueName("stats-fake");
        final String path = TestEnvironment.socketDirectory().resolve(name + ".sock").toString();
        final int listener = UnixSocket.listen(path, 4);
        try
        {
            final CompletableFuture<IpcServerStats> query = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return TRANSPORT.stats(name, WAIT);
                }
                catch (final IpcException ex)
                {
                    throw new CompletionException(ex);
                }
            });
            final int fd = UnixSocket.accept(listener, false);
            try
            {
                final Frame request = readFrame(fd);
                assertEquals(new Frame.Stats(FrameDescriptor.PROTOCOL_MAJOR, FrameDescriptor.PROTOCOL_MINOR), request);
                answer.run(fd);
            }
            finally
            {
                Posix.closeQuietly(fd);
            }
            final ExecutionException failure = assertThrows(ExecutionException.class,
                () -> query.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IpcException.class, failure.getCause(), String.valueOf(failure.getCause()));
            return (IpcException)failure.getCause();
        }
        finally
        {
            Posix.closeQuietly(listener);
            Posix.unlink(path);
        }
    }

    private static ByteBuffer frame(final Frame frame)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        FrameCodec.encode(frame, buffer);
        return buffer.flip();
    }

    private static void send(final int fd, final ByteBuffer bytes) throws IpcException
    {
        while (bytes.hasRemaining())
        {
            UnixSocket.sendMessage(fd, bytes, null);
        }
    }

    /** Reads one whole frame from a blocking socket. */
    private static Frame readFrame(final int fd) throws IpcException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final int[] fds = new int[1];
        while (true)
        {
            final ByteBuffer view = buffer.duplicate().flip();
            final int length = FrameCodec.frameLength(view);
            if (length >= 0 && view.remaining() >= length)
            {
                return FrameCodec.decode(view);
            }
            assertTrue(UnixSocket.poll(fd, Poll.POLLIN, 5_000) != 0, "no frame within 5 s");
            final ReceivedMessage received = UnixSocket.receiveMessage(fd, buffer, fds, 0);
            assertTrue(received.bytes() > 0, "end of stream before a whole frame");
        }
    }
}
