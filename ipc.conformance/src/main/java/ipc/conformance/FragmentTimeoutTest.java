package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTimeoutException;

/**
 * A fragmented send that times out at the channel level (a real {@code sendTimeout}: the reader stops reading while
 * the message is half in the ring): the sender gets {@link IpcTimeoutException}, the reader never sees the partial
 * message, and the next messages, small and fragmented, arrive whole (sequence and CRC checked).
 */
@HostSuite
class FragmentTimeoutTest
{
    /** {@link Messages#length(long)} makes this one larger than a 64 KiB ring: it travels in fragments. */
    private static final long LARGE = Messages.LARGE_EVERY - 1;
    private static final long SMALL = 7;

    @Test
    @Timeout(60)
    void shouldDropAPartialMessageWhoseSendTimedOutAndDeliverTheNextOnesWhole() throws Exception
    {
        final IpcOptions options = IpcOptions.builder().sendTimeout(Duration.ofMillis(300)).build();
        try (IpcServer server = TestEnvironment.TRANSPORT.bind(TestEnvironment.uniqueName("fragment-timeout"), options))
        {
            final IpcChannel[] pair = TestEnvironment.connectPair(server, options);
            try (IpcChannel client = pair[0]; IpcChannel accepted = pair[1])
            {
                assertTrue(Messages.length(LARGE) > options.ringCapacity(), "the message must not fit the ring");
                final ByteBuffer out = ByteBuffer.allocate(Messages.MAX_LENGTH);
                // Nobody reads: the first fragments fill the ring, the rest cannot follow within sendTimeout.
                Messages.write(out.clear(), LARGE);
                out.limit(Messages.length(LARGE));
                assertThrows(IpcTimeoutException.class, () -> client.send(out));
                assertEquals(0, out.position(), "a failed send leaves the buffer's position");
                // It waited for room once: the ring was full of its first fragments (the message is larger than it).
                assertEquals(1, client.stats().fullRingWaits(), client.stats().toString());
                assertEquals(0, client.stats().messagesSent(), client.stats().toString());

                // The reader finds the partial message and its abort: nothing whole to deliver.
                final ByteBuffer in = ByteBuffer.allocate(Messages.MAX_LENGTH);
                assertThrows(IpcTimeoutException.class, () -> accepted.receive(in, Duration.ZERO));

                // The next messages arrive whole: a small one, then the large one again, read while it is sent.
                Messages.write(out.clear(), SMALL);
                out.limit(Messages.length(SMALL));
                client.send(out);
                in.clear();
                accepted.receive(in, WakeBound.VALUE);
                Messages.verify(in.flip(), SMALL);

                final CompletableFuture<ByteBuffer> large = CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        final ByteBuffer received = ByteBuffer.allocate(Messages.MAX_LENGTH);
                        accepted.receive(received, WakeBound.VALUE);
                        return received.flip();
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                Messages.write(out.clear(), LARGE);
                out.limit(Messages.length(LARGE));
                client.send(out);
                Messages.verify(large.get(WakeBound.VALUE.toMillis() * 2, TimeUnit.MILLISECONDS), LARGE);

                assertThrows(IpcTimeoutException.class, () -> accepted.receive(in.clear(), Duration.ZERO));
                assertEquals(2, accepted.stats().messagesReceived(), "the partial message never counted");
                assertEquals(2, client.stats().messagesSent());
            }
        }
    }
}
