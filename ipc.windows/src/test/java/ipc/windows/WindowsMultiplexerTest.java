package ipc.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ipc.api.IpcException;
import ipc.shared.spi.Selectable;
import ipc.windows.os.Timeouts;

/**
 * The SPI's level-triggered readiness on top of completion packets, with a port played in Java: packets only say
 * where to look, the operation's state says whether it is ready.
 */
class WindowsMultiplexerTest
{
    /** A selectable whose operation is complete ({@code ready}) until its owner consumes it. */
    private static final class FakeSelectable implements PortSelectable
    {
        final long handle;
        final long overlapped;
        boolean ready;
        boolean hungUp;
        WindowsMultiplexer attached;

        FakeSelectable(final long handle)
        {
            this.handle = handle;
            this.overlapped = 0x10000 + handle * 64;
        }

        @Override
        public long selectHandle()
        {
            return handle;
        }

        @Override
        public void attach(final WindowsMultiplexer multiplexer) throws IpcException
        {
            multiplexer.associate(handle);
            attached = multiplexer;
        }

        @Override
        public void detach()
        {
            attached = null;
        }

        @Override
        public long overlapped()
        {
            return overlapped;
        }

        @Override
        public boolean isReady()
        {
            return ready;
        }

        @Override
        public boolean isHungUp()
        {
            return hungUp;
        }

        /** The kernel completes the operation and queues its packet. */
        void complete(final FakeCompletionPort port)
        {
            ready = true;
            port.post(overlapped);
        }
    }

    private final FakeCompletionPort port = new FakeCompletionPort();
    private final WindowsMultiplexer multiplexer = new WindowsMultiplexer(port);
    private final List<Long> keys = new ArrayList<>();
    private final List<Boolean> hangUps = new ArrayList<>();

    private int select(final long timeoutNanos) throws IpcException
    {
        keys.clear();
        hangUps.clear();
        return multiplexer.select(timeoutNanos, (key, hangUp) ->
        {
            keys.add(key);
            hangUps.add(hangUp);
        });
    }

    @Test
    void shouldReportACompletedOperation() throws IpcException
    {
        final FakeSelectable pipe = new FakeSelectable(7);
        multiplexer.register(pipe, 14);
        assertEquals(List.of(7L), port.associated);
        pipe.complete(port);
        assertEquals(1, select(-1));
        assertEquals(List.of(14L), keys);
        assertEquals(List.of(false), hangUps);
    }

    @Test
    void shouldKeepReportingUntilConsumed() throws IpcException
    {
        final FakeSelectable pipe = new FakeSelectable(7);
        multiplexer.register(pipe, 3);
        pipe.complete(port);
        assertEquals(1, select(-1));
        assertEquals(1, select(-1), "level-triggered: no new packet, still ready");
        assertEquals(0, port.waits.get(port.waits.size() - 1), "a ready selectable makes select poll, not block");
        pipe.ready = false;
        assertEquals(0, select(0));
        assertEquals(List.of(), keys);
    }

    @Test
    void shouldReportWhatWasReadyBeforeRegistration() throws IpcException
    {
        final FakeSelectable pipe = new FakeSelectable(7);
        pipe.ready = true;
        multiplexer.register(pipe, 5);
        assertEquals(1, select(-1));
        assertEquals(List.of(5L), keys);
    }

    @Test
    void shouldIgnoreStaleAndUnknownPackets() throws IpcException
    {
        final FakeSelectable pipe = new FakeSelectable(7);
        multiplexer.register(pipe, 5);
        port.post(pipe.overlapped());
        port.post(0xDEAD0);
        assertEquals(0, select(0), "a packet for a consumed operation, and one for memory nobody registered");
    }

    @Test
    void shouldReportHangUps() throws IpcException
    {
        final FakeSelectable pipe = new FakeSelectable(7);
        multiplexer.register(pipe, 9);
        pipe.hungUp = true;
        pipe.complete(port);
        select(-1);
        assertEquals(List.of(true), hangUps);
    }

    @Test
    void shouldDrainMoreThanOneBatchOfPackets() throws IpcException
    {
        final List<FakeSelectable> pipes = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            final FakeSelectable pipe = new FakeSelectable(i);
            multiplexer.register(pipe, i);
            pipe.complete(port);
            pipes.add(pipe);
        }
        assertEquals(10, select(-1));
    }

    @Test
    void shouldNotReportWhatTheHandlerUnregistered() throws IpcException
    {
        final FakeSelectable first = new FakeSelectable(1);
        final FakeSelectable second = new FakeSelectable(2);
        multiplexer.register(first, 1);
        multiplexer.register(second, 2);
        first.complete(port);
        second.complete(port);
        final List<Long> seen = new ArrayList<>();
        final int reported = multiplexer.select(-1, (key, hangUp) ->
        {
            seen.add(key);
            multiplexer.unregister(key == 1 ? second : first);
        });
        assertEquals(1, reported);
        assertEquals(1, seen.size());
        final FakeSelectable unregistered = seen.get(0) == 1 ? second : first;
        assertEquals(null, unregistered.attached, "unregister detaches");
    }

    @Test
    void shouldWakeUpWithAPacketAndNeverPostAfterClose() throws IpcException
    {
        multiplexer.wakeup();
        assertEquals(List.of(0L), List.copyOf(port.packets));
        assertEquals(0, select(-1));
        assertEquals(Timeouts.INFINITE, (int)port.waits.get(0));
        multiplexer.close();
        assertTrue(port.closed);
        multiplexer.wakeup();
        multiplexer.hint(0x1234);
        multiplexer.close();
    }

    @Test
    void shouldRefuseSelectablesOfAnotherKind()
    {
        final Selectable foreign = () -> 3;
        assertThrows(IpcException.class, () -> multiplexer.register(foreign, 1));
    }

    @Test
    void shouldDetachEverythingOnClose() throws IpcException
    {
        final FakeSelectable pipe = new FakeSelectable(7);
        multiplexer.register(pipe, 1);
        assertEquals(multiplexer, pipe.attached);
        multiplexer.close();
        assertEquals(null, pipe.attached);
    }
}
