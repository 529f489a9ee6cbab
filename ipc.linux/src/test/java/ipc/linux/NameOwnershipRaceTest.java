package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcAlreadyBoundException;

/**
 * Two binders must never both own a name: binders race to lock {@code <name>.lock} while its owner removes it on
 * close; one that locked a file already removed (or replaced) from the name must notice and try again, not believe
 * it owns the name.
 */
@EnabledOnOs(OS.LINUX)
class NameOwnershipRaceTest
{
    private static final int THREADS = 8;
    private static final int ATTEMPTS_PER_THREAD = 400;

    @Test
    @Timeout(120)
    void shouldNeverLetTwoConcurrentBindersOwnOneName() throws Exception
    {
        final Path directory = TestEnvironment.socketDirectory();
        final String name = TestEnvironment.uniqueName("race");
        final AtomicInteger owners = new AtomicInteger();
        final AtomicInteger maxOwners = new AtomicInteger();
        final AtomicInteger wins = new AtomicInteger();
        final AtomicInteger refusals = new AtomicInteger();
        final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++)
        {
            final Thread thread = new Thread(() ->
            {
                try
                {
                    start.await();
                    for (int i = 0; i < ATTEMPTS_PER_THREAD; i++)
                    {
                        final LinuxControlListener listener;
                        try
                        {
                            listener = LinuxControlListener.bind(directory, name, false);
                        }
                        catch (final IpcAlreadyBoundException ex)
                        {
                            refusals.incrementAndGet();
                            continue;
                        }
                        final int now = owners.incrementAndGet();
                        maxOwners.accumulateAndGet(now, Math::max);
                        wins.incrementAndGet();
                        Thread.yield();
                        owners.decrementAndGet();
                        listener.close();
                    }
                }
                catch (final Throwable ex)
                {
                    unexpected.add(ex);
                }
            }, "binder-" + t);
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        System.out.println("binds: wins=" + wins + " refusals=" + refusals + " maxOwners=" + maxOwners);
        assertTrue(unexpected.isEmpty(), () -> "unexpected failures: " + unexpected.peek());
        assertEquals(1, maxOwners.get(), "two binders owned name=" + name + " at once");
        assertTrue(wins.get() > 0, "nobody ever won");
        assertEquals(THREADS * ATTEMPTS_PER_THREAD, wins.get() + refusals.get());
        assertEquals(List.of(), TestEnvironment.list(directory).stream().filter(f -> f.startsWith(name + "."))
            .toList(), "files left behind");
    }
}
