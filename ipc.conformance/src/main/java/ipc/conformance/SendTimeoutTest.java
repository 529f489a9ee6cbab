package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTimeoutException;

/**
 * {@link IpcChannel#send(ByteBuffer, Duration)}: a send with a deadline of its own waits for room that long, not the
 * channel's much longer send timeout, fails with nothing sent and the buffer untouched, and goes through once the
 * reader makes room.
 */
@HostSuite
class SendTimeoutTest
{
    private static final int MESSAGE = 1000;

    @Test
    @Timeout(60)
    void shouldWaitForRoomNoLongerThanTheSendsOwnTimeout() throws Exception
    {
        final Duration channelTimeout = Duration.ofSeconds(30);
        final IpcOptions options = IpcOptions.builder().sendTimeout(channelTimeout).build();
        try (IpcServer server = TestEnvironment.TRANSPORT.bind(TestEnvironment.uniqueName("send-timeout"), options))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, options);
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                final ByteBuffer out = ByteBuffer.allocate(MESSAGE);
                // Nobody reads: fill the ring until a send that may not wait at all fails.
                int sent = 0;
                while (true)
                {
                    out.clear();
                    try
                    {
                        client.send(out, Duration.ZERO);
                    }
                    catch (final IpcTimeoutException ex)
                    {
                        break;
                    }
                    sent++;
                    assertTrue(sent * MESSAGE <= options.ringCapacity(), "the ring cannot hold more: sent=" + sent);
                }
                assertTrue(sent > 0, "an empty ring takes a message at once");
                assertEquals(0, out.position(), "a failed send leaves the buffer's position");

                final Duration own = Duration.ofMillis(200);
                final long start = System.nanoTime();
                assertThrows(IpcTimeoutException.class, () -> client.send(out.clear(), own));
                final long waited = System.nanoTime() - start;
                assertTrue(waited >= own.toNanos(), "never early: waited " + waited + " ns");
                // Far below the channel's 30 s: the send's own timeout ended the wait, not the channel's.
                assertTrue(waited < TimeUnit.SECONDS.toNanos(15), "waited " + waited + " ns");
                assertEquals(0, out.position(), "a failed send leaves the buffer's position");
                assertEquals(sent, client.stats().messagesSent(), client.stats().toString());

                // The reader makes room: the same send goes through, and every message arrives.
                final ByteBuffer in = ByteBuffer.allocate(MESSAGE);
                for (int i = 0; i < sent; i++)
                {
                    in.clear();
                    assertEquals(MESSAGE, accepted.receive(in, WakeBound.VALUE));
                }
                client.send(out.clear(), own);
                assertEquals(MESSAGE, out.position(), "a sent buffer is consumed");
                in.clear();
                assertEquals(MESSAGE, accepted.receive(in, WakeBound.VALUE));
            }
        }
    }
}
