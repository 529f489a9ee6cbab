package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcChannel;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcProtocolException;
import ipc.api.IpcServer;
import ipc.api.IpcTimeoutException;
import ipc.conformance.ServerArena;
import ipc.linux.jna.Fcntl;
import ipc.linux.jna.LibC;
import ipc.linux.os.Posix;
import ipc.linux.os.UnixSocket;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.ring.RecordDescriptor;

/**
 * Containment (DESIGN.md section 6) against attacks only a raw Linux peer can make (forged records and fragments in
 * the memfd segment, a shrunk segment, a doorbell made blocking or closed, a flood of raw handshakes, a silent
 * socket, a scribbler); the attacks made through the API alone are in the shared suite
 * ({@link ipc.conformance.ContainmentTest}). A server serves every client with one thread, so no single peer may
 * block, crash or starve it. Each test attacks a live serving server while honest clients echo beside it (a
 * {@link ServerArena}), then asserts that the honest clients saw no error and no slow reply, that a new client is
 * served, that the attacking connection was closed with a reason where it broke the protocol, and that nothing was
 * left behind.
 */
@EnabledOnOs(OS.LINUX)
class ContainmentTest
{
    private static final IpcOptions OPTIONS = IpcOptions.builder()
        .connectTimeout(Duration.ofSeconds(1))
        .sendTimeout(Duration.ofSeconds(1))
        .ringCapacity(16 * 1024)
        .build();

    @Test
    void shouldRefuseToLetAClientShrinkItsSegment() throws Exception
    {
        try (ServerArena arena = new ServerArena("truncate", OPTIONS, ServerArena::echo, 2);
             HostileClient attacker = HostileClient.welcomed(socketPath(arena)).ready())
        {
            // The memfd is sealed against shrinking: a mapping of the server can never fault (SIGBUS).
            assertEquals(-1, LibC.ftruncate(attacker.memFd, 0), "ftruncate of the segment must fail");
            attacker.putRecord(0, RecordDescriptor.MESSAGE, RecordDescriptor.HEADER_LENGTH + 8);
            attacker.publishTail(16);
            attacker.ringDoorbell();
            arena.assertHonestClientsUnharmed();
            arena.assertDispatcherAlive();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldNotLapForgedPaddingAsLongAsTheRing() throws Exception
    {
        try (ServerArena arena = new ServerArena("lap", OPTIONS, ServerArena::echo, 1);
             HostileClient attacker = HostileClient.welcomed(socketPath(arena)).ready())
        {
            attacker.putRecord(0, RecordDescriptor.PADDING, attacker.layout.ringCapacity());
            attacker.publishTail(attacker.layout.ringCapacity());
            attacker.ringDoorbell();
            // A dispatcher lapping the padding would burn its whole core; an idle one sleeps.
            final long cpuBefore = arena.dispatcherCpuNanos();
            final long wallBefore = System.nanoTime();
            TimeUnit.MILLISECONDS.sleep(500);
            final double share = (double)(arena.dispatcherCpuNanos() - cpuBefore) / (System.nanoTime() - wallBefore);
            assertTrue(share < 0.5, "the dispatcher spins: cpu share=" + share);
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldCloseAClientThatForgesFragments() throws Exception
    {
        try (ServerArena arena = new ServerArena("fragments", OPTIONS, ServerArena::echo, 2);
             HostileClient attacker = HostileClient.welcomed(socketPath(arena)).ready())
        {
            // Begin of a fragmented message of zero bytes, then its abort: a cheap loop if it were allowed.
            attacker.segment.putInt(attacker.dataOffset() + RecordDescriptor.HEADER_LENGTH, 0);
            attacker.putRecord(0, RecordDescriptor.FRAGMENT_BEGIN, RecordDescriptor.HEADER_LENGTH + 4);
            attacker.putRecord(16, RecordDescriptor.FRAGMENT_ABORT, RecordDescriptor.HEADER_LENGTH);
            attacker.publishTail(24);
            attacker.ringDoorbell();
            attacker.awaitDropped(5_000);
            arena.assertClosedWith(IpcProtocolException.class, "fits one record");
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldCloseAClientThatPublishesAnImpossibleTail() throws Exception
    {
        try (ServerArena arena = new ServerArena("tail", OPTIONS, ServerArena::echo, 2);
             HostileClient attacker = HostileClient.welcomed(socketPath(arena)))
        {
            // Written before READY, into positions the server must not start from, and then a misaligned tail.
            attacker.segment.putLong(attacker.layout.headOffset(ipc.shared.ring.Direction.CLIENT_TO_SERVER), 3);
            attacker.ready();
            attacker.putRecord(0, RecordDescriptor.MESSAGE, RecordDescriptor.HEADER_LENGTH + 4);
            attacker.publishTail(12);
            attacker.ringDoorbell();
            attacker.awaitDropped(5_000);
            arena.assertClosedWith(IpcProtocolException.class, "tail published by the writer is impossible");
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldNotLetAClientMakeItsDoorbellBlock() throws Exception
    {
        try (ServerArena arena = new ServerArena("doorbell", OPTIONS, ServerArena::echo, 2);
             HostileClient attacker = HostileClient.welcomed(socketPath(arena)).ready())
        {
            // With an eventfd doorbell the client shares the server's file description: it could clear O_NONBLOCK,
            // ring, and take the count back itself, so that the server's read finds nothing and blocks forever.
            assertNotEquals(-1, LibC.fcntl(attacker.doorbell, Fcntl.F_SETFL, 0));
            for (int i = 0; i < 2_000; i++)
            {
                attacker.ringDoorbell();
                attacker.takeBackRing();
            }
            arena.assertHonestClientsUnharmed();
            arena.assertDispatcherAlive();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldCloseAClientThatClosesItsDoorbell() throws Exception
    {
        try (ServerArena arena = new ServerArena("doorbell-eof", OPTIONS, ServerArena::echo, 1);
             HostileClient attacker = HostileClient.welcomed(socketPath(arena)).ready())
        {
            Posix.closeQuietly(attacker.doorbell);
            final long cpuBefore = arena.dispatcherCpuNanos();
            final long wallBefore = System.nanoTime();
            TimeUnit.MILLISECONDS.sleep(300);
            final double share = (double)(arena.dispatcherCpuNanos() - cpuBefore) / (System.nanoTime() - wallBefore);
            assertTrue(share < 0.5, "the dispatcher spins on a closed doorbell: cpu share=" + share);
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldContainAFloodOfHandshakes() throws Exception
    {
        try (ServerArena arena = new ServerArena("flood", OPTIONS, ServerArena::echo, 2))
        {
            final long mappingsBefore = TestEnvironment.memfdMappings();
            final List<Integer> flood = new ArrayList<>();
            try
            {
                // Half never greet, half greet and never confirm; each greeting would cost a whole segment.
                for (int i = 0; i < 200; i++)
                {
                    final int fd = UnixSocket.connect(socketPath(arena));
                    flood.add(fd);
                    if ((i & 1) == 1)
                    {
                        HostileClient.send(fd, HostileClient.frame(
                            new Frame.Hello(FrameDescriptor.PROTOCOL_MAJOR, 0, Posix.getpid())));
                    }
                }
                // Within the connect timeout, only the handshakes in progress (at most 64, silent ones included) may
                // be welcomed, each with a segment; never one segment per greeting.
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
                int welcomed = 0;
                for (int i = 1; i < flood.size(); i += 2)
                {
                    final int left = (int)Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                    if (UnixSocket.poll(flood.get(i), ipc.linux.jna.Poll.POLLIN, left) != 0)
                    {
                        welcomed++;
                    }
                }
                assertTrue(welcomed <= 64, "greetings welcomed beyond the cap of handshakes: " + welcomed);
                assertTrue(TestEnvironment.memfdMappings() - mappingsBefore <= 64,
                    "segments created beyond the cap: " + (TestEnvironment.memfdMappings() - mappingsBefore));
            }
            finally
            {
                flood.forEach(Posix::closeQuietly);
            }
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldNotLetASilentClientHoldUpAccept() throws Exception
    {
        final IpcOptions options = IpcOptions.builder().connectTimeout(Duration.ofSeconds(5)).build();
        try (IpcServer server = TestEnvironment.TRANSPORT.bind(TestEnvironment.uniqueName("accept"), options))
        {
            final String path = TestEnvironment.socketDirectory().resolve(server.name() + ".sock").toString();
            final int silent = UnixSocket.connect(path);
            try
            {
                final long start = System.nanoTime();
                assertThrows(IpcTimeoutException.class, () -> server.accept(Duration.ofMillis(100)));
                final long took = System.nanoTime() - start;
                assertTrue(took < TimeUnit.SECONDS.toNanos(2), "accept(100 ms) took " + took / 1_000_000 + " ms");

                final CompletableFuture<IpcChannel> client = CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        return TestEnvironment.TRANSPORT.connect(server.name(), IpcOptions.defaults());
                    }
                    catch (final IpcException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                try (IpcChannel accepted = server.accept(Duration.ofSeconds(4));
                     IpcChannel connected = client.get(5, TimeUnit.SECONDS))
                {
                    connected.send(new byte[] {7});
                    assertEquals(7, accepted.receive(Duration.ofSeconds(5))[0]);
                }
            }
            finally
            {
                Posix.closeQuietly(silent);
            }
        }
    }

    @Test
    void shouldSurviveAScribblerForAWhile() throws Exception
    {
        scribble(Long.getLong("ipc.test.scribbleMillis", 1_500));
    }

    @Test
    @Tag("stress")
    void shouldSurviveAScribblerForMinutes() throws Exception
    {
        scribble(Long.getLong("ipc.test.scribbleStressMillis", 120_000));
    }

    /**
     * Random values at random offsets of a live connection's segment, header included, while that connection's
     * client keeps ringing and the honest clients echo. Whatever the server makes of it, only that connection may
     * suffer.
     */
    private static void scribble(final long millis) throws Exception
    {
        try (ServerArena arena = new ServerArena("scribble", OPTIONS, ServerArena::echo, 2))
        {
            final SplittableRandom random = new SplittableRandom(Long.getLong("ipc.test.seed", System.nanoTime()));
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            int victims = 0;
            while (System.nanoTime() - end < 0)
            {
                try (HostileClient victim = HostileClient.welcomed(socketPath(arena)).ready())
                {
                    victims++;
                    final int length = victim.segment.capacity();
                    for (int i = 0; i < 20_000 && System.nanoTime() - end < 0; i++)
                    {
                        final int offset = random.nextInt(length / 4) * 4;
                        victim.segment.putInt(offset, random.nextInt(8) == 0 ? random.nextInt() :
                            random.nextInt(-16, 4096));
                        if ((i & 63) == 0)
                        {
                            victim.ringDoorbell();
                        }
                    }
                }
            }
            assertTrue(victims > 0);
            arena.assertHonestClientsUnharmed();
            arena.assertDispatcherAlive();
            arena.assertNewClientServed();
        }
    }

    /** The socket file of an arena's server: what the raw attackers of this class connect to. */
    private static String socketPath(final ServerArena arena)
    {
        return TestEnvironment.socketDirectory().resolve(arena.name + ".sock").toString();
    }
}
