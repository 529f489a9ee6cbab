package ipc.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The raw floor: two JVMs spinning on two longs 128 bytes apart in a mapped {@code /dev/shm} file, with release
 * stores and acquire loads. No ring, no framing, no waiting strategy: the fastest a hand-off between two processes
 * can be on this machine at this moment, run beside every round as a probe of the machine's speed state.
 * Ping-pong only.
 */
final class FloorLink implements Link
{
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final int CLIENT_SLOT = 0;
    private static final int SERVER_SLOT = 128;

    private final MappedByteBuffer buffer;
    private final int outOffset;
    private final int inOffset;
    private long lastIn;

    private FloorLink(final Path file, final boolean server) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
            StandardOpenOption.CREATE))
        {
            buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
        }
        buffer.put(0, (byte)0); // touch the page
        outOffset = server ? SERVER_SLOT : CLIENT_SLOT;
        inOffset = server ? CLIENT_SLOT : SERVER_SLOT;
    }

    static FloorLink open(final Path file, final boolean server) throws IOException
    {
        if (server)
        {
            Files.deleteIfExists(file);
        }
        return new FloorLink(file, server);
    }

    @Override
    public void send(final long sequence, final int length)
    {
        LONG.setRelease(buffer, outOffset, sequence + 1);
    }

    @Override
    public long receive(final int length)
    {
        long value;
        while ((value = (long)LONG.getAcquire(buffer, inOffset)) == lastIn)
        {
            Thread.onSpinWait();
        }
        lastIn = value;
        return value - 1;
    }

    @Override
    public void close()
    {
    }
}
