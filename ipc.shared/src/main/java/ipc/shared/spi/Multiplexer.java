package ipc.shared.spi;

import ipc.api.IpcException;

/**
 * Watches many {@link Selectable}s with one thread: epoll, kqueue, or grouped waits on Windows. Readiness is
 * level-triggered: a selectable stays ready until its cause is consumed. Register, unregister and select are
 * called from the owning thread only; {@link #wakeup()} from any thread.
 */
public interface Multiplexer extends AutoCloseable
{
    /** Receives the keys of ready selectables. */
    @FunctionalInterface
    interface ReadyHandler
    {
        /**
         * One selectable is ready.
         *
         * @param key    the key it was registered with.
         * @param hangUp whether the OS reported a hang-up or error on it.
         */
        void onReady(long key, boolean hangUp);
    }

    /**
     * Starts watching a selectable for readability and hang-up.
     *
     * @param selectable what to watch.
     * @param key        returned by {@link #select} when it is ready; not negative.
     * @throws IpcException if the OS fails.
     */
    void register(Selectable selectable, long key) throws IpcException;

    /**
     * Stops watching a selectable. Must be called before the selectable is closed.
     *
     * @param selectable what to stop watching.
     */
    void unregister(Selectable selectable);

    /**
     * Waits until at least one selectable is ready, the timeout passes, or {@link #wakeup()} is called, and
     * reports every ready one.
     *
     * @param timeoutNanos how long to wait; zero polls; negative waits without limit.
     * @param handler      receives the ready keys.
     * @return how many were reported.
     * @throws IpcException if the OS fails.
     */
    int select(long timeoutNanos, ReadyHandler handler) throws IpcException;

    /** Makes a current or the next {@link #select} return at once. Any thread. */
    void wakeup();

    /** Releases the OS resources. Idempotent. */
    @Override
    void close();
}
