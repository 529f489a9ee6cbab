package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcChannel;
import ipc.api.IpcClaim;
import ipc.api.IpcOptions;
import ipc.api.IpcPeerClosedException;

/**
 * A server process killed ({@code kill -9}) under a client of this process at each stage: the client blocked in a
 * receive, blocked in a send on a full ring, holding a claim, and in the middle of a fragmented message from the
 * server. The client learns of it within the wake-up bound ({@link WakeBound}), never delivers a partial message,
 * and after its close nothing of the connection is left (descriptors and mappings back to where they were).
 */
@HostSuite
class ServerDeathTest
{
    private static final IpcOptions OPTIONS = IpcOptions.builder().sendTimeout(Duration.ofMinutes(1)).build();

    /** What the client does when its server dies. */
    @FunctionalInterface
    private interface Stage
    {
        void run(IpcChannel client) throws Exception;
    }

    @BeforeAll
    static void warmUp() throws Exception
    {
        TestEnvironment.warmUp();
    }

    @Test
    @Timeout(90)
    void shouldWakeAClientBlockedInReceiveWhenTheServerIsKilled() throws Exception
    {
        killServerUnder("accept-and-hold", "ACCEPTED", client -> client.receive(Duration.ofMinutes(1)));
    }

    @Test
    @Timeout(90)
    void shouldWakeAClientBlockedInSendWhenTheServerIsKilled() throws Exception
    {
        killServerUnder("accept-and-hold", "ACCEPTED", client ->
        {
            // The server never reads: the ring fills, and this send waits for room.
            while (true)
            {
                client.send(new byte[client.maxClaimLength()]);
            }
        });
    }

    @Test
    @Timeout(90)
    void shouldNeverDeliverTheHalfOfAMessageWhoseSenderWasKilled() throws Exception
    {
        // The server's sender waits for room with the ring full of its first fragments; it dies before the client
        // reads any of them. The client then reads the fragments and finds their writer gone.
        final long fdsBefore = TestEnvironment.openFileDescriptors();
        final long mappingsBefore = TestEnvironment.segmentMappings();
        final String name = uniqueName("death-partial");
        try (ChildJvm child = ChildJvm.start("accept-and-send-partial", "accept-and-send-partial", name))
        {
            child.awaitLine("BOUND", 30_000);
            try (IpcChannel client = TRANSPORT.connect(name, OPTIONS))
            {
                child.awaitLine("MID-FRAGMENT", 30_000);
                child.process().destroyForcibly();
                assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
                final IpcPeerClosedException ex = assertThrows(IpcPeerClosedException.class,
                    () -> client.receive(WakeBound.VALUE), "no partial message may be delivered");
                System.out.println("partial message dropped: " + ex.getMessage() + " " + client.stats());
                assertTrue(client.stats().messagesReceived() == 0, client.stats().toString());
            }
        }
        assertNothingLeft(fdsBefore, mappingsBefore);
    }

    @Test
    @Timeout(90)
    void shouldLetAClaimHeldWhenTheServerIsKilledEndWithoutHarm() throws Exception
    {
        final long fdsBefore = TestEnvironment.openFileDescriptors();
        final long mappingsBefore = TestEnvironment.segmentMappings();
        final String name = uniqueName("death-claim");
        try (ChildJvm child = ChildJvm.start("accept-and-hold", "accept-and-hold", name))
        {
            child.awaitLine("BOUND", 30_000);
            try (IpcChannel client = TRANSPORT.connect(name, OPTIONS))
            {
                child.awaitLine("ACCEPTED", 30_000);
                final IpcClaim claim = client.claim(100, WakeBound.VALUE);
                claim.buffer().put(0, (byte)1);
                child.process().destroyForcibly();
                assertTrue(child.process().waitFor(10, TimeUnit.SECONDS));
                assertTrue(TestEnvironment.eventually(() -> !client.isOpen(), WakeBound.VALUE.toMillis()),
                    "the client did not notice its server's death");
                // Committing into the ring of a dead peer is harmless; the channel is closed for everything after.
                claim.commit();
                assertThrows(IpcPeerClosedException.class, () -> client.send(new byte[1]));
                assertThrows(IpcPeerClosedException.class, () -> client.receive(Duration.ZERO));
            }
        }
        assertNothingLeft(fdsBefore, mappingsBefore);
    }

    private static void killServerUnder(final String role, final String stageLine, final Stage stage)
        throws Exception
    {
        final long fdsBefore = TestEnvironment.openFileDescriptors();
        final long mappingsBefore = TestEnvironment.segmentMappings();
        final String name = uniqueName("death-" + role);
        try (ChildJvm child = ChildJvm.start(role, role, name))
        {
            child.awaitLine("BOUND", 30_000);
            try (IpcChannel client = TRANSPORT.connect(name, OPTIONS))
            {
                child.awaitLine(stageLine, 30_000);
                final AtomicReference<Throwable> outcome = new AtomicReference<>();
                final AtomicReference<Sleepers.Sleeper> sleeper = new AtomicReference<>();
                final CountDownLatch started = new CountDownLatch(1);
                final Thread blocked = new Thread(() ->
                {
                    sleeper.set(Sleepers.self());
                    started.countDown();
                    try
                    {
                        stage.run(client);
                    }
                    catch (final Throwable ex)
                    {
                        outcome.set(ex);
                    }
                }, "blocked-client");
                blocked.start();
                assertTrue(started.await(10, TimeUnit.SECONDS));
                Sleepers.awaitSleeping(sleeper.get(), 10_000);
                final long killedAt = System.nanoTime();
                child.process().destroyForcibly();
                blocked.join(WakeBound.VALUE.toMillis());
                assertFalse(blocked.isAlive(), "the client was still blocked " + WakeBound.VALUE + " after the kill");
                System.out.println(role + ": server death seen after " +
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms");
                if (!(outcome.get() instanceof IpcPeerClosedException))
                {
                    throw new AssertionError("expected IpcPeerClosedException", outcome.get());
                }
                assertFalse(client.isOpen());
                assertThrows(IpcPeerClosedException.class, () -> client.receive(Duration.ZERO));
            }
        }
        assertNothingLeft(fdsBefore, mappingsBefore);
    }

    private static void assertNothingLeft(final long fdsBefore, final long mappingsBefore)
    {
        assertTrue(TestEnvironment.eventually(() -> TestEnvironment.openFileDescriptors() <= fdsBefore, 10_000),
            "file descriptors before=" + fdsBefore + " after=" + TestEnvironment.openFileDescriptors());
        assertTrue(TestEnvironment.eventually(() -> TestEnvironment.segmentMappings() <= mappingsBefore, 10_000),
            "segment mappings before=" + mappingsBefore + " after=" + TestEnvironment.segmentMappings());
    }
}
