package ipc.bench;

import java.io.File;
import java.nio.ByteBuffer;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Aeron IPC ({@code aeron:ipc}) as its samples set it up: the server JVM runs an embedded media driver, both JVMs
 * connect an {@link Aeron} client to it, one publication and one subscription per direction, polling with a
 * busy-spin idle strategy (or, for the paced scenarios, Agrona's {@link BackoffIdleStrategy} with its default
 * parameters, Aeron's usual choice for a subscriber that may idle), offers retried with the same, and a
 * {@link FragmentAssembler} for messages above the MTU. The driver runs SHARED threading with a back-off idle strategy (on two vCPUs a dedicated spinning driver
 * would take a core from the pair), the clients pre-touch the mapped log buffers (in 1.49 a client setting), and its directory is unique under
 * {@code /dev/shm} and deleted at the end.
 */
final class AeronLink implements Link
{
    static final String CHANNEL = "aeron:ipc";
    static final int CLIENT_TO_SERVER_STREAM = 1001;
    static final int SERVER_TO_CLIENT_STREAM = 1002;
    /** The samples poll ten fragments per call for ping-pong; streaming takes what is there, up to this. */
    private static final int FRAGMENT_LIMIT = 256;

    private final MediaDriver driver;
    private final Aeron aeron;
    private final Publication publication;
    private final Subscription subscription;
    private final IdleStrategy idle;
    private final UnsafeBuffer out = new UnsafeBuffer(BufferUtil.allocateDirectAligned(OurLink.MAX_MESSAGE, 64));
    private final FragmentHandler assembler;
    private long lastSequence;
    private int lastLength;
    private int received;
    private long expected;
    private boolean verify;
    private boolean ended;

    private AeronLink(final MediaDriver driver, final String dir, final boolean server, final boolean backoff)
    {
        this.driver = driver;
        this.idle = backoff ? new BackoffIdleStrategy() : new BusySpinIdleStrategy();
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir).preTouchMappedMemory(true));
        this.publication = aeron.addExclusivePublication(CHANNEL,
            server ? SERVER_TO_CLIENT_STREAM : CLIENT_TO_SERVER_STREAM);
        this.subscription = aeron.addSubscription(CHANNEL, server ? CLIENT_TO_SERVER_STREAM : SERVER_TO_CLIENT_STREAM);
        this.assembler = new FragmentAssembler(this::onMessage);
        while (!publication.isConnected() || !subscription.isConnected())
        {
            Thread.onSpinWait();
            if (aeron.isClosed())
            {
                throw new IllegalStateException("aeron client closed while connecting: dir=" + dir);
            }
        }
    }

    static AeronLink serve(final String dir, final boolean backoff, final Runnable ready)
    {
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .termBufferSparseFile(false)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        final MediaDriver driver = MediaDriver.launch(context);
        ready.run();
        return new AeronLink(driver, dir, true, backoff);
    }

    static AeronLink connect(final String dir, final boolean backoff)
    {
        return new AeronLink(null, dir, false, backoff);
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length,
        final io.aeron.logbuffer.Header header)
    {
        Link.checkLength(lastLength, length);
        final long sequence = buffer.getLong(offset);
        received++;
        lastSequence = sequence;
        if (verify && sequence == END)
        {
            // The sender waits for the acknowledgement after END: nothing follows it in this phase.
            ended = true;
            return;
        }
        if (verify && sequence != expected)
        {
            throw new IllegalStateException("out of sequence: expected=" + expected + " received=" + sequence);
        }
        expected++;
    }

    @Override
    public void send(final long sequence, final int length)
    {
        out.putLong(0, sequence);
        long result;
        while ((result = publication.offer(out, 0, length)) < 0)
        {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IllegalStateException("aeron offer failed: result=" + Publication.errorString(result));
            }
            idle.idle();
        }
        idle.reset();
    }

    @Override
    public long receive(final int length)
    {
        lastLength = length;
        verify = false;
        received = 0;
        while (subscription.poll(assembler, 1) == 0 || received == 0)
        {
            checkConnected();
            idle.idle();
        }
        // A back-off strategy starts again from spinning after work, as Agrona's idle(workCount) would.
        idle.reset();
        return lastSequence;
    }

    @Override
    public long receiveBatch(final long expectedSequence, final int length)
    {
        lastLength = length;
        verify = true;
        expected = expectedSequence;
        received = 0;
        ended = false;
        while (received == 0)
        {
            if (subscription.poll(assembler, FRAGMENT_LIMIT) == 0)
            {
                checkConnected();
                idle.idle();
            }
        }
        idle.reset();
        return ended ? ~expected : expected;
    }

    private void checkConnected()
    {
        if (!subscription.isConnected() && subscription.imageCount() == 0)
        {
            throw new IllegalStateException("aeron publication gone: stream=" + subscription.streamId());
        }
    }

    @Override
    public void close()
    {
        publication.close();
        subscription.close();
        aeron.close();
        if (null != driver)
        {
            driver.close();
            final File dir = new File(driver.aeronDirectoryName());
            if (dir.exists())
            {
                org.agrona.IoUtil.delete(dir, true);
            }
        }
    }
}
