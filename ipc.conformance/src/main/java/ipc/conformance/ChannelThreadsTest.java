package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTimeoutException;

/**
 * The README's thread rules, proven with threads that are really blocked: one receiver at a time (a second
 * concurrent receiver gets {@link IllegalStateException}, whichever receive it calls), and the send lock held while
 * a sender waits for room in a full ring (a second sender waits behind it, and its message never overtakes).
 */
@HostSuite
class ChannelThreadsTest
{
    private static final int RING = 4096;
    private static final IpcOptions OPTIONS =
        IpcOptions.builder().ringCapacity(RING).sendTimeout(WakeBound.VALUE.multipliedBy(3)).build();

    @Test
    @Timeout(60)
    void shouldRefuseASecondConcurrentReceiver() throws Exception
    {
        withPair((client, accepted) ->
        {
            final AtomicReference<Sleepers.Sleeper> sleeper = new AtomicReference<>();
            final AtomicReference<Object> outcome = new AtomicReference<>();
            final CountDownLatch started = new CountDownLatch(1);
            final Thread first = new Thread(() ->
            {
                sleeper.set(Sleepers.self());
                started.countDown();
                try
                {
                    outcome.set(accepted.receive(WakeBound.VALUE));
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
            }, "first-receiver");
            first.start();
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Sleepers.awaitSleeping(sleeper.get(), 10_000);
            assertThrows(IllegalStateException.class, () -> accepted.receive(Duration.ZERO));
            assertThrows(IllegalStateException.class, () -> accepted.receive(ByteBuffer.allocate(8), Duration.ZERO));
            assertThrows(IllegalStateException.class, () -> accepted.receiveBorrowed(Duration.ZERO));
            assertThrows(IllegalStateException.class, () -> accepted.poll(message -> { }, 1, Duration.ZERO));
            // The refused receivers disturbed nothing: the first one still gets the message.
            client.send(new byte[] {42});
            first.join(WakeBound.VALUE.toMillis());
            assertArrayEquals(new byte[] {42}, (byte[])outcome.get());
            assertEquals(0, accepted.poll(message -> { }, 1, Duration.ZERO), "nothing else arrived");
        });
    }

    @Test
    @Timeout(60)
    void shouldHoldTheSendLockWhileWaitingForRoom() throws Exception
    {
        withPair((client, accepted) ->
        {
            final int fill = client.maxClaimLength();
            int filled = 0;
            while (true)
            {
                try
                {
                    client.claim(fill, Duration.ZERO).commit();
                    filled++;
                }
                catch (final IpcTimeoutException ex)
                {
                    break;
                }
            }
            final AtomicReference<Sleepers.Sleeper> sleeper = new AtomicReference<>();
            final AtomicReference<Throwable> firstOutcome = new AtomicReference<>();
            final AtomicReference<Throwable> secondOutcome = new AtomicReference<>();
            final CountDownLatch started = new CountDownLatch(1);
            final Thread first = new Thread(() ->
            {
                sleeper.set(Sleepers.self());
                started.countDown();
                send(client, (byte)1, firstOutcome);
            }, "first-sender");
            first.start();
            assertTrue(started.await(10, TimeUnit.SECONDS));
            // The first sender sleeps waiting for room, holding the send lock.
            Sleepers.awaitSleeping(sleeper.get(), 10_000);
            final Thread second = new Thread(() -> send(client, (byte)2, secondOutcome), "second-sender");
            second.start();
            // The second sender waits for the lock (a Java wait: TIMED_WAITING), not for room (a wait in the wake
            // signal, a native call that Java reports as RUNNABLE).
            assertTrue(TestEnvironment.eventually(() -> second.getState() == Thread.State.TIMED_WAITING, 10_000),
                "second sender state " + second.getState());
            final ByteBuffer buffer = ByteBuffer.allocate(RING);
            for (int i = 0; i < filled; i++)
            {
                buffer.clear();
                assertEquals(fill, accepted.receive(buffer, WakeBound.VALUE));
            }
            assertArrayEquals(message((byte)1), accepted.receive(WakeBound.VALUE), "the waiting sender's first");
            assertArrayEquals(message((byte)2), accepted.receive(WakeBound.VALUE), "then the one behind it");
            first.join(WakeBound.VALUE.toMillis());
            second.join(WakeBound.VALUE.toMillis());
            assertNull(firstOutcome.get());
            assertNull(secondOutcome.get());
        });
    }

    private static byte[] message(final byte fill)
    {
        final byte[] message = new byte[1500];
        java.util.Arrays.fill(message, fill);
        return message;
    }

    private static void send(final IpcChannel channel, final byte fill, final AtomicReference<Throwable> outcome)
    {
        try
        {
            channel.send(message(fill));
        }
        catch (final Throwable ex)
        {
            outcome.set(ex);
        }
    }

    private static void withPair(final TestEnvironment.PairTest body) throws Exception
    {
        try (IpcServer server = TestEnvironment.TRANSPORT.bind(TestEnvironment.uniqueName("threads"), OPTIONS))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, OPTIONS);
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                body.run(client, accepted);
            }
        }
    }
}
