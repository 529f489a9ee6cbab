package ipc.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ipc.api.IpcException;
import ipc.api.IpcProtocolException;

/** The control pipe's envelopes: frames and handle values over a byte stream, bounded, in any split. */
class EnvelopeTest
{
    private final List<long[]> received = new ArrayList<>();
    private final Envelope.HandleSink sink = received::add;

    private static ByteBuffer bytes(final int... values)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(values.length);
        for (final int value : values)
        {
            buffer.put((byte)value);
        }
        return buffer.flip();
    }

    @Test
    void shouldCarryPayloadAndHandles() throws IpcException
    {
        final ByteBuffer wire = Envelope.encode(bytes(1, 2, 3), new long[] {0x1234, 0x5678});
        assertEquals(Envelope.HEADER_LENGTH + 16 + 3, wire.remaining());
        assertEquals(3, wire.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(0), "little-endian payload length");
        final ByteBuffer dst = ByteBuffer.allocate(16);
        final Envelope reader = new Envelope();
        assertEquals(3, reader.read(wire, dst, sink));
        assertEquals(1, received.size());
        assertArrayEquals(new long[] {0x1234, 0x5678}, received.get(0));
        assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(dst.array(), dst.position()));
        assertFalse(reader.isPartial());
    }

    @Test
    void shouldReassembleEnvelopesSplitAtEveryByte() throws IpcException
    {
        final ByteBuffer first = Envelope.encode(bytes(9, 8, 7, 6), new long[] {77});
        final ByteBuffer second = Envelope.encode(bytes(5), new long[0]);
        final ByteBuffer wire = ByteBuffer.allocate(first.remaining() + second.remaining()).put(first).put(second)
            .flip();
        final Envelope reader = new Envelope();
        final ByteBuffer dst = ByteBuffer.allocate(16);
        while (wire.hasRemaining())
        {
            final ByteBuffer one = wire.slice(wire.position(), 1);
            reader.read(one, dst, sink);
            assertEquals(0, one.remaining());
            wire.position(wire.position() + 1);
        }
        assertEquals(5, dst.position());
        assertEquals(1, received.size());
        assertArrayEquals(new long[] {77}, received.get(0));
        assertFalse(reader.isPartial());
    }

    @Test
    void shouldStopWhenTheDestinationIsFullAndResume() throws IpcException
    {
        final ByteBuffer wire = Envelope.encode(bytes(1, 2, 3, 4, 5), new long[0]);
        final Envelope reader = new Envelope();
        final ByteBuffer small = ByteBuffer.allocate(2);
        assertEquals(2, reader.read(wire, small, sink));
        assertTrue(wire.hasRemaining(), "the rest stays in the source");
        assertTrue(reader.isPartial());
        final ByteBuffer rest = ByteBuffer.allocate(8);
        assertEquals(3, reader.read(wire, rest, sink));
        assertFalse(reader.isPartial());
    }

    @Test
    void shouldRejectOutOfRangeHeadersBeforeReadingOn()
    {
        final ByteBuffer tooLong = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(Envelope.MAX_PAYLOAD + 1).putInt(0).flip();
        assertThrows(IpcProtocolException.class,
            () -> new Envelope().read(tooLong, ByteBuffer.allocate(8), sink));
        final ByteBuffer empty = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(0).flip();
        assertThrows(IpcProtocolException.class, () -> new Envelope().read(empty, ByteBuffer.allocate(8), sink));
        final ByteBuffer tooManyHandles = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(1)
            .putInt(Envelope.MAX_HANDLES + 1).flip();
        assertThrows(IpcProtocolException.class,
            () -> new Envelope().read(tooManyHandles, ByteBuffer.allocate(8), sink));
        final ByteBuffer negative = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(-1).flip();
        assertThrows(IpcProtocolException.class, () -> new Envelope().read(negative, ByteBuffer.allocate(8), sink));
        assertTrue(received.isEmpty());
    }

    @Test
    void shouldLetTheSinkRefuseHandles()
    {
        final ByteBuffer wire = Envelope.encode(bytes(1), new long[] {5});
        final Envelope.HandleSink refusing = values ->
        {
            throw new IpcProtocolException("client sent handles");
        };
        assertThrows(IpcProtocolException.class, () -> new Envelope().read(wire, ByteBuffer.allocate(8), refusing));
    }

    @Test
    void shouldRefuseToEncodeWhatTheReaderWouldReject()
    {
        assertThrows(IllegalArgumentException.class, () -> Envelope.encode(ByteBuffer.allocate(0), new long[0]));
        assertThrows(IllegalArgumentException.class,
            () -> Envelope.encode(ByteBuffer.allocate(Envelope.MAX_PAYLOAD + 1), new long[0]));
        assertThrows(IllegalArgumentException.class,
            () -> Envelope.encode(bytes(1), new long[Envelope.MAX_HANDLES + 1]));
    }

    @Test
    void shouldFitAWelcomeWithEveryHandle()
    {
        assertTrue(WindowsConnection.HANDLE_COUNT <= Envelope.MAX_HANDLES);
    }
}
