package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcProtocolException;
import ipc.api.IpcServer;
import ipc.linux.jna.Poll;
import ipc.linux.os.Doorbell;
import ipc.linux.os.EventFd;
import ipc.linux.os.Posix;
import ipc.linux.os.SharedMemory;
import ipc.linux.os.UnixSocket;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.codec.RejectReason;
import ipc.shared.posix.ReceivedMessage;
import ipc.shared.ring.Direction;
import ipc.shared.ring.RecordDescriptor;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;

/**
 * Everything read from a peer is hostile input (DESIGN.md section 6). Peers written here with raw sockets break
 * the protocol on purpose; each must end with a clear error for that connection only: the server keeps serving its
 * other clients, a client gets {@link IpcProtocolException} (never a crash on a short mapping), and no descriptor
 * is left behind.
 */
@EnabledOnOs(OS.LINUX)
class HostilePeerTest
{
    private static final Duration WAIT = Duration.ofSeconds(5);

    // ---------------------------------------------------------------- hostile clients against a serving server

    @Test
    void shouldCloseDescriptorsPushedWithAGreetingAndKeepServing() throws Exception
    {
        final String name = TestEnvironment.uniqueName("hostile");
        final CopyOnWriteArrayList<IpcException> closes = new CopyOnWriteArrayList<>();
        final IpcOptions options = IpcOptions.builder().connectTimeout(Duration.ofSeconds(1)).build();
        try (IpcServer server = TestEnvironment.TRANSPORT.bind(name, options))
        {
            server.serve(new IpcHandler()
            {
                @Override
                public void onMessage(final IpcChannel channel, final ByteBuffer message) throws Exception
                {
                    channel.send(message);
                }

                @Override
                public void onClose(final IpcChannel channel, final IpcException cause)
                {
                    closes.add(cause);
                }
            });
            final String path = TestEnvironment.socketDirectory().resolve(name + ".sock").toString();
            // A first good client starts the transport's peer watcher (an epoll and an eventfd of its own).
            assertServes(name);
            final long fdsBefore = ipcDescriptors();

            // Descriptors pushed at the server with the greeting: closed there, never kept. (Garbage, another major
            // version, a greeting never confirmed and an impossible record are RawPeerContainmentTest's, on every OS.)
            rawClient(path, fd ->
            {
                final int[] junk = {eventFd(), eventFd()};
                try
                {
                    UnixSocket.sendMessage(fd, frame(new Frame.Hello(FrameDescriptor.PROTOCOL_MAJOR, 0, 1)), junk);
                }
                catch (final IpcException ex)
                {
                    throw new IllegalStateException(ex);
                }
                finally
                {
                    Posix.closeQuietly(junk[0]);
                    Posix.closeQuietly(junk[1]);
                }
            });
            assertServes(name);

            assertTrue(server.stats().rejectedConnections() >= 1, "rejections: " + server.stats());
            assertTrue(TestEnvironment.eventually(() -> ipcDescriptors() <= fdsBefore, 5_000),
                () -> "descriptors left behind: before=" + fdsBefore + " after=" + ipcDescriptors());
        }
    }

    private static void assertServes(final String name) throws Exception
    {
        try (IpcChannel client = TestEnvironment.TRANSPORT.connect(name, IpcOptions.defaults()))
        {
            client.send(new byte[] {42});
            assertArrayEquals(new byte[] {42}, client.receive(WAIT));
        }
    }

    // ---------------------------------------------------------------- a hostile server against a client

    @Test
    void shouldRefuseAWelcomeThatPromisesMoreMemoryThanItSends() throws Exception
    {
        final SegmentLayout promised = SegmentLayout.forCapacity(64 * 1024);
        assertClientRefuses(fd ->
        {
            // A memfd one page long, announced as a whole segment: mapping it would SIGBUS on first touch.
            final int memFd = SharedMemory.create("short", 4096);
            final int doorbell = doorbellEnd();
            try
            {
                UnixSocket.sendMessage(fd, frame(new Frame.Welcome(FrameDescriptor.PROTOCOL_MAJOR, 0,
                    promised.ringCapacity(), 1024, 2, promised.segmentLength(), 1)), new int[] {memFd, doorbell});
            }
            finally
            {
                Posix.closeQuietly(memFd);
                Posix.closeQuietly(doorbell);
            }
        }, "segment size does not match");
    }

    @Test
    void shouldRefuseAWelcomeWithTooFewDescriptors() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        assertClientRefuses(fd ->
        {
            final int doorbell = doorbellEnd();
            try
            {
                UnixSocket.sendMessage(fd, frame(new Frame.Welcome(FrameDescriptor.PROTOCOL_MAJOR, 0,
                    layout.ringCapacity(), 1024, 2, layout.segmentLength(), 1)), new int[] {doorbell});
            }
            finally
            {
                Posix.closeQuietly(doorbell);
            }
        }, "handle count mismatch");
    }

    @Test
    void shouldRefuseASegmentWhoseHeaderWasNeverWritten() throws Exception
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(4096);
        assertClientRefuses(fd ->
        {
            final int memFd = SharedMemory.create("blank", layout.segmentLength());
            final int doorbell = doorbellEnd();
            try
            {
                UnixSocket.sendMessage(fd, frame(new Frame.Welcome(FrameDescriptor.PROTOCOL_MAJOR, 0,
                    layout.ringCapacity(), 1024, 2, layout.segmentLength(), 1)), new int[] {memFd, doorbell});
            }
            finally
            {
                Posix.closeQuietly(memFd);
                Posix.closeQuietly(doorbell);
            }
        }, "segment not ready");
    }

    @Test
    void shouldRefuseARingHeaderThatDisagreesWithTheWelcome() throws Exception
    {
        final SegmentLayout small = SegmentLayout.forCapacity(4096);
        assertClientRefuses(fd ->
        {
            final int memFd = SharedMemory.create("mismatch", small.segmentLength());
            final int doorbell = doorbellEnd();
            try
            {
                final ByteBuffer segment = SharedMemory.map(memFd, small.segmentLength());
                SegmentHeader.initialize(segment, small, 999);
                SharedMemory.unmap(segment);
                UnixSocket.sendMessage(fd, frame(new Frame.Welcome(FrameDescriptor.PROTOCOL_MAJOR, 0,
                    small.ringCapacity(), 1024, 2, small.segmentLength(), 1)), new int[] {memFd, doorbell});
            }
            finally
            {
                Posix.closeQuietly(memFd);
                Posix.closeQuietly(doorbell);
            }
        }, "does not match WELCOME");
    }

    @Test
    void shouldRefuseGarbageFromTheServer() throws Exception
    {
        assertClientRefuses(fd -> send(fd, ByteBuffer.wrap(new byte[] {0x49, 0x50, 2, 0, -1, -1, -1, 127})),
            "bad frame body length");
    }

    /** A fake server accepts one client, reads its HELLO, and answers as the test says. */
    private static void assertClientRefuses(final RawClient answer, final String expectedMessage) throws Exception
    {
        final String name = TestEnvironment.uniqueName("fake");
        final String path = TestEnvironment.socketDirectory().resolve(name + ".sock").toString();
        final long fdsBefore = ipcDescriptors();
        final int listener = UnixSocket.listen(path, 4);
        try
        {
            final CompletableFuture<IpcChannel> client = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return TestEnvironment.TRANSPORT.connect(name, IpcOptions.defaults());
                }
                catch (final IpcException ex)
                {
                    throw new java.util.concurrent.CompletionException(ex);
                }
            });
            final int fd = UnixSocket.accept(listener, false);
            try
            {
                assertInstanceOf(Frame.Hello.class, readFrame(fd, 0));
                answer.run(fd);
                final java.util.concurrent.ExecutionException failure = assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> client.get(10, TimeUnit.SECONDS));
                assertInstanceOf(IpcProtocolException.class, failure.getCause(), String.valueOf(failure.getCause()));
                assertTrue(failure.getCause().getMessage().contains(expectedMessage), failure.getCause().getMessage());
            }
            finally
            {
                Posix.closeQuietly(fd);
            }
        }
        finally
        {
            Posix.closeQuietly(listener);
            Posix.unlink(path);
        }
        assertTrue(TestEnvironment.eventually(() -> ipcDescriptors() <= fdsBefore, 5_000),
            () -> "descriptors left behind: before=" + fdsBefore + " after=" + ipcDescriptors());
    }

    /**
     * Descriptors of the kinds a connection uses (sockets, memfds, eventfds, epoll): the JVM and JNA open files of
     * their own on first use, which are no leak of ours.
     */
    private static long ipcDescriptors()
    {
        try (java.util.stream.Stream<java.nio.file.Path> entries =
            java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd")))
        {
            return entries.map(entry ->
            {
                try
                {
                    return java.nio.file.Files.readSymbolicLink(entry).toString();
                }
                catch (final java.io.IOException ex)
                {
                    return "";
                }
            }).filter(link -> link.startsWith("socket:") || link.startsWith("anon_inode:") ||
                link.startsWith("/memfd:")).count();
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    // ---------------------------------------------------------------- raw protocol helpers

    private interface RawClient
    {
        void run(int fd) throws Exception;
    }

    private static void rawClient(final String path, final RawClient client) throws Exception
    {
        final int fd = UnixSocket.connect(path);
        try
        {
            client.run(fd);
        }
        finally
        {
            Posix.closeQuietly(fd);
        }
    }

    private static ByteBuffer frame(final Frame frame)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        FrameCodec.encode(frame, buffer);
        return buffer.flip();
    }

    private static void send(final int fd, final ByteBuffer bytes)
    {
        try
        {
            while (bytes.hasRemaining())
            {
                UnixSocket.sendMessage(fd, bytes, null);
            }
        }
        catch (final IpcException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** The ringing end of a fresh doorbell, as a server sends it; its reading end is closed at once. */
    private static int doorbellEnd()
    {
        try
        {
            final int[] ends = Doorbell.create();
            Posix.closeQuietly(ends[Doorbell.READER]);
            return ends[Doorbell.RINGER];
        }
        catch (final IpcException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int eventFd()
    {
        try
        {
            return EventFd.create();
        }
        catch (final IpcException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Frame readFrame(final int fd, final int maxFds) throws IpcException
    {
        return readFrame(fd, maxFds, new int[Math.max(1, maxFds)]);
    }

    /** Reads one whole frame from a blocking socket, with up to maxFds descriptors. */
    private static Frame readFrame(final int fd, final int maxFds, final int[] fds) throws IpcException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(FrameDescriptor.MAX_FRAME_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        while (true)
        {
            final ByteBuffer view = buffer.duplicate().flip();
            final int length = FrameCodec.frameLength(view);
            if (length >= 0 && view.remaining() >= length)
            {
                return FrameCodec.decode(view);
            }
            assertTrue(UnixSocket.poll(fd, Poll.POLLIN, 5_000) != 0, "no frame within 5 s");
            final ReceivedMessage received = UnixSocket.receiveMessage(fd, buffer, fds, maxFds);
            assertTrue(received.bytes() > 0, "end of stream before a whole frame");
        }
    }

    private static void awaitEndOfStream(final int fd) throws IpcException
    {
        final ByteBuffer sink = ByteBuffer.allocate(64);
        final int[] none = new int[1];
        while (true)
        {
            assertTrue(UnixSocket.poll(fd, Poll.POLLIN, 5_000) != 0, "the server did not drop the connection");
            sink.clear();
            if (UnixSocket.receiveMessage(fd, sink, none, 0).endOfStream())
            {
                return;
            }
        }
    }
}
