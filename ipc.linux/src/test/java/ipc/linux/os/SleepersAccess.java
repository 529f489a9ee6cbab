package ipc.linux.os;

import java.io.IOException;

/** {@link Sleepers} for the tests of package {@code ipc.linux}. */
public final class SleepersAccess
{
    private SleepersAccess()
    {
    }

    /** Waits until a thread of this process is blocked in {@code futex(2)}. */
    public static void awaitBlockedInFutex(final int tid, final long timeoutMillis) throws IOException
    {
        Sleepers.awaitBlockedIn(tid, Sleepers.futexSyscalls(), timeoutMillis);
    }

    /** Waits until a thread of this process is blocked in {@code futex_waitv(2)}. */
    public static void awaitBlockedInFutexWaitv(final int tid, final long timeoutMillis) throws IOException
    {
        Sleepers.awaitBlockedIn(tid, Sleepers.futexWaitvSyscalls(), timeoutMillis);
    }

    /** Waits until a thread of this process is blocked in {@code poll(2)} or {@code ppoll(2)}. */
    public static void awaitBlockedInPoll(final int tid, final long timeoutMillis) throws IOException
    {
        Sleepers.awaitBlockedIn(tid, Sleepers.pollSyscalls(), timeoutMillis);
    }

    /** The calling thread's id. */
    public static int currentTid() throws IOException
    {
        return Sleepers.currentTid();
    }
}
