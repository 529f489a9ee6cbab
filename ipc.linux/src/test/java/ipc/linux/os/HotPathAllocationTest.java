package ipc.linux.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ipc.linux.jna.Epoll;
import ipc.linux.jna.Poll;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class HotPathAllocationTest
{
    private static final int ITERATIONS = 20_000;

    @Test
    void shouldNotAllocateInFutexEventFdDoorbellPollAndEpollCalls() throws Exception
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counter not available");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        final int memfd = SharedMemory.create("alloc", 4096);
        final ByteBuffer mapping = SharedMemory.map(memfd, 4096);
        final long word = SharedMemory.address(mapping);
        final int eventFd = EventFd.create();
        final int[] doorbell = Doorbell.create();
        try (ipc.linux.os.Epoll epoll = new ipc.linux.os.Epoll(4))
        {
            epoll.add(eventFd, Epoll.EPOLLIN, 1L);
            long sink = round(word, eventFd, doorbell, epoll);
            final long threadId = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < ITERATIONS; i++)
            {
                sink += round(word, eventFd, doorbell, epoll);
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertEquals((ITERATIONS + 1) * 9L, sink);
            assertTrue(allocated < 4096, "allocated=" + allocated + " bytes over " + ITERATIONS + " iterations");
        }
        finally
        {
            Posix.close(eventFd);
            Posix.close(doorbell[Doorbell.READER]);
            Posix.close(doorbell[Doorbell.RINGER]);
            SharedMemory.unmap(mapping);
            Posix.close(memfd);
        }
    }

    private static long round(final long word, final int eventFd, final int[] doorbell,
        final ipc.linux.os.Epoll epoll) throws Exception
    {
        long result = 0;
        result += Doorbell.ring(doorbell[Doorbell.RINGER]) ? 1 : 0;
        result += Posix.pollEither(doorbell[Doorbell.READER], eventFd, 0) == Posix.FIRST_READY ? 1 : 0;
        result += Doorbell.drain(doorbell[Doorbell.READER]);
        result += Doorbell.drain(doorbell[Doorbell.READER]) == 0 ? 1 : 0;
        EventFd.signal(eventFd);
        result += epoll.wait(0);
        result += Posix.poll(eventFd, Poll.POLLIN, 0) == Poll.POLLIN ? 1 : 0;
        result += EventFd.drain(eventFd);
        result += EventFd.drain(eventFd) == 0 ? 1 : 0;
        result += Futex.futexWait(word, 1, 1000) == Futex.VALUE_MISMATCH ? 1 : 0;
        result += Futex.futexWake(word, 1);
        return result;
    }
}
