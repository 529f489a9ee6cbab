package ipc.shared.spi;

import java.util.Arrays;

/**
 * Handles received from a peer, owned here until taken. Whatever is not taken is closed by {@link #close()}, so a
 * failed or hostile handshake leaks nothing. Not thread-safe.
 */
public final class ReceivedHandles implements AutoCloseable
{
    private final Platform platform;
    private final long[] handles;
    private int count;

    /**
     * Creates room for a number of handles.
     *
     * @param platform closes handles that are not taken.
     * @param capacity how many handles may be received.
     */
    public ReceivedHandles(final Platform platform, final int capacity)
    {
        this.platform = platform;
        this.handles = new long[capacity];
    }

    /**
     * How many more handles fit.
     *
     * @return free slots.
     */
    public int remaining()
    {
        return handles.length - count;
    }

    /**
     * Adds a received handle; the backend calls this.
     *
     * @param handle the handle, now owned here.
     * @throws IllegalStateException if full (the backend closes the extra handle instead).
     */
    public void add(final long handle)
    {
        if (count == handles.length)
        {
            throw new IllegalStateException("no room for another handle: capacity=" + handles.length);
        }
        handles[count++] = handle;
    }

    /**
     * How many handles are held.
     *
     * @return the count.
     */
    public int count()
    {
        return count;
    }

    /**
     * Takes ownership of all handles; afterwards this holds none.
     *
     * @return the handles in arrival order.
     */
    public long[] takeAll()
    {
        final long[] taken = Arrays.copyOf(handles, count);
        count = 0;
        return taken;
    }

    /** Closes every handle not taken. */
    @Override
    public void close()
    {
        for (int i = 0; i < count; i++)
        {
            platform.closeHandle(handles[i]);
        }
        count = 0;
    }
}
