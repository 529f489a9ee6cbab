package ipc.linux.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcProtocolException;
import ipc.linux.jna.Poll;
import ipc.shared.posix.ReceivedMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class UnixSocketTest
{
    @TempDir
    Path temp;

    private String path;
    private int listener = -1;
    private int client = -1;
    private int server = -1;

    @BeforeEach
    void connectPair() throws Exception
    {
        path = temp.resolve("control.sock").toString();
        listener = UnixSocket.listen(path, 16);
        client = UnixSocket.connect(path);
        server = UnixSocket.accept(listener, false);
    }

    @AfterEach
    void closeAll()
    {
        Posix.closeQuietly(client);
        Posix.closeQuietly(server);
        Posix.closeQuietly(listener);
        new java.io.File(path).delete();
    }

    @Test
    void shouldCreateSocketFileReadableByOwnerOnly() throws Exception
    {
        final FileStatus status = Posix.stat(path);
        assertTrue(status.isSocket());
        assertEquals(0600, status.permissions());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path))));
    }

    @Test
    void shouldReportOurOwnCredentialsAsPeer() throws Exception
    {
        final PeerCredentials credentials = UnixSocket.peerCredentials(server);
        assertEquals(Posix.getpid(), credentials.pid());
        assertEquals(Posix.getuid(), credentials.uid());
        assertEquals(UnixSocket.peerCredentials(client), credentials);
    }

    @Test
    void shouldPassBytesAndDescriptorsOfSharedMemoryAndEventFd() throws Exception
    {
        final int memfd = SharedMemory.create("passed", 4096);
        final int eventFd = EventFd.create();
        final ByteBuffer mine = SharedMemory.map(memfd, 4096);
        try
        {
            final ByteBuffer out = ByteBuffer.allocateDirect(16);
            out.put("WELCOME".getBytes(StandardCharsets.US_ASCII)).flip();
            assertEquals(7, UnixSocket.sendMessage(client, out, new int[] {memfd, eventFd}));
            assertEquals(7, out.position());

            final ByteBuffer in = ByteBuffer.allocateDirect(64);
            final int[] fds = new int[4];
            final ReceivedMessage received = UnixSocket.receiveMessage(server, in, fds, 3);
            assertEquals(new ReceivedMessage(7, 2), received);
            assertEquals(-1, fds[2], "unused slots are -1");
            in.flip();
            final byte[] text = new byte[in.remaining()];
            in.get(text);
            assertEquals("WELCOME", new String(text, StandardCharsets.US_ASCII));

            assertTrue(fds[0] != memfd && fds[1] != eventFd, "new descriptors: " + Arrays.toString(fds));
            assertEquals(4096, SharedMemory.size(fds[0]));
            final ByteBuffer theirs = SharedMemory.map(fds[0], 4096);
            mine.putLong(64, 0xCAFEL);
            assertEquals(0xCAFEL, theirs.getLong(64));
            SharedMemory.unmap(theirs);

            EventFd.signal(fds[1]);
            assertEquals(1L, EventFd.drain(eventFd));
            assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fds[1])).toString().contains("eventfd"));
            Posix.close(fds[0]);
            Posix.close(fds[1]);
        }
        finally
        {
            SharedMemory.unmap(mine);
            Posix.close(memfd);
            Posix.close(eventFd);
        }
    }

    @Test
    void shouldSendAndReceiveThroughHeapBuffers() throws Exception
    {
        final ByteBuffer out = ByteBuffer.wrap("xxhelloyy".getBytes(StandardCharsets.US_ASCII), 2, 5);
        assertEquals(5, UnixSocket.sendMessage(client, out, null));
        final byte[] backing = new byte[20];
        final ByteBuffer in = ByteBuffer.wrap(backing, 3, 10).slice();
        assertEquals(new ReceivedMessage(5, 0), UnixSocket.receiveMessage(server, in, new int[0], 0));
        assertEquals("hello", new String(backing, 3, 5, StandardCharsets.US_ASCII));
    }

    @Test
    void shouldSeeEndOfStreamAfterPeerClosed() throws Exception
    {
        Posix.close(client);
        client = -1;
        assertTrue((Posix.poll(server, Poll.POLLIN, 1000) & (Poll.POLLIN | Poll.POLLHUP)) != 0);
        final ReceivedMessage received = UnixSocket.receiveMessage(server, ByteBuffer.allocate(8), new int[1], 1);
        assertTrue(received.endOfStream());
        assertEquals(0, received.fdCount());
    }

    @Test
    void shouldReportPeerClosedWithEpipeInsteadOfSigpipe() throws Exception
    {
        Posix.close(server);
        server = -1;
        final IpcPeerClosedException e = assertThrows(IpcPeerClosedException.class,
            () -> UnixSocket.sendMessage(client, ByteBuffer.wrap(new byte[] {1}), null));
        assertTrue(e.getMessage().startsWith("sendmsg failed: errno=32 (Broken pipe)"), e.getMessage());
    }

    @Test
    void shouldReportWouldBlockOnEmptyNonBlockingSocket() throws Exception
    {
        Posix.setNonBlocking(server, true);
        assertTrue(UnixSocket.receiveMessage(server, ByteBuffer.allocate(8), null, 0).wouldBlock());
        Posix.setNonBlocking(server, false);
        assertEquals(0, Posix.poll(server, Poll.POLLIN, 10));
        assertEquals(-1, UnixSocket.accept(acceptNonBlocking(), false));
    }

    private int acceptNonBlocking() throws IpcException
    {
        Posix.setNonBlocking(listener, true);
        return listener;
    }

    @Test
    void shouldCloseEveryDescriptorOfAPeerThatSendsTooMany() throws Exception
    {
        final int[] sent = {EventFd.create(), EventFd.create(), EventFd.create()};
        try
        {
            for (int maxFds = 0; maxFds <= 2; maxFds++)
            {
                final long before = FdCount.open();
                UnixSocket.sendMessage(client, ByteBuffer.wrap(new byte[] {9}), sent);
                final int[] fds = new int[4];
                final int expected = maxFds;
                final IpcProtocolException e = assertThrows(IpcProtocolException.class,
                    () -> UnixSocket.receiveMessage(server, ByteBuffer.allocate(4), fds, expected));
                assertTrue(e.getMessage().contains("maxFds=" + maxFds), e.getMessage());
                assertTrue(FdCount.open() <= before, "maxFds=" + maxFds);
                for (int i = 0; i < maxFds; i++)
                {
                    assertEquals(-1, fds[i], "nothing kept: maxFds=" + maxFds);
                }
            }
        }
        finally
        {
            for (final int fd : sent)
            {
                Posix.close(fd);
            }
        }
    }

    @Test
    void shouldNotLeakDescriptorsOverManyExchanges() throws Exception
    {
        final int memfd = SharedMemory.create("leak-check", 4096);
        try
        {
            exchange(memfd);
            final long before = FdCount.open();
            for (int i = 0; i < 500; i++)
            {
                exchange(memfd);
            }
            assertTrue(FdCount.open() <= before, "descriptors leaked");
        }
        finally
        {
            Posix.close(memfd);
        }
    }

    private void exchange(final int memfd) throws Exception
    {
        final int[] fds = new int[1];
        UnixSocket.sendMessage(client, ByteBuffer.wrap(new byte[] {1, 2, 3}), new int[] {memfd});
        assertEquals(new ReceivedMessage(3, 1), UnixSocket.receiveMessage(server, ByteBuffer.allocate(3), fds, 1));
        Posix.close(fds[0]);
    }

    @Test
    void shouldRejectAPathLongerThanSunPath()
    {
        final String tooLong = "/tmp/" + "x".repeat(103);
        final IpcException e = assertThrows(IpcException.class, () -> UnixSocket.listen(tooLong, 1));
        assertTrue(e.getMessage().contains("bytes=108 max=107"), e.getMessage());
        assertFalse(Files.exists(Path.of(tooLong)));
    }

    @Test
    void shouldReportBoundPathAndMissingListener() throws Exception
    {
        assertThrows(IpcAlreadyBoundException.class, () -> UnixSocket.listen(path, 1));
        final String missing = temp.resolve("nobody.sock").toString();
        final IpcClosedException e = assertThrows(IpcClosedException.class, () -> UnixSocket.connect(missing));
        assertTrue(e.getMessage().startsWith("connect failed: errno=2 (No such file or directory) path="),
            e.getMessage());
        Posix.close(listener);
        listener = -1;
        assertThrows(IpcClosedException.class, () -> UnixSocket.connect(path), "refused once nobody listens");
    }
}
