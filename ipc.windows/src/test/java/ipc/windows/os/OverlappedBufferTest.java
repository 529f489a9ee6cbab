package ipc.windows.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import com.sun.jna.Pointer;

import ipc.windows.jna.Overlapped;
import ipc.windows.jna.WinNTExt;

/**
 * The ownership rules of overlapped memory, played without a kernel: this JVM writes the {@code OVERLAPPED} status
 * words where Windows would. The rule that matters: memory the kernel may still write is never freed.
 */
class OverlappedBufferTest
{
    private static final long EVENT = 0x1234;

    @Test
    void shouldPutEventInTheOverlappedAndDataAfterIt()
    {
        final OverlappedBuffer buffer = new OverlappedBuffer(64, EVENT);
        final Pointer overlapped = new Pointer(buffer.overlapped());
        assertEquals(EVENT, overlapped.getLong(Overlapped.H_EVENT_OFFSET));
        assertEquals(buffer.overlapped() + Overlapped.SIZE, buffer.data());
        assertEquals(64, buffer.capacity());
        assertTrue(buffer.release());
    }

    @Test
    void shouldMarkStatusPendingWhenAnOperationBegins()
    {
        final OverlappedBuffer buffer = new OverlappedBuffer(16, EVENT);
        buffer.begin();
        final Pointer overlapped = new Pointer(buffer.overlapped());
        assertEquals(WinNTExt.STATUS_PENDING, overlapped.getLong(Overlapped.INTERNAL_OFFSET));
        assertEquals(EVENT, overlapped.getLong(Overlapped.H_EVENT_OFFSET), "hEvent survives begin()");
        assertFalse(buffer.kernelDone());
        // The kernel finishes: Internal becomes the NTSTATUS (0 = STATUS_SUCCESS), InternalHigh the byte count.
        overlapped.setLong(Overlapped.INTERNAL_HIGH_OFFSET, 3);
        overlapped.setLong(Overlapped.INTERNAL_OFFSET, 0);
        assertTrue(buffer.kernelDone());
        buffer.complete(3, 0);
        assertEquals(OverlappedBuffer.State.DONE, buffer.state());
        assertFalse(buffer.kernelDone(), "only a pending operation can complete");
        buffer.reset();
        buffer.release();
    }

    @Test
    void shouldNotFreeMemoryWhileAnOperationIsPending()
    {
        final OverlappedBuffer buffer = new OverlappedBuffer(16, EVENT);
        buffer.begin();
        assertFalse(buffer.release(), "released while pending: kept");
        assertFalse(buffer.isFreed());
        // The kernel may still write it: this must not crash.
        new Pointer(buffer.overlapped()).setLong(Overlapped.INTERNAL_OFFSET, 0);
        buffer.complete(0, 995);
        assertTrue(buffer.isFreed(), "freed once the completion was observed");
    }

    @Test
    void shouldFreeAtOnceWhenIdleOrDone()
    {
        final OverlappedBuffer idle = new OverlappedBuffer(16, EVENT);
        assertTrue(idle.release());
        assertTrue(idle.isFreed());

        final OverlappedBuffer done = new OverlappedBuffer(16, EVENT);
        done.begin();
        done.complete(0, 109);
        assertTrue(done.release());
        assertTrue(done.isFreed());
    }

    @Test
    void shouldRunOneOperationAtATime()
    {
        final OverlappedBuffer buffer = new OverlappedBuffer(16, EVENT);
        buffer.begin();
        assertThrows(IllegalStateException.class, buffer::begin);
        assertThrows(IllegalStateException.class, buffer::reset, "a pending operation cannot be forgotten");
        assertThrows(IllegalStateException.class, buffer::writable);
        buffer.complete(4, 0);
        assertThrows(IllegalStateException.class, buffer::begin, "a completed result must be consumed first");
        assertThrows(IllegalStateException.class, () -> buffer.complete(1, 0));
        buffer.reset();
        buffer.begin();
        buffer.complete(0, 0);
        buffer.release();
        assertThrows(IllegalStateException.class, buffer::begin, "released buffers start nothing");
    }

    @Test
    void shouldExposeExactlyTheTransferredBytes()
    {
        final OverlappedBuffer buffer = new OverlappedBuffer(8, EVENT);
        buffer.writable().put(new byte[] {1, 2, 3, 4, 5});
        buffer.begin();
        buffer.complete(5, 0);
        final ByteBuffer bytes = buffer.bytes(2);
        assertEquals(3, bytes.remaining());
        assertEquals(3, bytes.get(0));
        assertThrows(IllegalStateException.class, () -> buffer.bytes(6));
        assertThrows(IllegalStateException.class, () -> buffer.complete(9, 0));
        buffer.release();
    }

    @Test
    void shouldRefuseATransferLargerThanTheBuffer()
    {
        final OverlappedBuffer buffer = new OverlappedBuffer(8, EVENT);
        buffer.begin();
        assertThrows(IllegalStateException.class, () -> buffer.complete(9, 0));
        buffer.complete(8, 0);
        buffer.release();
    }
}
