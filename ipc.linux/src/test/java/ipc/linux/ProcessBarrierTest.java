package ipc.linux;

import static ipc.linux.TestEnvironment.TRANSPORT;
import static ipc.linux.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.sun.jna.Platform;
import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Membarrier;
import ipc.linux.os.GlobalMembarrier;
import ipc.shared.ring.SegmentDescriptor;
import ipc.shared.ring.SegmentHeader;

/**
 * The process barrier on the real kernel ({@code membarrier(2)}), and which channels use it: the waits of a channel
 * read by its own thread run it (accept mode, and every client), so their peers' wake checks skip the fence; a
 * dispatcher's connections keep the fence, since the dispatcher arms them one by one. The lost wake-up that the
 * barrier prevents, and its absence with the barrier, are shown by the jcstress tests
 * {@code FencelessWakeupWithoutBarrierTest} and {@code FencelessWakeupTest}.
 */
@EnabledOnOs(OS.LINUX)
class ProcessBarrierTest
{
    @Test
    void shouldUseTheKernelsNumbersAndCommands()
    {
        // <linux/membarrier.h>: MEMBARRIER_CMD_QUERY = 0, MEMBARRIER_CMD_GLOBAL_EXPEDITED = (1 << 1),
        // MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = (1 << 2).
        assertEquals(0, Membarrier.MEMBARRIER_CMD_QUERY);
        assertEquals(2, Membarrier.MEMBARRIER_CMD_GLOBAL_EXPEDITED);
        assertEquals(4, Membarrier.MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
        // __NR_membarrier: 324 in asm/unistd_64.h (x86_64), 283 in asm-generic/unistd.h (aarch64).
        assertEquals(324, Membarrier.SYS_membarrier_x86_64);
        assertEquals(283, Membarrier.SYS_membarrier_aarch64);
        assertEquals(Platform.isIntel() ? 324 : 283, Membarrier.SYS_membarrier);
    }

    @Test
    void shouldRegisterThisProcessAndRunTheBarrier()
    {
        final GlobalMembarrier barrier = GlobalMembarrier.instance();
        assertTrue(barrier.registered(), "membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) refused on Linux " +
            System.getProperty("os.version") + ": " + barrier);
        // Registered means the kernel runs the command for us now; the barrier itself returns normally.
        assertEquals(0, LibC.syscall(Membarrier.SYS_membarrier, Membarrier.MEMBARRIER_CMD_GLOBAL_EXPEDITED,
            0, 0, 0, 0, 0));
        final long supported = LibC.syscall(Membarrier.SYS_membarrier, Membarrier.MEMBARRIER_CMD_QUERY, 0, 0, 0, 0, 0);
        assertEquals(Membarrier.MEMBARRIER_CMD_GLOBAL_EXPEDITED, supported & Membarrier.MEMBARRIER_CMD_GLOBAL_EXPEDITED);
        barrier.runOnAllRegistered();
        assertSame(barrier, platformBarrier(), "the platform hands out the same barrier");
    }

    @Test
    void shouldRunTheBarrierBeforeSleepingOnAnAcceptedChannelSoThatItsClientSkipsTheFence() throws Exception
    {
        final String name = uniqueName("barrier-accept");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final CompletableFuture<IpcChannel> accepted = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return server.accept(Duration.ofSeconds(30));
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            try (HostileClient client = HostileClient.welcomed(socketPath(name)).ready();
                 IpcChannel channel = accepted.get(30, TimeUnit.SECONDS))
            {
                assertTrue(channel.isOpen());
                assertEquals(SegmentDescriptor.IDLE_PARKS_AFTER_BARRIER, SegmentHeader.idleAcquire(client.segment,
                    true), "the accepted channel's waits run the barrier");
            }
        }
    }

    @Test
    void shouldKeepTheFenceForADispatchersConnections() throws Exception
    {
        final String name = uniqueName("barrier-serve");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve((channel, message) -> channel.send(message));
            try (HostileClient client = HostileClient.welcomed(socketPath(name)).ready())
            {
                assertTrue(TestEnvironment.eventually(() -> SegmentHeader.getStateAcquire(client.segment, true) ==
                    SegmentDescriptor.STATE_OPEN, 10_000), "the dispatcher admitted the connection");
                assertEquals(SegmentDescriptor.IDLE_MAY_PARK, SegmentHeader.idleAcquire(client.segment, true),
                    "a dispatcher arms connections one by one: its waits fence, and so do its clients' wakes");
            }
        }
    }

    private static ipc.shared.wait.ProcessBarrier platformBarrier()
    {
        return new LinuxPlatform().processBarrier();
    }

    private static String socketPath(final String name)
    {
        return TestEnvironment.socketDirectory().resolve(name + ".sock").toString();
    }
}
