package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcProtocolException;
import ipc.api.IpcServer;
import ipc.api.IpcTimeoutException;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.codec.RejectReason;
import ipc.shared.ring.Direction;
import ipc.shared.ring.RecordDescriptor;
import ipc.shared.spi.ReceivedHandles;

/**
 * Containment (DESIGN.md section 6) against a raw peer ({@link RawClient}) that every backend can make: garbage and
 * crafted control frames, a flood of handshakes, a silent client, a shrunk segment, forged records, fragments and
 * positions in the segment, a closed doorbell, and a scribbler. A server serves every client with one thread, so no
 * single peer may block, crash or starve it. Each attack runs against a live serving server while honest clients
 * echo beside it (a {@link ServerArena}); the test then asserts that the honest clients saw no error and no slow
 * reply, that a new client is served, that the attacking connection was closed with a reason where it broke the
 * protocol, and that nothing was left behind ({@link HostResources}). The attacks only one OS allows (a doorbell made
 * blocking, descriptors pushed at the server) stay in that backend's module.
 */
@HostSuite
class RawPeerContainmentTest
{
    private static final IpcOptions OPTIONS = ServerArena.OPTIONS;

    @Test
    void shouldRejectHostileHandshakesAndKeepServing() throws Exception
    {
        try (ServerArena arena = new ServerArena("hostile", OPTIONS, ServerArena::echo, 1))
        {
            // 1. Bytes that are no frame at all.
            try (RawClient attacker = RawClient.connect(arena.name, TimeUnit.SECONDS.toNanos(2)))
            {
                attacker.send(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
                attacker.awaitDropped(5_000);
            }
            arena.assertNewClientServed();

            // 2. A greeting from another major version of the protocol: refused with the reason, not ignored.
            try (RawClient attacker = RawClient.connect(arena.name, TimeUnit.SECONDS.toNanos(2));
                 ReceivedHandles none = new ReceivedHandles((ipc.shared.spi.Platform)attacker.probe.primitives(), 0))
            {
                attacker.send(attacker.hello(FrameDescriptor.PROTOCOL_MAJOR + 1));
                final Frame answer = attacker.readFrame(none, 5_000);
                assertInstanceOf(Frame.Reject.class, answer);
                assertEquals(RejectReason.VERSION_MISMATCH, ((Frame.Reject)answer).reason());
            }
            arena.assertNewClientServed();

            // 3. A client that takes its WELCOME and never confirms: dropped when its handshake times out.
            try (RawClient attacker = RawClient.welcomed(arena.name))
            {
                attacker.awaitDropped(5_000);
            }
            arena.assertNewClientServed();

            // 4. A client that completes the handshake, then writes an impossible record into its ring.
            try (RawClient attacker = RawClient.welcomed(arena.name))
            {
                attacker.putRecord(0, RecordDescriptor.MESSAGE, Integer.MAX_VALUE);
                attacker.publishTail(RecordDescriptor.ALIGNMENT);
                attacker.ready();
                attacker.ringDoorbell();
                attacker.awaitDropped(5_000);
            }
            arena.assertClosedWith(IpcProtocolException.class, "");
            assertTrue(arena.server.stats().rejectedConnections() >= 3, "rejections: " + arena.server.stats());
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldReleaseAtOnceTheHandshakeOfAClientThatDiesAfterItsWelcome() throws Exception
    {
        // A connect timeout far above the wait below: only the hang-up, not the handshake's expiry, can end it in time.
        final IpcOptions patient = OPTIONS.toBuilder().connectTimeout(Duration.ofSeconds(120)).build();
        try (ServerArena arena = new ServerArena("dies-welcomed", patient, ServerArena::echo, 1))
        {
            final long rejectedBefore = arena.server.stats().rejectedConnections();
            // Its WELCOME (and the segment with it) received, the client is gone before READY: its end of the control
            // channel closes as when the process is killed with -9. The server must drop the handshake and release
            // the segment on the hang-up, not only when the handshake times out, and leave nothing behind (the
            // arena's close counts descriptors and mappings).
            RawClient.welcomed(arena.name).close();
            assertTrue(TestEnvironment.eventually(() ->
                arena.server.stats().rejectedConnections() > rejectedBefore, WakeBound.VALUE.toMillis()),
                "the dead client's handshake is still held: " + arena.server.stats());
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldRefuseToLetAClientShrinkItsSegment() throws Exception
    {
        final BackendProbe probe = BackendProbe.require();
        assumeTrue(null == probe.noShrinkCall(), probe.noShrinkCall());
        try (ServerArena arena = new ServerArena("truncate", OPTIONS, ServerArena::echo, 2);
             RawClient attacker = RawClient.welcomed(arena.name).ready())
        {
            // Linux seals the memfd against shrinking; xnu sizes a shm object once in its life. Either way a mapping
            // of the server can never fault (SIGBUS).
            assertFalse(attacker.attached().shrink(), "the OS let a client shrink the segment it was sent");
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
             RawClient attacker = RawClient.welcomed(arena.name).ready())
        {
            attacker.putRecord(0, RecordDescriptor.PADDING, attacker.layout().ringCapacity());
            attacker.publishTail(attacker.layout().ringCapacity());
            attacker.ringDoorbell();
            // A dispatcher lapping the padding would burn its whole core; an idle one sleeps.
            assertDispatcherIdle(arena, "the dispatcher laps forged padding");
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldCloseAClientThatForgesFragments() throws Exception
    {
        try (ServerArena arena = new ServerArena("fragments", OPTIONS, ServerArena::echo, 2);
             RawClient attacker = RawClient.welcomed(arena.name).ready())
        {
            // Begin of a fragmented message of zero bytes, then its abort: a cheap loop if it were allowed.
            attacker.segment().putInt(attacker.dataOffset() + RecordDescriptor.HEADER_LENGTH, 0);
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
             RawClient attacker = RawClient.welcomed(arena.name))
        {
            // Written before READY, into positions the server must not start from, and then a misaligned tail.
            attacker.segment().putLong(attacker.layout().headOffset(Direction.CLIENT_TO_SERVER), 3);
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
    void shouldCloseAClientThatClosesItsDoorbell() throws Exception
    {
        try (ServerArena arena = new ServerArena("doorbell-eof", OPTIONS, ServerArena::echo, 1);
             RawClient attacker = RawClient.welcomed(arena.name).ready())
        {
            attacker.attached().closeDoorbell();
            // A closed doorbell reads as ready forever: the server must stop watching it and drop the client.
            attacker.awaitDropped(5_000);
            assertDispatcherIdle(arena, "the dispatcher spins on a closed doorbell");
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldContainAFloodOfHandshakes() throws Exception
    {
        try (ServerArena arena = new ServerArena("flood", OPTIONS, ServerArena::echo, 2))
        {
            final long mappingsBefore = TestEnvironment.segmentMappings();
            final List<RawClient> flood = new ArrayList<>();
            int refusedAtConnect = 0;
            try
            {
                // Half never greet, half greet and never confirm; each greeting would cost a whole segment. Where a
                // listener stops taking connections while the cap is reached (one pipe instance on Windows, a full
                // backlog elsewhere), a connect times out: that too keeps the flood out, and so do all after it.
                for (int i = 0; i < 200 && refusedAtConnect == 0; i++)
                {
                    try
                    {
                        final RawClient raw = RawClient.connect(arena.name, TimeUnit.MILLISECONDS.toNanos(200));
                        flood.add(raw);
                        if ((i & 1) == 1)
                        {
                            raw.send(raw.hello(FrameDescriptor.PROTOCOL_MAJOR));
                        }
                    }
                    catch (final IpcTimeoutException ex)
                    {
                        refusedAtConnect++;
                    }
                }
                // Within the connect timeout, only the handshakes in progress (at most 64, silent ones included) may
                // be welcomed, each with a segment; never one segment per greeting.
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
                int welcomed = 0;
                for (int i = 1; i < flood.size(); i += 2)
                {
                    if (flood.get(i).awaitReadable(Math.max(0, deadline - System.nanoTime())))
                    {
                        welcomed++;
                    }
                }
                assertTrue(welcomed <= 64, "greetings welcomed beyond the cap of handshakes: " + welcomed +
                    " refusedAtConnect=" + refusedAtConnect);
                assertTrue(TestEnvironment.segmentMappings() - mappingsBefore <= 64,
                    "segments created beyond the cap: " + (TestEnvironment.segmentMappings() - mappingsBefore));
            }
            finally
            {
                flood.forEach(RawClient::close);
            }
            arena.assertHonestClientsUnharmed();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldNotLetASilentClientHoldUpAccept() throws Exception
    {
        final IpcOptions options = IpcOptions.builder().connectTimeout(Duration.ofSeconds(5)).build();
        try (IpcServer server = TestEnvironment.TRANSPORT.bind(TestEnvironment.uniqueName("accept"), options);
             RawClient silent = RawClient.connect(server.name(), TimeUnit.SECONDS.toNanos(2)))
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
                assertArrayEquals(new byte[] {7}, accepted.receive(Duration.ofSeconds(5)));
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
                try (RawClient victim = RawClient.welcomed(arena.name).ready())
                {
                    victims++;
                    final ByteBuffer segment = victim.segment();
                    final int length = segment.capacity();
                    for (int i = 0; i < 20_000 && System.nanoTime() - end < 0; i++)
                    {
                        final int offset = random.nextInt(length / 4) * 4;
                        segment.putInt(offset, random.nextInt(8) == 0 ? random.nextInt() : random.nextInt(-16, 4096));
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

    /** The dispatcher used less than half a core over 300 ms: it sleeps rather than loops. */
    private static void assertDispatcherIdle(final ServerArena arena, final String message) throws InterruptedException
    {
        final long cpuBefore = arena.dispatcherCpuNanos();
        final long wallBefore = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep(300);
        final double share = (double)(arena.dispatcherCpuNanos() - cpuBefore) / (System.nanoTime() - wallBefore);
        assertTrue(share < 0.5, message + ": cpu share=" + share);
    }
}
