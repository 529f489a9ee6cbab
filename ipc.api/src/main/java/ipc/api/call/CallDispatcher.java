package ipc.api.call;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One thread that reads the channels of many {@link CallClient}s and completes their calls: no thread per channel.
 *
 * <h2>How it waits</h2>
 * <ul>
 *   <li>No call pending on any of its clients: the thread spins for 50 µs (the default spin window of a channel, so
 *       that calls made one after another do not each wake it), then parks and costs no CPU.</li>
 *   <li>Calls pending on one client: it blocks in that channel's poll with the channel's full wait protocol (spin,
 *       then sleep on the ring's wait word), so a reply wakes it as fast as a plain receive would; it returns at least
 *       every {@link #MAX_BLOCK_NANOS} to look at the other clients and the timeouts.</li>
 *   <li>Calls pending on several clients: it polls them in turn without waiting; after a sweep that found nothing it
 *       backs off (spin, then yield, then park for 1 µs doubling up to {@link #MAX_BLOCK_NANOS}), and starts over
 *       when anything arrives. The latency cost: a reply that lands during a back-off park waits for its end, at
 *       most {@link #MAX_BLOCK_NANOS}; a busy set of channels never parks.</li>
 * </ul>
 * A sweep touches every client of the dispatcher (idle ones are skipped with one read), so prefer a dispatcher per
 * few thousand channels.
 */
@ProviderType
public interface CallDispatcher extends AutoCloseable
{
    /** The longest single block or back-off park of the dispatcher thread: 1 ms. */
    long MAX_BLOCK_NANOS = 1_000_000;

    /**
     * The number of clients this dispatcher drives.
     *
     * @return the count.
     */
    int clientCount();

    /**
     * Whether the dispatcher runs.
     *
     * @return {@code true} until closed.
     */
    boolean isOpen();

    /**
     * Stops the thread and closes every client it drives (their pending calls fail with
     * {@link ipc.api.IpcClosedException}). Idempotent.
     */
    @Override
    void close();
}
