package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcOptions;
import ipc.api.IpcPeerClosedException;
import ipc.api.call.CallClient;
import ipc.api.call.IpcCalls;

/**
 * Calls to a server in a second JVM ({@link ChildMain} {@code call-server}): sequential and pipelined calls, a stream
 * with a consumer that asks for one item at a time, and the server process killed with calls pending.
 */
@HostSuite
class CallsCrossProcessTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final IpcOptions OPTIONS = IpcOptions.builder().connectTimeout(Duration.ofSeconds(20)).build();

    @Test
    @Timeout(120)
    void shouldCallStreamAndPipelineToAServerInAnotherProcess() throws Exception
    {
        final String name = uniqueName("calls-child");
        try (ChildJvm child = ChildJvm.start("call-server", "call-server", name, "0"))
        {
            child.awaitLine("SERVING", 60_000);
            try (CallClient client = IpcCalls.client(TRANSPORT.connect(name, OPTIONS)))
            {
                for (int i = 0; i < 1_000; i++)
                {
                    final byte[] request = Messages.payload(1 + i % 700, i);
                    assertArrayEquals(request, client.call(request, WAIT), "call " + i);
                }
                final List<CompletableFuture<byte[]>> pipelined = new ArrayList<>();
                for (int i = 0; i < 20_000; i++)
                {
                    pipelined.add(client.request(ByteBuffer.allocate(8).putLong(0, i).array(), WAIT));
                }
                for (int i = 0; i < pipelined.size(); i++)
                {
                    assertEquals(i, ByteBuffer.wrap(pipelined.get(i).get(60, TimeUnit.SECONDS)).getLong(0));
                }
                final CompletableFuture<Integer> streamed = new CompletableFuture<>();
                client.stream(ByteBuffer.allocate(4).putInt(0, 3_000).array(), WAIT).subscribe(
                    new Flow.Subscriber<byte[]>()
                    {
                        private Flow.Subscription subscription;
                        private int next;

                        @Override
                        public void onSubscribe(final Flow.Subscription subscription)
                        {
                            this.subscription = subscription;
                            subscription.request(1);
                        }

                        @Override
                        public void onNext(final byte[] item)
                        {
                            if (ByteBuffer.wrap(item).getInt(0) != next)
                            {
                                streamed.completeExceptionally(new AssertionError("item " + next + " out of order"));
                            }
                            next++;
                            subscription.request(1);
                        }

                        @Override
                        public void onError(final Throwable throwable)
                        {
                            streamed.completeExceptionally(throwable);
                        }

                        @Override
                        public void onComplete()
                        {
                            streamed.complete(next);
                        }
                    });
                assertEquals(3_000, streamed.get(60, TimeUnit.SECONDS));
                assertEquals(0, client.stats().pending());
                assertEquals(0, client.stats().lateReplies());
            }
            // End of input: the child closes its server (removing its socket files) and exits.
            child.process().getOutputStream().close();
            assertEquals(0, child.awaitExit(30_000), child.output());
        }
    }

    @Test
    @Timeout(120)
    void shouldFailEveryPendingCallAtOnceWhenTheServerProcessDies() throws Exception
    {
        final String name = uniqueName("calls-death");
        final int calls = 2_000;
        try (ChildJvm child = ChildJvm.start("call-server-killed", "call-server", name, Integer.toString(calls)))
        {
            child.awaitLine("SERVING", 60_000);
            try (CallClient client = IpcCalls.client(TRANSPORT.connect(name, OPTIONS)))
            {
                final List<CompletableFuture<byte[]>> futures = new ArrayList<>();
                for (int i = 0; i < calls; i++)
                {
                    futures.add(client.request(new byte[] {(byte)i}, Duration.ofMinutes(5)));
                }
                child.awaitLine("HELD " + calls, 60_000);
                assertEquals(calls, client.stats().pending());
                child.process().destroyForcibly();
                for (final CompletableFuture<byte[]> future : futures)
                {
                    final ExecutionException failure = assertThrows(ExecutionException.class,
                        () -> future.get(30, TimeUnit.SECONDS));
                    assertInstanceOf(IpcPeerClosedException.class, failure.getCause());
                }
                assertEquals(0, client.stats().pending());
                assertFalse(client.isOpen());
                assertTrue(futures.stream().allMatch(CompletableFuture::isCompletedExceptionally));
            }
        }
        // The killed server left its socket files: binding the name reclaims them (their owner is dead), closing
        // removes them.
        TRANSPORT.bind(name, IpcOptions.defaults()).close();
    }
}
