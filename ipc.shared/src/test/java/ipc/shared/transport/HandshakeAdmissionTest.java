package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.api.IpcPlatform;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;
import ipc.api.IpcTimeoutException;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;
import ipc.shared.spi.Selectable;

/**
 * What a client may cost before it is admitted: the cap on handshakes in progress, the listener's back-off after a
 * failed accept, and the expiry of silent handshakes, with the operating system played by fakes.
 */
class HandshakeAdmissionTest
{
    private static final long MS = 1_000_000L;

    private final FakeMultiplexer multiplexer = new FakeMultiplexer();
    private final FakeListener listener = new FakeListener();
    private final List<IpcException> rejected = new ArrayList<>();
    private final List<SharedChannel> admitted = new ArrayList<>();
    private final HandshakeAdmission admission = new HandshakeAdmission("test", new FakePlatform(), listener,
        IpcOptions.builder().connectTimeout(Duration.ofMillis(200)).build(), multiplexer, () -> 0,
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
                return new IpcServerStats(0, 0, 0, IpcStats.ZERO);
            }
        });

    @Test
    void shouldStopWatchingTheListenerAfterAFailedAcceptAndResumeAfterTheBackOff() throws IpcException
    {
        admission.start();
        assertTrue(multiplexer.watches(listener));
        listener.failures = 1;

        admission.onReady(HandshakeAdmission.LISTENER_KEY);
        assertFalse(multiplexer.watches(listener), "a listener that fails (EMFILE) must not be watched: it spins");
        final long now = System.nanoTime();
        final long wait = admission.nanosToNextDeadline(now);
        assertTrue(wait > 50 * MS && wait <= HandshakeAdmission.ACCEPT_BACKOFF_NANOS, "back-off: " + wait);

        admission.doWork(now + 10 * MS);
        assertFalse(multiplexer.watches(listener), "resumed before the back-off ended");
        admission.doWork(now + HandshakeAdmission.ACCEPT_BACKOFF_NANOS + MS);
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
            return new SilentChannel(this);
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
    private static final class SilentChannel implements ControlChannel
    {
        private final FakeListener listener;
        private boolean closed;

        SilentChannel(final FakeListener listener)
        {
            this.listener = listener;
        }

        @Override
        public void send(final ByteBuffer frame, final long[] handles)
        {
        }

        @Override
        public int receive(final ByteBuffer dst, final ReceivedHandles handles)
        {
            return 0;
        }

        @Override
        public boolean awaitReadable(final long timeoutNanos)
        {
            return false;
        }

        @Override
        public IpcPeer peer()
        {
            return new IpcPeer(1, 1000);
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

    private static final class FakePlatform implements Platform
    {
        @Override
        public IpcPlatform platform()
        {
            return IpcPlatform.LINUX;
        }

        @Override
        public long pid()
        {
            return 1;
        }

        @Override
        public long uid()
        {
            return 1000;
        }

        @Override
        public ControlListener listen(final String name, final IpcOptions options)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public ControlChannel connect(final String name, final long timeoutNanos)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public ConnectionResources createConnection(final SegmentLayout layout, final ControlChannel client)
        {
            throw new UnsupportedOperationException("a silent client never gets a segment");
        }

        @Override
        public ConnectionResources attachConnection(final SegmentLayout layout, final ReceivedHandles handles)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Multiplexer newMultiplexer()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public int handlesPerConnection()
        {
            return 2;
        }

        @Override
        public void closeHandle(final long handle)
        {
        }
    }
}
