package ipc.linux.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets a test wait until a thread is really blocked in the kernel, instead of sleeping and hoping: reads the
 * thread's state in {@code /proc}.
 */
final class Sleepers
{
    private Sleepers()
    {
    }

    /** The calling thread's kernel thread id. */
    static int currentTid() throws IOException
    {
        // "/proc/thread-self" links to "<pid>/task/<tid>".
        final Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Integer.parseInt(link.getFileName().toString());
    }

    /**
     * Waits until a thread of this process is in interruptible sleep (state S), as it is inside futex_wait, poll or
     * epoll_wait.
     *
     * @throws AssertionError if it does not happen within the timeout.
     */
    static void awaitSleeping(final int tid, final long timeoutMillis) throws IOException
    {
        final Path stat = Path.of("/proc/self/task/" + tid + "/stat");
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline)
        {
            final String line = Files.readString(stat);
            // The state follows the parenthesised command name, which may itself contain spaces.
            if (line.charAt(line.lastIndexOf(')') + 2) == 'S')
            {
                return;
            }
            Thread.yield();
        }
        throw new AssertionError("thread " + tid + " did not block within " + timeoutMillis + " ms");
    }
}
