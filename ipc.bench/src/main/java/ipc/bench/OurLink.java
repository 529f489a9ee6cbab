package ipc.bench;

import java.nio.ByteBuffer;
import java.time.Duration;

import ipc.api.IdleStrategy;
import ipc.api.IpcChannel;
import ipc.api.IpcMessage;
import ipc.api.IpcMessageHandler;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;

/**
 * Our transport: {@code send(ByteBuffer)} (one copy from the application's buffer into the ring, as a socket write
 * or Aeron's {@code offer} copies) and {@code receiveBorrowed} (zero-copy read in the ring, as Aeron's fragment
 * handler reads in place). A stream is drained with {@code poll(handler, 256, timeout)}, the batch read the API
 * offers for a busy channel (one head release and one wake check per batch), as Aeron's side polls up to 256
 * fragments per call. The ring is 4 MiB so that a 64 KiB message is one record, not fragments.
 */
final class OurLink implements Link
{
    /** Ring capacity per direction: large enough for 64 KiB records. */
    static final int RING_CAPACITY = 4 * 1024 * 1024;
    /** Largest message the scenarios send. */
    static final int MAX_MESSAGE = 64 * 1024;
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(60);

    private final IpcServer server;
    private final IpcChannel channel;
    /** Most messages of a stream handled per poll: Aeron's side takes up to as many fragments. */
    private static final int STREAM_BATCH = 256;

    private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_MESSAGE);
    private final IpcMessageHandler streamHandler = this::onStreamMessage;
    private int streamLength;
    private long expected;
    private boolean ended;

    private OurLink(final IpcServer server, final IpcChannel channel)
    {
        this.server = server;
        this.channel = channel;
    }

    /**
     * The options of the pair scenarios: the given idle strategy, 4 MiB rings, everything else the default
     * (among it the spin window, {@link IpcOptions#DEFAULT_SPIN_DURATION}).
     *
     * @param idleStrategy the idle strategy.
     * @return the options.
     */
    static IpcOptions options(final IdleStrategy idleStrategy)
    {
        return IpcOptions.builder()
            .idleStrategy(idleStrategy)
            .ringCapacity(RING_CAPACITY)
            .maxMessageSize(MAX_MESSAGE)
            .sendTimeout(RECEIVE_TIMEOUT)
            .build();
    }

    /**
     * Binds, reports readiness, and accepts one client (accept mode: the caller's thread serves it).
     *
     * @param name    the endpoint name.
     * @param options the server's options.
     * @param ready   run once bound, before waiting for the client.
     * @return the server end.
     * @throws Exception on failure.
     */
    static OurLink serve(final String name, final IpcOptions options, final Runnable ready) throws Exception
    {
        final IpcServer server = IpcTransport.forHost().bind(name, options);
        ready.run();
        return new OurLink(server, server.accept(Duration.ofSeconds(60)));
    }

    static OurLink connect(final String name, final IpcOptions options) throws Exception
    {
        return new OurLink(null, IpcTransport.forHost().connect(name, options));
    }

    @Override
    public void send(final long sequence, final int length) throws Exception
    {
        out.clear();
        out.putLong(0, sequence);
        out.limit(length);
        channel.send(out);
    }

    @Override
    public long receive(final int length) throws Exception
    {
        try (IpcMessage message = channel.receiveBorrowed(RECEIVE_TIMEOUT))
        {
            final ByteBuffer buffer = message.buffer();
            Link.checkLength(length, message.length());
            return buffer.getLong(buffer.position());
        }
    }

    @Override
    public long receiveBatch(final long expectedSequence, final int length) throws Exception
    {
        streamLength = length;
        expected = expectedSequence;
        ended = false;
        while (0 == channel.poll(streamHandler, STREAM_BATCH, RECEIVE_TIMEOUT))
        {
            // Nothing within the timeout: poll throws if the peer is gone, so wait again.
        }
        return ended ? ~expected : expected;
    }

    private void onStreamMessage(final ByteBuffer message)
    {
        Link.checkLength(streamLength, message.remaining());
        final long sequence = message.getLong(message.position());
        if (sequence == END)
        {
            // The sender waits for the acknowledgement after END: nothing follows it in this phase.
            ended = true;
            return;
        }
        if (ended || sequence != expected)
        {
            throw new IllegalStateException("out of sequence: expected=" + expected + " received=" + sequence);
        }
        expected++;
    }

    @Override
    public void close()
    {
        channel.close();
        if (null != server)
        {
            server.close();
        }
    }
}
