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

    /**
     * The numbers of the system calls a thread may block in to wait for a descriptor ({@code poll}, {@code ppoll}),
     * for this architecture: {@code arch/x86/entry/syscalls/syscall_64.tbl} (7, 271) and
     * {@code include/uapi/asm-generic/unistd.h} for aarch64 ({@code ppoll} 73; it has no {@code poll}).
     */
    static int[] futexSyscalls()
    {
        // futex: 202 on x86_64 (syscall_64.tbl), 98 on aarch64 (asm-generic/unistd.h).
        return "aarch64".equals(System.getProperty("os.arch")) ? new int[] {98} : new int[] {202};
    }

    /** {@code futex_waitv}: 449 on x86_64 and aarch64 (syscall_64.tbl, asm-generic/unistd.h). */
    static int[] futexWaitvSyscalls()
    {
        return new int[] {449};
    }

    static int[] pollSyscalls()
    {
        return "aarch64".equals(System.getProperty("os.arch")) ? new int[] {73} : new int[] {7, 271};
    }

    /**
     * Waits until a thread of this process is asleep (state S) inside one of the given system calls, read from
     * {@code /proc/self/task/<tid>/syscall} (its first field is the number of the call the thread is blocked in):
     * stronger than {@link #awaitSleeping}, which a thread asleep for any other reason also passes.
     *
     * @throws AssertionError if it does not happen within the timeout.
     */
    static void awaitBlockedIn(final int tid, final int[] syscalls, final long timeoutMillis) throws IOException
    {
        final Path syscall = Path.of("/proc/self/task/" + tid + "/syscall");
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String last = "";
        while (System.nanoTime() < deadline)
        {
            last = Files.readString(syscall).trim();
            final String number = last.split(" ", 2)[0];
            for (final int expected : syscalls)
            {
                if (number.equals(Integer.toString(expected)))
                {
                    return;
                }
            }
            Thread.yield();
        }
        throw new AssertionError("thread " + tid + " did not block in system call " +
            java.util.Arrays.toString(syscalls) + " within " + timeoutMillis + " ms; last seen: " + last);
    }
}
