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
            final java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
            final Thread ringer = new Thread(() ->
            {
                try
                {
                    // Ring only once the poller is blocked in the poll system call itself: this tests a wake-up,
                    // not a descriptor that was ready before the poll began.
                    Sleepers.awaitBlockedIn(pollerTid, Sleepers.pollSyscalls(), 5_000);
                    EventFd.signal(fd);
                }
                catch (final Throwable e)
                {
                    failure.set(e);
                }
            });
            ringer.start();
            final int revents = Posix.poll(fd, Poll.POLLIN, 10_000);
            ringer.join();
            if (null != failure.get())
            {
                throw new AssertionError("the ringer failed", failure.get());
            }
            assertEquals(Poll.POLLIN, revents);
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
