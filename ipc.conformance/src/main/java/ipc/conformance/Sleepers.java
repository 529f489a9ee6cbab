package ipc.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets a test wait until a thread is really blocked (asleep in the kernel), instead of sleeping and hoping. A thread
 * blocked in a native call through JNA reads as {@code RUNNABLE} to Java, so its Java state says nothing. On Linux
 * the kernel's own state of the thread is read from {@code /proc} (state {@code S}, as inside {@code futex_wait},
 * {@code poll} or {@code epoll_wait}); elsewhere a thread whose CPU time stops growing over many checks is taken as
 * asleep (weaker, but it cannot mistake a spinning thread for a sleeping one). Either way the thread must also be
 * inside a wake signal's {@code await} (a class implementing the platform SPI's {@code WakeSignal}), so
 * that a thread asleep for another reason (a lock, a class being loaded) does not count.
 */
public final class Sleepers
{
    /** Checks in a row that must see no CPU time spent, where there is no {@code /proc}. */
    private static final int IDLE_CHECKS = 50;
    private static final boolean PROC = Files.isSymbolicLink(Path.of("/proc/thread-self"));
    /** The platform SPI's wake signal, every backend's blocking primitive. */
    private static final String WAKE_SIGNAL = "ipc.shared.spi.WakeSignal";
    private static final java.util.Map<String, Boolean> WAKE_SIGNALS = new java.util.concurrent.ConcurrentHashMap<>();

    private Sleepers()
    {
    }

    /** A sleeper to watch: made by the thread itself, before it blocks. */
    public static final class Sleeper
    {
        private final Thread thread;
        private final int tid;

        private Sleeper(final Thread thread, final int tid)
        {
            this.thread = thread;
            this.tid = tid;
        }
    }

    /** The calling thread, as a thread to watch: call it on the thread that will block. */
    public static Sleeper self()
    {
        int tid = -1;
        if (PROC)
        {
            try
            {
                // "/proc/thread-self" links to "<pid>/task/<tid>".
                tid = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return new Sleeper(Thread.currentThread(), tid);
    }

    /**
     * Waits until the thread is asleep.
     *
     * @throws AssertionError if it is not within the timeout.
     */
    public static void awaitSleeping(final Sleeper sleeper, final long timeoutMillis)
    {
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long lastCpu = -2;
        int idle = 0;
        while (System.nanoTime() - deadline < 0)
        {
            if (!sleeper.thread.isAlive())
            {
                throw new AssertionError("thread " + sleeper.thread.getName() + " ended instead of blocking");
            }
            if (sleeper.tid >= 0)
            {
                if ('S' == kernelState(sleeper.tid) && inWakeSignalAwait(sleeper.thread))
                {
                    return;
                }
            }
            else
            {
                final long cpu = threads.getThreadCpuTime(sleeper.thread.getId());
                idle = cpu == lastCpu && inWakeSignalAwait(sleeper.thread) ? idle + 1 : 0;
                lastCpu = cpu;
                if (idle >= IDLE_CHECKS)
                {
                    return;
                }
            }
            Thread.yield();
        }
        throw new AssertionError("thread " + sleeper.thread.getName() + " (tid " + sleeper.tid +
            ") did not block in a wake signal within " + timeoutMillis + " ms");
    }

    private static boolean inWakeSignalAwait(final Thread thread)
    {
        for (final StackTraceElement frame : thread.getStackTrace())
        {
            if ("await".equals(frame.getMethodName()) && isWakeSignal(frame.getClassName()))
            {
                return true;
            }
        }
        return false;
    }

    /** Whether a class implements the platform SPI's wake signal (named, since the suite sees only the API). */
    private static boolean isWakeSignal(final String className)
    {
        return WAKE_SIGNALS.computeIfAbsent(className, name ->
        {
            try
            {
                return implementsWakeSignal(Class.forName(name, false, Sleepers.class.getClassLoader()));
            }
            catch (final ClassNotFoundException | LinkageError ex)
            {
                return false;
            }
        });
    }

    private static boolean implementsWakeSignal(final Class<?> type)
    {
        if (null == type)
        {
            return false;
        }
        for (final Class<?> implemented : type.getInterfaces())
        {
            if (WAKE_SIGNAL.equals(implemented.getName()) || implementsWakeSignal(implemented))
            {
                return true;
            }
        }
        return implementsWakeSignal(type.getSuperclass());
    }

    /**
     * Waits until one of the threads is asleep (for example whichever of two senders got the send lock).
     *
     * @return the one found asleep.
     * @throws AssertionError if none is within the timeout.
     */
    public static Sleeper awaitAnySleeping(final long timeoutMillis, final Sleeper... sleepers)
    {
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true)
        {
            for (final Sleeper sleeper : sleepers)
            {
                try
                {
                    awaitSleeping(sleeper, 1);
                    return sleeper;
                }
                catch (final AssertionError notYet)
                {
                    // Try the next one.
                }
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("none of " + sleepers.length + " threads blocked within " + timeoutMillis +
                    " ms");
            }
        }
    }

    /** The kernel's state letter of a thread of this process. */
    private static char kernelState(final int tid)
    {
        try
        {
            final String line = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            // The state follows the parenthesised command name, which may itself contain spaces.
            return line.charAt(line.lastIndexOf(')') + 2);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
