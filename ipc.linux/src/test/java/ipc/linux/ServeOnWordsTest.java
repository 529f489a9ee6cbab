package ipc.linux;

import static ipc.linux.TestEnvironment.TRANSPORT;
import static ipc.linux.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;

/**
 * A serving dispatcher that sleeps on its connections' wait words ({@code futex_waitv}) as well as on epoll: more
 * connections than it can sleep on the words of (so some are armed on their doorbells), each sending requests with
 * pauses that let the dispatcher fall asleep between them, from several threads at once. A wake-up lost between the
 * two ways of sleeping would leave a request unanswered: the dispatcher has no periodic look while it sleeps with no
 * deadline, so the receive below would time out.
 */
@EnabledOnOs(OS.LINUX)
class ServeOnWordsTest
{
    private static final int CONNECTIONS = 160;
    private static final int THREADS = 8;
    private static final int ROUNDS = 15;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void shouldAnswerEveryRequestOfConnectionsArmedOnWordsAndOnDoorbells() throws Exception
    {
        final String name = uniqueName("words");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            server.serve((channel, message) -> channel.send(message));
            final List<IpcChannel> channels = new ArrayList<>();
            try
            {
                for (int i = 0; i < CONNECTIONS; i++)
                {
                    channels.add(TRANSPORT.connect(name, IpcOptions.defaults()));
                }
                final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                try
                {
                    final List<Future<Long>> answered = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++)
                    {
                        final List<IpcChannel> mine = channels.subList(t * CONNECTIONS / THREADS,
                            (t + 1) * CONNECTIONS / THREADS);
                        answered.add(pool.submit(() -> drive(mine)));
                    }
                    for (final Future<Long> future : answered)
                    {
                        assertEquals((long)ROUNDS * CONNECTIONS / THREADS, future.get(120, TimeUnit.SECONDS));
                    }
                }
                finally
                {
                    pool.shutdownNow();
                }
                assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(thread -> thread.getName().equals("ipc-dispatcher-" + name + "-epoll")),
                    "the dispatcher slept on words (its epoll helper runs)");
            }
            finally
            {
                channels.forEach(IpcChannel::close);
            }
        }
    }

    /** Round after round, a request on each connection in turn, each answered before the next, with pauses. */
    private static long drive(final List<IpcChannel> channels) throws Exception
    {
        final ByteBuffer out = ByteBuffer.allocateDirect(64);
        final ByteBuffer in = ByteBuffer.allocateDirect(64);
        long answered = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            for (final IpcChannel channel : channels)
            {
                out.clear().putLong(0, answered);
                channel.send(out);
                in.clear();
                assertEquals(64, channel.receive(in, WAIT), "the echo of request " + answered);
                assertEquals(answered, in.getLong(0));
                answered++;
                // Up to 1 ms: longer than the dispatcher's spin window at times, shorter at others, so it sleeps
                // between some requests and not others.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(1_000_000));
            }
        }
        return answered;
    }
}
