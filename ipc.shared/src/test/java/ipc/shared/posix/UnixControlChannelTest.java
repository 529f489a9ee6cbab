package ipc.shared.posix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ipc.api.IpcPeer;
import ipc.shared.spi.ReceivedHandles;

/**
 * {@link UnixControlChannel}'s logic on fake system calls (the real ones are each backend's and run in their own
 * suites): descriptors go out with the first bytes only, a short send waits for room and goes on, a receive reports
 * "nothing yet", the end of stream and the descriptors it got, waits poll for the right event, and the socket is
 * closed once.
 */
class UnixControlChannelTest
{
    private static final int FD = 7;

    private final List<int[]> sentFds = new ArrayList<>();
    private final List<Integer> polledEvents = new ArrayList<>();
    private final List<Long> polledTimeouts = new ArrayList<>();
    private final List<Integer> closed = new ArrayList<>();
    private final List<ReceivedMessage> toReceive = new ArrayList<>();
    private int[] sendSizes = {Integer.MAX_VALUE};
    private int sends;

    private UnixControlChannel channel(final int maxReceivedFds)
    {
        return new UnixControlChannel(new UnixSocketCalls((fd, data, fds) ->
        {
            assertEquals(FD, fd);
            sentFds.add(fds);
            final int size = Math.min(data.remaining(), sendSizes[Math.min(sends++, sendSizes.length - 1)]);
            data.position(data.position() + size);
            return size;
        }, (fd, dst, fdsOut, maxFds) ->
        {
            assertTrue(maxFds <= fdsOut.length && maxFds <= maxReceivedFds, "maxFds=" + maxFds);
            final ReceivedMessage message = toReceive.remove(0);
            for (int i = 0; i < message.fdCount(); i++)
            {
                fdsOut[i] = 100 + i;
            }
            return message;
        }, maxReceivedFds, (fd, events, timeoutNanos) ->
        {
            polledEvents.add(events);
            polledTimeouts.add(timeoutNanos);
            return events;
        }, fd -> new IpcPeer(42, fd), closed::add), FD);
    }

    @Test
    void shouldSendTheDescriptorsWithTheFirstBytesOnlyAndWaitForRoom() throws Exception
    {
        sendSizes = new int[] {0, 3, 0, 10};
        final UnixControlChannel channel = channel(8);
        final ByteBuffer frame = ByteBuffer.allocate(8);
        channel.send(frame, new long[] {11, 12});
        assertFalse(frame.hasRemaining());
        assertEquals(4, sentFds.size());
        assertArrayEquals(new int[] {11, 12}, sentFds.get(0), "a full socket took nothing: descriptors again");
        assertArrayEquals(new int[] {11, 12}, sentFds.get(1));
        assertNull(sentFds.get(2), "descriptors went out with the first 3 bytes");
        assertNull(sentFds.get(3));
        assertEquals(List.of(UnixSocketCalls.POLLOUT, UnixSocketCalls.POLLOUT), polledEvents);
        assertTrue(polledTimeouts.stream().allMatch(t -> t > 0 && t <= UnixControlChannel.SEND_STALL_NANOS));
    }

    @Test
    void shouldReportNothingYetTheEndOfStreamAndTheDescriptors() throws Exception
    {
        final UnixControlChannel channel = channel(2);
        toReceive.add(new ReceivedMessage(-1, 0));
        toReceive.add(new ReceivedMessage(5, 2));
        toReceive.add(new ReceivedMessage(0, 0));
        final ReceivedHandles handles = new ReceivedHandles(null, 3);
        final ByteBuffer dst = ByteBuffer.allocate(16);
        assertEquals(0, channel.receive(dst, handles), "would block");
        assertEquals(5, channel.receive(dst, handles));
        assertEquals(-1, channel.receive(dst, handles), "end of stream");
        assertArrayEquals(new long[] {100, 101}, handles.takeAll());
    }

    @Test
    void shouldAskForNoMoreDescriptorsThanRoomOrTheBackendsBound() throws Exception
    {
        toReceive.add(new ReceivedMessage(1, 0));
        channel(1).receive(ByteBuffer.allocate(4), new ReceivedHandles(null, 5));
        toReceive.add(new ReceivedMessage(1, 0));
        channel(Integer.MAX_VALUE).receive(ByteBuffer.allocate(4), new ReceivedHandles(null, 0));
    }

    @Test
    void shouldWaitForDataWithoutANegativeTimeoutAndCloseOnce() throws Exception
    {
        final UnixControlChannel channel = channel(1);
        assertTrue(channel.awaitReadable(-5));
        assertEquals(List.of(UnixSocketCalls.POLLIN), polledEvents);
        assertEquals(List.of(0L), polledTimeouts);
        assertEquals(new IpcPeer(42, FD), channel.peer());
        assertEquals(FD, channel.selectHandle());
        channel.close();
        channel.close();
        assertEquals(List.of(FD), closed);
    }
}
