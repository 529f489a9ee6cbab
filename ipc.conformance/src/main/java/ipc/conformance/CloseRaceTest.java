package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcChannel;
import ipc.api.IpcClaim;
import ipc.api.IpcClosedException;
import ipc.api.IpcHandler;
import ipc.api.IpcMessage;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTimeoutException;

/**
 * {@code close()} racing threads blocked in (or just entering) {@code send}, {@code claim} and one of
 * {@code receive}, {@code receiveBorrowed}, {@code poll} on the same channel, over and over: every one of them ends
 * with {@link IpcClosedException} (or its subclass {@code IpcPeerClosedException}), within the wake-up bound, and the
 * process survives (the deferred unmap is all that stands between this and a SIGSEGV). Closes of the blocked end
 * and of its peer alternate; afterwards nothing is left mapped or open.
 */
@HostSuite
class CloseRaceTest
{
    private static final int RING = 4096;
    private static final Duration BLOCK = WakeBound.VALUE.multipliedBy(3);
    private static final IpcOptions OPTIONS = IpcOptions.builder().ringCapacity(RING).sendTimeout(BLOCK).build();

    /** Which end the blocked threads use, and which end is closed under them. */
    private enum Variant
    {
        CLOSE_CLIENT_UNDER_ITS_THREADS, CLOSE_PEER_UNDER_CLIENT_THREADS, CLOSE_ACCEPTED_UNDER_ITS_THREADS
    }

    @Test
    @Timeout(300)
    void shouldEndEveryBlockedCallWithAClosedExceptionWhenCloseRacesIt() throws Exception
    {
        race(60);
    }

    @Test
    @Tag("stress")
    void shouldEndEveryBlockedCallWithAClosedExceptionWhenCloseRacesItSoak() throws Exception
    {
        race(3000);
    }

    /**
     * A served channel closed by its own thread while another thread closes the server: the channel's release, which
     * its close hands to the dispatcher, could come after the dispatcher's last look at its tasks, and then never ran
     * (the mapping, the control socket and the doorbell stayed: 22-25 of 300 rounds in a probe).
     */
    @Test
    @Timeout(120)
    void shouldReleaseAServedChannelClosedWhileItsServerCloses() throws Exception
    {
        TestEnvironment.warmUp();
        final long fdsBefore = TestEnvironment.openFileDescriptors();
        final long mappingsBefore = TestEnvironment.segmentMappings();
        for (int round = 0; round < 150; round++)
        {
            final BlockingQueue<IpcChannel> opened = new ArrayBlockingQueue<>(1);
            final IpcServer server = TRANSPORT.bind(uniqueName("close-serve-race"), IpcOptions.defaults());
            server.serve(new IpcHandler()
            {
                @Override
                public void onOpen(final IpcChannel channel)
                {
                    opened.add(channel);
                }

                @Override
                public void onMessage(final IpcChannel channel, final ByteBuffer message)
                {
                }
            });
            try (IpcChannel client = TRANSPORT.connect(server.name(), IpcOptions.defaults()))
            {
                final IpcChannel served = opened.poll(20, TimeUnit.SECONDS);
                final CyclicBarrier start = new CyclicBarrier(2);
                final int spins = (round % 50) * 20;
                final Thread closer = new Thread(() ->
                {
                    try
                    {
                        start.await();
                        for (int i = 0; i < spins; i++)
                        {
                            Thread.onSpinWait();
                        }
                        served.close();
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                closer.start();
                start.await();
                server.close();
                closer.join();
            }
        }
        assertTrue(TestEnvironment.eventually(() -> TestEnvironment.segmentMappings() <= mappingsBefore &&
            TestEnvironment.openFileDescriptors() <= fdsBefore, 5_000), () -> "left behind: mappings before=" +
            mappingsBefore + " after=" + TestEnvironment.segmentMappings() + " descriptors before=" + fdsBefore +
            " after=" + TestEnvironment.openFileDescriptors());
    }

    /**
     * A server's first {@code accept} racing its {@code close}: the accept could start its handshake machinery (a
     * multiplexer: an epoll and an eventfd on Linux) after the close had found none to close.
     */
    @Test
    @Timeout(120)
    void shouldLeaveNothingOpenWhenTheFirstAcceptRacesTheServersClose() throws Exception
    {
        TestEnvironment.warmUp();
        final long fdsBefore = TestEnvironment.openFileDescriptors();
        for (int round = 0; round < 5000; round++)
        {
            final IpcServer server = TRANSPORT.bind(uniqueName("close-accept-race"), IpcOptions.defaults());
            final Thread acceptor = new Thread(() ->
            {
                try
                {
                    server.accept(Duration.ofSeconds(5));
                }
                catch (final IpcClosedException ex)
                {
                    // Expected: the server closed.
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            acceptor.start();
            server.close();
            acceptor.join();
        }
        assertTrue(TestEnvironment.eventually(() -> TestEnvironment.openFileDescriptors() <= fdsBefore, 5_000),
            () -> "left open: descriptors before=" + fdsBefore + " after=" + TestEnvironment.openFileDescriptors() +
            " " + HostResources.host().descriptorDetails());
    }

    private static void race(final int iterations) throws Exception
    {
        TestEnvironment.warmUp();
        final long fdsBefore = TestEnvironment.openFileDescriptors();
        final long mappingsBefore = TestEnvironment.segmentMappings();
        final SplittableRandom random = new SplittableRandom(14);
        try (IpcServer server = TRANSPORT.bind(uniqueName("close-race"), OPTIONS))
        {
            for (int i = 0; i < iterations; i++)
            {
                final Variant variant = Variant.values()[i % Variant.values().length];
                final IpcChannel[] pair = TestEnvironment.connectPair(server, OPTIONS);
                try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
                {
                    final boolean onClient = variant != Variant.CLOSE_ACCEPTED_UNDER_ITS_THREADS;
                    final IpcChannel blocked = onClient ? client : accepted;
                    final IpcChannel closed = variant == Variant.CLOSE_PEER_UNDER_CLIENT_THREADS ? accepted : blocked;
                    fill(blocked);
                    iteration(i, variant, blocked, closed, random);
                }
            }
        }
        assertTrue(TestEnvironment.eventually(() -> TestEnvironment.segmentMappings() <= mappingsBefore, 10_000),
            "segment mappings before=" + mappingsBefore + " after=" + TestEnvironment.segmentMappings() + ": " +
                HostResources.host().segmentMappingDetails());
        assertTrue(TestEnvironment.eventually(() -> TestEnvironment.openFileDescriptors() <= fdsBefore, 10_000),
            "file descriptors before=" + fdsBefore + " after=" + TestEnvironment.openFileDescriptors() + ": " +
                HostResources.host().descriptorDetails());
    }

    private static void iteration(final int i, final Variant variant, final IpcChannel blocked,
        final IpcChannel closed, final SplittableRandom random) throws Exception
    {
        final List<Thread> threads = new ArrayList<>();
        final List<AtomicReference<Throwable>> outcomes = new ArrayList<>();
        final List<AtomicReference<Sleepers.Sleeper>> sleepers = new ArrayList<>();
        final CountDownLatch started = new CountDownLatch(3);
        final int receiveKind = (i / Variant.values().length) % 4;
        final Call[] calls = {
            () -> blocked.send(new byte[1000]),
            () ->
            {
                try (IpcClaim claim = blocked.claim(100, BLOCK))
                {
                    claim.commit();
                }
            },
            () -> receive(blocked, receiveKind),
        };
        final String[] roles = {"send", "claim", "receive"};
        for (int c = 0; c < calls.length; c++)
        {
            final Call call = calls[c];
            final AtomicReference<Throwable> outcome = new AtomicReference<>();
            final AtomicReference<Sleepers.Sleeper> sleeper = new AtomicReference<>();
            final Thread thread = new Thread(() ->
            {
                sleeper.set(Sleepers.self());
                started.countDown();
                try
                {
                    call.run();
                    outcome.set(new AssertionError("returned normally"));
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
            }, "close-race-" + i + "-" + roles[c]);
            outcomes.add(outcome);
            sleepers.add(sleeper);
            threads.add(thread);
            thread.start();
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        if (random.nextBoolean())
        {
            // Close under a receiver and a sender (or claimer) that are surely asleep: whichever of the sender and
            // the claimer took the send lock waits for room, the other for the lock.
            Sleepers.awaitAnySleeping(10_000, sleepers.get(0).get(), sleepers.get(1).get());
            Sleepers.awaitSleeping(sleepers.get(2).get(), 10_000);
        }
        else
        {
            // Close at a random moment: before, while or after the calls block.
            final long until = System.nanoTime() + random.nextLong(500_000);
            while (System.nanoTime() - until < 0)
            {
                Thread.onSpinWait();
            }
        }
        closed.close();
        for (int t = 0; t < threads.size(); t++)
        {
            threads.get(t).join(WakeBound.VALUE.toMillis());
            if (threads.get(t).isAlive())
            {
                fail("iteration " + i + " " + variant + ": call " + t + " still blocked " + WakeBound.VALUE +
                    " after close");
            }
            final Throwable outcome = outcomes.get(t).get();
            if (!(outcome instanceof IpcClosedException))
            {
                throw new AssertionError("iteration " + i + " " + variant + " receive kind " + receiveKind +
                    ": call " + t + " ended with " + outcome, outcome);
            }
        }
        assertEquals(false, blocked.isOpen());
    }

    /** Fills the ring this end writes, so that a send and a claim of it have to wait for room. */
    private static void fill(final IpcChannel channel) throws Exception
    {
        for (final int length : new int[] {channel.maxClaimLength(), 64, 1})
        {
            while (true)
            {
                try
                {
                    channel.claim(length, Duration.ZERO).commit();
                }
                catch (final IpcTimeoutException ex)
                {
                    break;
                }
            }
        }
    }

    private static void receive(final IpcChannel channel, final int kind) throws Exception
    {
        switch (kind)
        {
            case 0 -> channel.receive(BLOCK);
            case 1 -> channel.receive(ByteBuffer.allocate(RING), BLOCK);
            case 2 ->
            {
                try (IpcMessage message = channel.receiveBorrowed(BLOCK))
                {
                    message.buffer();
                }
            }
            default -> channel.poll(message -> { }, 16, BLOCK);
        }
    }

    /** A channel call that is expected to block. */
    @FunctionalInterface
    private interface Call
    {
        void run() throws Exception;
    }
}
