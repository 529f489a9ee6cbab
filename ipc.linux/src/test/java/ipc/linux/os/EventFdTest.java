package ipc.linux.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ipc.api.IpcException;
import ipc.linux.jna.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class EventFdTest
{
    @Test
    void shouldBecomeReadableWhenSignalledAndQuietWhenDrained() throws Exception
    {
        final long before = FdCount.open();
        final int fd = EventFd.create();
        try
        {
            assertEquals(0, Posix.poll(fd, Poll.POLLIN, 0));
            assertEquals(0L, EventFd.drain(fd), "nothing to drain is not an error");
            EventFd.signal(fd);
            EventFd.signal(fd);
            EventFd.signal(fd);
            assertEquals(Poll.POLLIN, Posix.poll(fd, Poll.POLLIN, 1000));
            assertEquals(3L, EventFd.drain(fd));
            assertEquals(0, Posix.poll(fd, Poll.POLLIN, 10));
        }
        finally
        {
            Posix.close(fd);
        }
        assertTrue(FdCount.open() <= before, "descriptors leaked");
    }

    @Test
    void shouldWakePollerInAnotherThread() throws Exception
    {
        final int fd = EventFd.create();
        try
        {
            final int pollerTid = Sleepers.currentTid();
            final Thread ringer = new Thread(() ->
            {
                try
                {
                    // Ring only once the poller is blocked in poll: this tests a wake-up, not a ready fd.
                    Sleepers.awaitSleeping(pollerTid, 5_000);
                    EventFd.signal(fd);
                }
                catch (final Exception e)
                {
                    throw new IllegalStateException(e);
                }
            });
            ringer.start();
            assertEquals(Poll.POLLIN, Posix.poll(fd, Poll.POLLIN, 5000));
            ringer.join();
            assertEquals(1L, EventFd.drain(fd));
        }
        finally
        {
            Posix.close(fd);
        }
    }

    @Test
    void shouldReportBadDescriptor()
    {
        assertThrows(IpcException.class, () -> EventFd.signal(-1));
        assertThrows(IpcException.class, () -> EventFd.drain(-1));
    }
}
