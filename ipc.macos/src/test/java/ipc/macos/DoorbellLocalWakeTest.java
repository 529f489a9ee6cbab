package ipc.macos;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcPeerClosedException;
import ipc.conformance.Sleepers;
import ipc.conformance.WakeBound;
import ipc.macos.os.Posix;
import ipc.macos.os.UnixSocket;

/**
 * {@link DoorbellSignal}'s local wake-up against the real kernel: a thread asleep in {@code poll} on a waiter's end
 * (for a minute, far beyond the bound) is woken by {@code wake()} from this process, and the peer's close still ends
 * an await that nothing local ends. Needs a Mac (the CI workflow's macOS job); never run on the Linux machines this
 * was written on ({@link DoorbellSignalTest} checks the same logic on a fake there).
 */
@EnabledOnOs(OS.MAC)
class DoorbellLocalWakeTest
{
    private static final long ONE_MINUTE = 60_000_000_000L;

    @Test
    void shouldWakeAThreadAsleepOnAWaitersEndFromThisProcess() throws Exception
    {
        final int[] ends = UnixSocket.socketPair();
        final DoorbellSignal signal = new DoorbellSignal(ends[0], -1);
        try
        {
            final AtomicReference<Throwable> outcome = new AtomicReference<>();
            final AtomicReference<Sleepers.Sleeper> sleeper = new AtomicReference<>();
            final CountDownLatch started = new CountDownLatch(1);
            final Thread waiter = new Thread(() ->
            {
                sleeper.set(Sleepers.self());
                started.countDown();
                try
                {
                    signal.await(ONE_MINUTE);
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
            }, "doorbell-local-wake");
            waiter.start();
            assertTrue(started.await(WakeBound.VALUE.toMillis(), TimeUnit.MILLISECONDS));
            Sleepers.awaitSleeping(sleeper.get(), WakeBound.VALUE.toMillis());
            signal.wake();
            waiter.join(WakeBound.VALUE.toMillis());
            assertFalse(waiter.isAlive(), "a local wake-up must end the await at once");
            assertNull(outcome.get());
        }
        finally
        {
            signal.close();
            Posix.closeQuietly(ends[0]);
            Posix.closeQuietly(ends[1]);
        }
    }

    @Test
    void shouldStillReportThePeersClose() throws Exception
    {
        final int[] ends = UnixSocket.socketPair();
        final DoorbellSignal signal = new DoorbellSignal(ends[0], -1);
        try
        {
            Posix.closeQuietly(ends[1]);
            assertThrows(IpcPeerClosedException.class, () -> signal.await(ONE_MINUTE));
        }
        finally
        {
            signal.close();
            Posix.closeQuietly(ends[0]);
        }
    }
}
