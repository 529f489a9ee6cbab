package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ipc.api.IpcPeer;
import ipc.api.IpcTimeoutException;
import ipc.shared.codec.Frame;
import ipc.shared.codec.FrameCodec;
import ipc.shared.spi.ReceivedHandles;

/**
 * Waiting for a handshake frame: a wait that a signal ends early ({@code poll} returns {@code EINTR}; a profiler's
 * timer signals do this hundreds of times a second) is not a timeout. Before the fix, the first early return failed
 * the handshake with "handshake timed out" long before its deadline (seen under async-profiler's wall-clock mode).
 */
class FrameReaderTest
{
    @Test
    void shouldKeepWaitingWhenTheWaitEndsEarlyBeforeTheDeadline() throws Exception
    {
        final InterruptedChannel channel = new InterruptedChannel(3);
        try (FrameReader frames = new FrameReader(null, channel, 0))
        {
            final Frame frame = frames.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(30), "READY");
            assertInstanceOf(Frame.Ready.class, frame);
        }
        assertEquals(4, channel.waits, "three interrupted waits, then the one that saw the frame");
    }

    @Test
    void shouldTimeOutAtTheDeadline()
    {
        final InterruptedChannel channel = new InterruptedChannel(Integer.MAX_VALUE);
        try (FrameReader frames = new FrameReader(null, channel, 0))
        {
            assertThrows(IpcTimeoutException.class,
                () -> frames.await(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20), "READY"));
        }
    }

    /** A channel whose first waits all return at once, as {@code poll} does when a signal interrupts it. */
    private static final class InterruptedChannel extends NoControl
    {
        private final int interruptedWaits;
        private int waits;

        InterruptedChannel(final int interruptedWaits)
        {
            super(new IpcPeer(1, 1000));
            this.interruptedWaits = interruptedWaits;
        }

        @Override
        public int receive(final ByteBuffer dst, final ReceivedHandles handles)
        {
            if (waits <= interruptedWaits)
            {
                return 0;
            }
            final int start = dst.position();
            FrameCodec.encode(new Frame.Ready(), dst);
            return dst.position() - start;
        }

        @Override
        public boolean awaitReadable(final long timeoutNanos)
        {
            waits++;
            if (waits <= interruptedWaits)
            {
                // Interrupted: nothing readable yet; a short real pause so the deadline can pass in the other test.
                Thread.onSpinWait();
                return false;
            }
            return true;
        }

        @Override
        public long selectHandle()
        {
            return 1;
        }
    }
}
