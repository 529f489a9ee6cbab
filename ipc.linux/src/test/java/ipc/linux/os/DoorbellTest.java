package ipc.linux.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Poll;
import ipc.linux.jna.Socket;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class DoorbellTest
{
    @Test
    void shouldBeReadableWhileRungAndQuietWhenDrained() throws Exception
    {
        final long before = FdCount.open();
        final int[] ends = Doorbell.create();
        try
        {
            assertTrue(Posix.fstat(ends[Doorbell.READER]).isSocket() && Posix.fstat(ends[Doorbell.RINGER]).isSocket());
            assertEquals(0, Posix.poll(ends[Doorbell.READER], Poll.POLLIN, 0));
            assertEquals(0, Doorbell.drain(ends[Doorbell.READER]), "nothing to drain is not an error");
            assertTrue(Doorbell.ring(ends[Doorbell.RINGER]));
            assertTrue(Doorbell.ring(ends[Doorbell.RINGER]));
            assertEquals(Poll.POLLIN, Posix.poll(ends[Doorbell.READER], Poll.POLLIN, 1000));
            assertEquals(2, Doorbell.drain(ends[Doorbell.READER]));
            assertEquals(0, Posix.poll(ends[Doorbell.READER], Poll.POLLIN, 0));
        }
        finally
        {
            Posix.close(ends[Doorbell.READER]);
            Posix.close(ends[Doorbell.RINGER]);
        }
        assertTrue(FdCount.open() <= before, "descriptors leaked");
    }

    @Test
    void shouldDrainAFloodAtMostOneKibibytePerCall() throws Exception
    {
        final int[] ends = Doorbell.create();
        try
        {
            final ByteBuffer chunk = ByteBuffer.allocateDirect(4096);
            long flooded = 0;
            long sent;
            while ((sent = LibC.send(ends[Doorbell.RINGER], SharedMemory.address(chunk), chunk.capacity(),
                Socket.MSG_DONTWAIT)) > 0)
            {
                flooded += sent;
            }
            assertEquals(Errno.EAGAIN, Native.getLastError());
            // A full doorbell: a ring is pending, the ringer neither blocks nor fails.
            assertFalse(Doorbell.ring(ends[Doorbell.RINGER]));
            long drained = 0;
            int calls = 0;
            int consumed;
            while ((consumed = Doorbell.drain(ends[Doorbell.READER])) > 0)
            {
                assertTrue(consumed <= Doorbell.DRAIN_READS * Doorbell.DRAIN_CHUNK, "one drain took " + consumed);
                drained += consumed;
                calls++;
            }
            assertEquals(0, consumed);
            assertEquals(flooded, drained);
            assertTrue(calls >= flooded / (Doorbell.DRAIN_READS * Doorbell.DRAIN_CHUNK), "calls=" + calls);
        }
        finally
        {
            Posix.close(ends[Doorbell.READER]);
            Posix.close(ends[Doorbell.RINGER]);
        }
    }

    @Test
    void shouldReportTheRingerEndClosedAfterItsLastRingAndIgnoreAGoneReader() throws Exception
    {
        final int[] ends = Doorbell.create();
        try
        {
            assertTrue(Doorbell.ring(ends[Doorbell.RINGER]));
            Posix.close(ends[Doorbell.RINGER]);
            assertEquals(1, Doorbell.drain(ends[Doorbell.READER]), "the ring before the close comes first");
            assertEquals(Doorbell.CLOSED, Doorbell.drain(ends[Doorbell.READER]));
            assertEquals(Doorbell.CLOSED, Doorbell.drain(ends[Doorbell.READER]));
        }
        finally
        {
            Posix.close(ends[Doorbell.READER]);
        }
        final int[] other = Doorbell.create();
        Posix.close(other[Doorbell.READER]);
        try
        {
            // The server is gone: EPIPE, no SIGPIPE, no exception.
            assertFalse(Doorbell.ring(other[Doorbell.RINGER]));
        }
        finally
        {
            Posix.close(other[Doorbell.RINGER]);
        }
        assertThrows(IpcException.class, () -> Doorbell.ring(-1));
        assertThrows(IpcException.class, () -> Doorbell.drain(-1));
    }

}
