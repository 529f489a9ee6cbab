package ipc.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ipc.api.IpcPeerClosedException;
import ipc.macos.os.UnixSocket;

/**
 * The logic of {@link DoorbellSignal} on a fake of its system calls (the real ones need a Mac): a local wake-up of a
 * waiter's end reaches a thread blocked in {@code await} through the private pair, whether it comes before the pair
 * exists, between two awaits or while the thread polls; it wins over the peer's close; the pair is created only by a
 * waiter and closed once; a waker's end rings the peer and nothing else.
 */
class DoorbellSignalTest
{
    private static final int DOORBELL = 10;
    private static final long ONE_SECOND = 1_000_000_000L;

    private final FakeCalls calls = new FakeCalls();

    @Test
    void shouldReturnAtOnceFromAnAwaitThatAWakeBeforeThePairPreceded() throws Exception
    {
        final DoorbellSignal signal = new DoorbellSignal(calls, DOORBELL, -1);
        signal.wake();
        assertTrue(calls.rings.isEmpty(), "no pair yet, so nothing to ring: " + calls.rings);
        signal.await(ONE_SECOND);
        assertEquals(0, calls.polls, "the pending wake-up ends the await before it polls");
        // Consumed: the next await polls (and times out on the fake).
        signal.await(ONE_SECOND);
        assertEquals(1, calls.polls);
    }

    @Test
    void shouldWakeAnAwaitThroughThePrivatePairWithoutRingingThePeer() throws Exception
    {
        final DoorbellSignal signal = new DoorbellSignal(calls, DOORBELL, -1);
        signal.await(ONE_SECOND);
        final int[] pair = calls.pairs.get(0);
        signal.wake();
        assertEquals(List.of(pair[1]), calls.rings, "the pair's ringing end, never the doorbell");
        final int polls = calls.polls;
        signal.await(ONE_SECOND);
        assertEquals(polls, calls.polls, "the pending flag ends the next await before it polls");
        // The ring itself is left for a later await, which it ends once (spuriously: the caller re-checks).
        signal.await(ONE_SECOND);
        assertEquals(UnixSocket.SECOND_READY, calls.lastPollSaw);
        assertEquals(List.of(pair[0]), calls.drained, "the local ring is consumed");
        assertEquals(0, calls.pending(pair[0]));
        assertEquals(1, calls.pairs.size(), "one pair for the signal's life");
    }

    @Test
    void shouldSeeAWakeThatComesWhileTheThreadPolls() throws Exception
    {
        final DoorbellSignal signal = new DoorbellSignal(calls, DOORBELL, -1);
        calls.duringPoll = signal::wake;
        signal.await(ONE_SECOND);
        assertEquals(1, calls.polls);
        assertEquals(UnixSocket.SECOND_READY, calls.lastPollSaw, "the wake made the pair readable");
        assertEquals(0, calls.pending(calls.pairs.get(0)[0]), "and the await consumed it");
        calls.duringPoll = null;
        signal.await(ONE_SECOND);
        assertEquals(2, calls.polls, "nothing left pending: the next await polls again");
        assertEquals(0, calls.lastPollSaw);
    }

    @Test
    void shouldEndAnAwaitWithoutAnExceptionWhenALocalWakeAndThePeersCloseCoincide() throws Exception
    {
        final DoorbellSignal signal = new DoorbellSignal(calls, DOORBELL, -1);
        calls.peerClosed.add(DOORBELL);
        calls.duringPoll = signal::wake;
        signal.await(ONE_SECOND);
        assertEquals(UnixSocket.FIRST_READY | UnixSocket.SECOND_READY, calls.lastPollSaw);
        calls.duringPoll = null;
        // The close is reported once nothing local ends the wait.
        assertThrows(IpcPeerClosedException.class, () -> signal.await(ONE_SECOND));
        assertFalse(signal.drain());
    }

    @Test
    void shouldReportThePeersCloseAfterTheRingsThatCameBeforeIt() throws Exception
    {
        final DoorbellSignal signal = new DoorbellSignal(calls, DOORBELL, -1);
        calls.ringFromPeer(DOORBELL);
        calls.peerClosed.add(DOORBELL);
        calls.rangBeforeClose = true;
        signal.await(ONE_SECOND);
        assertThrows(IpcPeerClosedException.class, () -> signal.await(ONE_SECOND));
        final int polls = calls.polls;
        assertThrows(IpcPeerClosedException.class, () -> signal.await(ONE_SECOND));
        assertEquals(polls, calls.polls, "a known close is reported without polling a doorbell ready forever");
    }

    @Test
    void shouldCloseThePairOnceAndIgnoreWakesAndAwaitsAfterIt() throws Exception
    {
        final DoorbellSignal signal = new DoorbellSignal(calls, DOORBELL, -1);
        signal.await(ONE_SECOND);
        final int[] pair = calls.pairs.get(0);
        signal.close();
        signal.close();
        assertEquals(List.of(pair[0], pair[1]), calls.closed);
        signal.wake();
        assertTrue(calls.rings.isEmpty(), "no ring into a closed pair: " + calls.rings);
        final int polls = calls.polls;
        signal.await(ONE_SECOND);
        assertEquals(polls, calls.polls);
        assertEquals(1, calls.pairs.size(), "no pair is made after close");
    }

    @Test
    void shouldSpendNoDescriptorOnADoorbellThatIsOnlyWatchedAndDrained() throws Exception
    {
        final DoorbellSignal signal = new DoorbellSignal(calls, DOORBELL, -1);
        assertSame(signal, signal.selectable());
        assertEquals(DOORBELL, signal.selectHandle());
        calls.ringFromPeer(DOORBELL);
        assertTrue(signal.drain());
        signal.wake();
        signal.close();
        assertTrue(calls.pairs.isEmpty(), "the dispatcher never awaits, so no pair: " + calls.pairs);
        assertTrue(calls.closed.isEmpty());
    }

    @Test
    void shouldRingThePeerFromAWakersEndAndNeverWait() throws Exception
    {
        final DoorbellSignal signal = new DoorbellSignal(calls, -1, DOORBELL);
        assertNull(signal.selectable());
        signal.wake();
        assertEquals(List.of(DOORBELL), calls.rings);
        signal.await(ONE_SECOND);
        assertEquals(0, calls.polls);
        assertTrue(calls.pairs.isEmpty());
        assertTrue(signal.drain());
    }

    @Test
    void shouldNotPollForAZeroTimeout() throws Exception
    {
        final DoorbellSignal signal = new DoorbellSignal(calls, DOORBELL, -1);
        signal.await(0);
        assertEquals(0, calls.polls);
        assertTrue(calls.pairs.isEmpty());
    }

    /**
     * Descriptors as counters of pending bytes; a poll never blocks: it reports what is pending (a timeout if
     * nothing is), after running {@link #duringPoll} as a wake-up that lands while the thread is in the kernel.
     */
    private static final class FakeCalls implements DoorbellSystemCalls
    {
        final Map<Integer, Integer> bytes = new HashMap<>();
        final Set<Integer> peerClosed = new HashSet<>();
        final List<int[]> pairs = new ArrayList<>();
        final List<Integer> rings = new ArrayList<>();
        final List<Integer> drained = new ArrayList<>();
        final List<Integer> closed = new ArrayList<>();
        Runnable duringPoll;
        boolean rangBeforeClose;
        int polls;
        int lastPollSaw;
        private int nextFd = 100;

        int pending(final int fd)
        {
            return bytes.getOrDefault(fd, 0);
        }

        void ringFromPeer(final int fd)
        {
            bytes.merge(fd, 1, Integer::sum);
        }

        private boolean readable(final int fd)
        {
            return pending(fd) > 0 || peerClosed.contains(fd);
        }

        @Override
        public int pollEither(final int first, final int second, final int timeoutMillis)
        {
            assertTrue(timeoutMillis > 0, "a positive timeout: " + timeoutMillis);
            polls++;
            if (null != duringPoll)
            {
                duringPoll.run();
            }
            lastPollSaw = (readable(first) ? UnixSocket.FIRST_READY : 0) |
                (readable(second) ? UnixSocket.SECOND_READY : 0);
            return lastPollSaw;
        }

        @Override
        public boolean drainRings(final int fd)
        {
            if (fd != DOORBELL)
            {
                drained.add(fd);
            }
            final boolean hadBytes = pending(fd) > 0;
            bytes.remove(fd);
            return !peerClosed.contains(fd) || hadBytes && rangBeforeClose;
        }

        @Override
        public boolean ring(final int fd)
        {
            rings.add(fd);
            bytes.merge(pairEnd(fd), 1, Integer::sum);
            return true;
        }

        /** The end of the same pair that a ring on {@code fd} makes readable. */
        private int pairEnd(final int fd)
        {
            for (final int[] pair : pairs)
            {
                if (pair[1] == fd)
                {
                    return pair[0];
                }
            }
            return -fd;
        }

        @Override
        public int[] socketPair()
        {
            final int[] pair = {nextFd++, nextFd++};
            pairs.add(pair);
            return pair;
        }

        @Override
        public void closeQuietly(final int fd)
        {
            closed.add(fd);
        }
    }
}
