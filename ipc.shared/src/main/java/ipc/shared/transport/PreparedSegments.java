package ipc.shared.transport;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.Platform;

/**
 * Connection segments a server creates ahead of demand, while it has nothing else to do, so that a client's HELLO
 * is answered without creating and touching a segment first: that costs about 180 µs on the 2-vCPU VMs (the kernel
 * allocates and zeroes every page), more than the rest of the server's side of the handshake.
 *
 * <p>Bounded: at most {@link #MAX_PREPARED} segments (or as many as the system property {@value #PROPERTY} says,
 * 0 to {@value #MAX_PREPARED_LIMIT}, read when a server is bound; 0 turns preparing off) and {@link #MAX_PREPARED_BYTES}
 * bytes are held (with the default 64 KiB rings, two segments of 132 KiB); servers with larger segments prepare fewer,
 * or none. A prepared
 * segment was never sent to anyone: it is as private as one created for the HELLO. Owned by the thread that admits
 * clients (the dispatcher, or the accepting thread); not thread-safe.
 */
final class PreparedSegments
{
    /** The most segments held ready, unless {@value #PROPERTY} says otherwise. */
    static final int MAX_PREPARED = 2;

    /** The system property that sets how many segments a server prepares (0 turns preparing off). */
    public static final String PROPERTY = "ipc.preparedSegments";

    /** The largest value {@value #PROPERTY} accepts. */
    static final int MAX_PREPARED_LIMIT = 16;

    /** The most bytes of shared memory held ready. */
    static final long MAX_PREPARED_BYTES = 1L << 20;

    private static final System.Logger LOGGER = System.getLogger(PreparedSegments.class.getName());

    private final Platform platform;
    private final SegmentLayout layout;
    private final int maxMessageSize;
    private final int target;
    private final ArrayDeque<ConnectionResources> ready = new ArrayDeque<>();
    /** A preparation failed (descriptors or memory short): wait for the next take before trying again. */
    private boolean failed;
    private boolean closed;

    PreparedSegments(final Platform platform, final IpcOptions options)
    {
        this.platform = platform;
        this.layout = SegmentLayout.forCapacity(options.ringCapacity());
        this.maxMessageSize = options.maxMessageSize();
        this.target = (int)Math.min(configured(System.getProperty(PROPERTY)),
            MAX_PREPARED_BYTES / layout.segmentLength());
    }

    static int configured(final String value)
    {
        if (null == value)
        {
            return MAX_PREPARED;
        }
        final int count;
        try
        {
            count = Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(PROPERTY + " must be a number of segments: value=" + value, ex);
        }
        if (count < 0 || count > MAX_PREPARED_LIMIT)
        {
            throw new IllegalArgumentException(PROPERTY + " must be 0 to " + MAX_PREPARED_LIMIT + ": value=" + count);
        }
        return count;
    }

    /**
     * How many segments this server keeps ready (0 when its segments are larger than the byte bound).
     *
     * @return the target.
     */
    int target()
    {
        return target;
    }

    /**
     * How many segments are ready now.
     *
     * @return the count.
     */
    int readyCount()
    {
        return ready.size();
    }

    /**
     * The geometry of every segment handed out.
     *
     * @return the layout.
     */
    SegmentLayout layout()
    {
        return layout;
    }

    /**
     * A segment for a client: a prepared one, or a new one.
     *
     * @return initialized resources, owned by the caller from now on.
     * @throws IpcException if a new one cannot be created.
     */
    ConnectionResources take() throws IpcException
    {
        failed = false;
        final ConnectionResources prepared = ready.poll();
        return null != prepared ? prepared : create();
    }

    /**
     * Prepares one segment if fewer than the target are ready: call it when there is nothing else to do.
     *
     * @return {@code true} if a segment was prepared (the caller's loop looks for work again before the next).
     */
    boolean prepareOne()
    {
        if (closed || failed || ready.size() >= target)
        {
            return false;
        }
        try
        {
            ready.add(create());
            return true;
        }
        catch (final IpcException | RuntimeException ex)
        {
            failed = true;
            LOGGER.log(Level.DEBUG, () -> "could not prepare a segment ahead of demand: " + ex.getMessage());
            return false;
        }
    }

    /** Releases the prepared segments; later {@link #take}s still create new ones. */
    void close()
    {
        closed = true;
        ConnectionResources resources;
        while (null != (resources = ready.poll()))
        {
            resources.close();
        }
    }

    private ConnectionResources create() throws IpcException
    {
        final ConnectionResources resources = platform.createConnection(layout);
        try
        {
            SegmentHeader.initialize(resources.segment(), layout, maxMessageSize);
        }
        catch (final RuntimeException ex)
        {
            resources.close();
            throw ex;
        }
        return resources;
    }
}
