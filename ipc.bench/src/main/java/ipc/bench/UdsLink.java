package ipc.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JDK Unix domain sockets: a blocking {@link SocketChannel} on a {@link UnixDomainSocketAddress}. Each message is
 * framed by a four-byte length and written with one {@code write}; the reader reads into a 1 MiB buffer and takes
 * every complete frame it holds before reading again.
 */
final class UdsLink implements Link
{
    private final ServerSocketChannel server;
    private final SocketChannel channel;
    private final ByteBuffer out = ByteBuffer.allocateDirect(Integer.BYTES + OurLink.MAX_MESSAGE)
        .order(ByteOrder.nativeOrder());
    private final ByteBuffer in = ByteBuffer.allocateDirect(1024 * 1024).order(ByteOrder.nativeOrder());

    private UdsLink(final ServerSocketChannel server, final SocketChannel channel)
    {
        this.server = server;
        this.channel = channel;
        in.flip(); // read mode, empty
    }

    static UdsLink serve(final Path path, final Runnable ready) throws IOException
    {
        Files.deleteIfExists(path);
        final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        ready.run();
        return new UdsLink(server, server.accept());
    }

    static UdsLink connect(final Path path) throws IOException
    {
        return new UdsLink(null, SocketChannel.open(UnixDomainSocketAddress.of(path)));
    }

    @Override
    public void send(final long sequence, final int length) throws IOException
    {
        out.clear();
        out.putInt(0, length);
        out.putLong(Integer.BYTES, sequence);
        out.limit(Integer.BYTES + length);
        while (out.hasRemaining())
        {
            channel.write(out);
        }
    }

    @Override
    public long receive(final int length) throws IOException
    {
        fill(Integer.BYTES);
        final int frameLength = in.getInt(in.position());
        Link.checkLength(length, frameLength);
        fill(Integer.BYTES + frameLength);
        return take(frameLength);
    }

    @Override
    public long receiveBatch(final long expected, final int length) throws IOException
    {
        long next = expected;
        do
        {
            final long sequence = receive(length);
            if (sequence == END)
            {
                return ~next;
            }
            if (sequence != next)
            {
                throw new IllegalStateException("out of sequence: expected=" + next + " received=" + sequence);
            }
            next++;
        }
        while (in.remaining() >= Integer.BYTES && in.remaining() >= Integer.BYTES + in.getInt(in.position()));
        return next;
    }

    private long take(final int frameLength)
    {
        final long sequence = in.getLong(in.position() + Integer.BYTES);
        in.position(in.position() + Integer.BYTES + frameLength);
        return sequence;
    }

    /** Blocks until the read buffer holds at least {@code bytes}. */
    private void fill(final int bytes) throws IOException
    {
        if (in.remaining() >= bytes)
        {
            return;
        }
        in.compact();
        while (in.position() < bytes)
        {
            if (channel.read(in) < 0)
            {
                throw new EOFException("peer closed the socket");
            }
        }
        in.flip();
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
        if (null != server)
        {
            server.close();
        }
    }
}
