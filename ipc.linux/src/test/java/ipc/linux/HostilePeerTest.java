package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.linux.os.EventFd;
import ipc.linux.os.Posix;
import ipc.linux.os.UnixSocket;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.codec.FrameDescriptor;

/**
 * Everything read from a peer is hostile input (DESIGN.md section 6). The attack only Linux allows: a raw client
 * pushes descriptors at the server with its greeting; the server must close them, keep serving and leave no
 * descriptor behind. The attacks every OS allows are the shared suite's: a hostile server against a client is
 * {@code ipc.conformance.HostileServerTest}, hostile clients are {@code ipc.conformance.RawPeerContainmentTest}.
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
}
