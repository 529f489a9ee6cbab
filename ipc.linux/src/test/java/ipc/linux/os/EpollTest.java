package ipc.linux.os;

import static ipc.linux.jna.Epoll.EPOLLHUP;
import static ipc.linux.jna.Epoll.EPOLLIN;
import static ipc.linux.jna.Epoll.EPOLLOUT;
import static ipc.linux.jna.Epoll.EPOLLRDHUP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class EpollTest
{
    @TempDir
    Path temp;

    @Test
    void shouldReportSignalledEventFdsWithTheirData() throws Exception
    {
        final long before = FdCount.open();
        final int first = EventFd.create();
        final int second = EventFd.create();
        try (Epoll epoll = new Epoll(8))
        {
            epoll.add(first, EPOLLIN, 0x1_0000_0001L);
            epoll.add(second, EPOLLIN, -2L);
            assertEquals(0, epoll.wait(0));
            EventFd.signal(second);
            assertEquals(1, epoll.wait(1000));
            assertEquals(-2L, epoll.eventData(0));
            assertEquals(EPOLLIN, epoll.eventFlags(0));
            EventFd.signal(first);
            assertEquals(2, epoll.wait(1000), "level-triggered: second still readable");
            EventFd.drain(first);
            EventFd.drain(second);
            assertEquals(0, epoll.wait(10));

            epoll.modify(first, EPOLLOUT, 77L);
            assertEquals(1, epoll.wait(1000));
            assertEquals(77L, epoll.eventData(0));
            assertEquals(EPOLLOUT, epoll.eventFlags(0));
            epoll.remove(first);
            assertEquals(0, epoll.wait(0));
            assertThrows(IpcException.class, () -> epoll.remove(first));
        }
        finally
        {
            Posix.close(first);
            Posix.close(second);
        }
        assertTrue(FdCount.open() <= before, "descriptors leaked");
    }

    @Test
    void shouldReportRemovedAsErrorAndNotAllowWaitAfterClose() throws Exception
    {
        final Epoll epoll = new Epoll(1);
        epoll.close();
        epoll.close();
        assertThrows(IpcClosedException.class, () -> epoll.wait(0));
    }

    @Test
    void shouldSeeHangUpAfterThePeerClosed() throws Exception
    {
        final String path = temp.resolve("s").toString();
        final int listener = UnixSocket.listen(path, 4);
        final int client = UnixSocket.connect(path);
        final int server = UnixSocket.accept(listener, true);
        try (Epoll epoll = new Epoll(4))
        {
            epoll.add(server, EPOLLIN | EPOLLRDHUP, 5L);
            assertEquals(0, epoll.wait(0));
            Posix.close(client);
            assertEquals(1, epoll.wait(1000));
            assertEquals(5L, epoll.eventData(0));
            final int flags = epoll.eventFlags(0);
            assertTrue((flags & EPOLLRDHUP) != 0, "flags=0x" + Integer.toHexString(flags));
            assertTrue((flags & EPOLLHUP) != 0, "flags=0x" + Integer.toHexString(flags));
        }
        finally
        {
            Posix.close(server);
            Posix.close(listener);
            Posix.unlink(path);
        }
    }
}
