package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;
import ipc.api.IpcTimeoutException;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.codec.FrameDescriptor;
import ipc.shared.codec.RejectReason;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.ReceivedHandles;
import ipc.shared.spi.Selectable;

/**
 * What a client may cost before it is admitted: the cap on handshakes in progress, the listener's back-off after a
 * failed accept, the expiry of silent handshakes, and a STATS request answered without a segment (or refused for its
 * uid), with the operating system played by fakes.
 */
class HandshakeAdmissionTest
{
    private static final long MS = 1_000_000L;
    private static final IpcServerStats SERVER_STATS = new IpcServerStats(7, 8, 9,
        new IpcStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));

    private final FakeMultiplexer multiplexer = new FakeMultiplexer();
    private final FakeListener listener = new FakeListener();
    private final List<IpcException> rejected = new ArrayList<>();
    private final List<SharedChannel> admitted = new ArrayList<>();
    private final HandshakeAdmission admission = new HandshakeAdmission("test", new StubPlatform(), listener,
        IpcOptions.builder().connectTimeout(Duration.ofMillis(200)).build(), multiplexer, () -> 0, true,
        new HandshakeAdmission.Sink()
        {
            @Override
            public void admitted(final long id, final SharedChannel channel)
            {
                admitted.add(channel);
            }

            @Override
            public void rejected(final IpcException cause)
            {
                rejected.add(cause);
            }

            @Override
            public IpcServerStats stats()
            {
                return SERVER_STATS;
            }
        });

    @Test
    void shouldStopWatchingTheListenerAfterAFailedAcceptAndResumeAfterTheBackOff() throws IpcException
    {
        admission.start();
        assertTrue(multiplexer.watches(listener));
        listener.failures = 1;

        // The failed accept logs its first warning, which may take long on a loaded machine (the logger's first use):
        // the back-off starts somewhere between before and after.
        final long before = System.nanoTime();
        admission.onReady(HandshakeAdmission.LISTENER_KEY);
        final long after = System.nanoTime();
        assertFalse(multiplexer.watches(listener), "a listener that fails (EMFILE) must not be watched: it spins");
        final long wait = admission.nanosToNextDeadline(before);
        assertTrue(wait >= HandshakeAdmission.ACCEPT_BACKOFF_NANOS &&
            wait <= HandshakeAdmission.ACCEPT_BACKOFF_NANOS + (after - before), "back-off: " + wait);

        admission.doWork(before + 10 * MS);
        assertFalse(multiplexer.watches(listener), "resumed before the back-off ended");
        admission.doWork(after + HandshakeAdmission.ACCEPT_BACKOFF_NANOS + MS);
        assertTrue(multiplexer.watches(listener), "not resumed after the back-off");
    }

    @Test
    void shouldCapHandshakesInProgressAndResumeWhenTheyExpire() throws IpcException
    {
        admission.start();
        listener.pending = 1_000;
        for (int turn = 0; turn < 10 && multiplexer.watches(listener); turn++)
        {
            admission.onReady(HandshakeAdmission.LISTENER_KEY);
        }
        assertEquals(HandshakeAdmission.MAX_PENDING_HANDSHAKES, admission.pendingCount());
        assertEquals(HandshakeAdmission.MAX_PENDING_HANDSHAKES, listener.accepted, "accepted beyond the cap");
        assertFalse(multiplexer.watches(listener), "the listener is watched while the cap is reached");

        // Silent clients: all of them expire after the connect timeout, and the listener is watched again.
        final long later = System.nanoTime() + 250 * MS;
        admission.doWork(later);
        assertEquals(0, admission.pendingCount());
        assertEquals(HandshakeAdmission.MAX_PENDING_HANDSHAKES, rejected.size());
        assertTrue(rejected.stream().allMatch(IpcTimeoutException.class::isInstance), rejected.toString());
        assertTrue(multiplexer.watches(listener));
        assertEquals(1, multiplexer.registered.size(), "handshakes still watched: " + multiplexer.registered);
        assertEquals(HandshakeAdmission.MAX_PENDING_HANDSHAKES, listener.closedChannels, "channels left open");
        assertTrue(admitted.isEmpty());
    }

    @Test
    void shouldAnswerAStatsRequestWithTheServersCountersAndCreateNothing() throws IpcException
    {
        admission.start();
        listener.pending = 1;
        listener.statsFromUid = 1000;
        admission.onReady(HandshakeAdmission.LISTENER_KEY);

        // StubPlatform.createConnection throws: a segment would have failed the request.
        assertEquals(List.of(new Frame.StatsReply(FrameDescriptor.PROTOCOL_MAJOR, FrameDescriptor.PROTOCOL_MINOR,
            SERVER_STATS)), listener.sent);
        assertEquals(0, admission.pendingCount());
        assertEquals(1, listener.closedChannels, "the request's channel is closed after the reply");
        assertEquals(Set.of(listener), multiplexer.registered, "still watched: " + multiplexer.registered);
        assertTrue(rejected.isEmpty(), rejected.toString());
        assertTrue(admitted.isEmpty());
    }

    @Test
    void shouldRefuseAStatsRequestFromAUidThatIsNotAllowed() throws IpcException
    {
        admission.start();
        listener.pending = 1;
        listener.statsFromUid = 2000;
        admission.onReady(HandshakeAdmission.LISTENER_KEY);

        assertEquals(1, listener.sent.size(), listener.sent.toString());
        assertInstanceOf(Frame.Reject.class, listener.sent.get(0));
        assertEquals(RejectReason.ACCESS_DENIED, ((Frame.Reject)listener.sent.get(0)).reason());
        assertEquals(1, rejected.size());
        assertInstanceOf(IpcAccessDeniedException.class, rejected.get(0));
        assertEquals(1, listener.closedChannels);
        assertEquals(0, admission.pendingCount());
    }

    @Test
    void shouldRejectAClientThePlatformCannotIdentifyWithAReasonBeforeClosingIt() throws IpcException
    {
        // Windows refuses a client of another user SID in ControlChannel.peer(); the client must read why (REJECT
        // ACCESS_DENIED, as a Linux client of a refused uid does), not a bare end of stream.
        admission.start();
        listener.pending = 1;
        listener.unidentified = true;
        admission.onReady(HandshakeAdmission.LISTENER_KEY);

        assertEquals(1, listener.sent.size(), "frames sent: " + listener.sent);
        assertInstanceOf(Frame.Reject.class, listener.sent.get(0));
        final Frame.Reject reject = (Frame.Reject)listener.sent.get(0);
        assertEquals(RejectReason.ACCESS_DENIED, reject.reason());
        assertTrue(reject.text().contains("another user"), reject.text());
        assertEquals(1, rejected.size());
        assertInstanceOf(IpcAccessDeniedException.class, rejected.get(0));
        assertEquals(1, listener.closedChannels);
        assertEquals(0, admission.pendingCount());
        assertTrue(admitted.isEmpty());
    }

    // ---------------------------------------------------------------- fakes

    private static final class FakeMultiplexer implements Multiplexer
    {
        final Set<Selectable> registered = new HashSet<>();

        boolean watches(final Selectable selectable)
        {
            return registered.contains(selectable);
        }

        @Override
        public void register(final Selectable selectable, final long key)
        {
            assertTrue(registered.add(selectable), "registered twice: " + selectable);
        }

        @Override
        public void unregister(final Selectable selectable)
        {
            registered.remove(selectable);
        }

        @Override
        public int select(final long timeoutNanos, final ReadyHandler handler)
        {
            return 0;
        }

        @Override
        public void wakeup()
        {
        }

        @Override
        public void close()
        {
        }
    }

    private static final class FakeListener implements ControlListener
    {
        int failures;
        int pending;
        int accepted;
        int closedChannels;
        /** When not 0: clients of this uid that send STATS at once. */
        long statsFromUid;
        /** Clients whose identity the platform refuses ({@link ControlChannel#peer()} throws), as Windows does. */
        boolean unidentified;
        /** Frames the server sent to STATS clients. */
        final List<Frame> sent = new ArrayList<>();

        @Override
        public ControlChannel accept() throws IpcException
        {
            if (failures > 0)
            {
                failures--;
                throw new IpcException("accept4 failed: errno=24 (Too many open files)");
            }
            if (pending == 0)
            {
                return null;
            }
            pending--;
            accepted++;
            if (unidentified)
            {
                return new StatsChannel(this, -1);
            }
            return statsFromUid != 0 ? new StatsChannel(this, statsFromUid) : new SilentChannel(this);
        }

        @Override
        public boolean awaitPending(final long timeoutNanos)
        {
            return pending > 0;
        }

        @Override
        public String address()
        {
            return "fake";
        }

        @Override
        public long selectHandle()
        {
            return 0;
        }

        @Override
        public void close()
        {
        }
    }

    /** A client that connects and never says a word. */
    private static final class SilentChannel extends NoControl
    {
        private final FakeListener listener;
        private boolean closed;

        SilentChannel(final FakeListener listener)
        {
            super(new IpcPeer(1, 1000));
            this.listener = listener;
        }

        @Override
        public long selectHandle()
        {
            return System.identityHashCode(this);
        }

        @Override
        public void close()
        {
            if (!closed)
            {
                closed = true;
                listener.closedChannels++;
            }
        }
    }

    /** A client of a given uid that sends STATS as soon as it is read, and records what the server answers. */
    private static final class StatsChannel implements ControlChannel
    {
        private final FakeListener listener;
        private final long uid;
        private boolean requested;
        private boolean closed;

        StatsChannel(final FakeListener listener, final long uid)
        {
            this.listener = listener;
            this.uid = uid;
        }

        @Override
        public void send(final ByteBuffer frame, final long[] handles) throws IpcException
        {
            assertEquals(0, handles.length, "handles sent to a STATS client");
            listener.sent.add(FrameCodec.decode(frame.order(ByteOrder.LITTLE_ENDIAN)));
        }

        @Override
        public int receive(final ByteBuffer dst, final ReceivedHandles handles)
        {
            if (requested)
            {
                return 0;
            }
            requested = true;
            final int start = dst.position();
            FrameCodec.encode(new Frame.Stats(FrameDescriptor.PROTOCOL_MAJOR, FrameDescriptor.PROTOCOL_MINOR), dst);
            return dst.position() - start;
        }

        @Override
        public boolean awaitReadable(final long timeoutNanos)
        {
            return !requested;
        }

        @Override
        public IpcPeer peer() throws IpcException
        {
            if (uid < 0)
            {
                throw new IpcAccessDeniedException("client runs as another user: clientSid=S-1-5-18 pid=2");
            }
            return new IpcPeer(2, uid);
        }

        @Override
        public long selectHandle()
        {
            return System.identityHashCode(this);
        }

        @Override
        public void close()
        {
            if (!closed)
            {
                closed = true;
                listener.closedChannels++;
            }
        }
    }
}
