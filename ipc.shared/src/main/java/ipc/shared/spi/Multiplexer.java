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

    /** {@link #select(long, ReadyHandler, long[], int, int)}: no word was woken or changed. */
    int NO_WORD = -2;
    /** {@link #select(long, ReadyHandler, long[], int, int)}: some word may have changed: look at all of them. */
    int ANY_WORD = -1;

    /**
     * How many wait words {@link #select(long, ReadyHandler, long[], int, int)} can sleep on, besides the
     * selectables.
     *
     * @return 0 if it cannot (the default), else at least 1.
     */
    default int maxWords()
    {
        return 0;
    }

    /**
     * As {@link #select(long, ReadyHandler)}, and the wait also ends when a waker wakes one of the words, or one of
     * them no longer holds {@code expected} (checked atomically with going to sleep: a change made before the call
     * ends it at once). The words are segments' wait words ({@link WakeSignal#wordAddress()}); the caller keeps them
     * mapped for the whole call.
     *
     * @param timeoutNanos how long to wait; zero polls; negative waits without limit.
     * @param handler      receives the ready keys.
     * @param wordAddresses the words' addresses, in {@code [0, words)}.
     * @param words        how many, at most {@link #maxWords()}.
     * @param expected     the value every word holds while its owner sleeps.
     * @return the index of the word a waker woke, {@link #ANY_WORD} if some word may have changed, or
     *         {@link #NO_WORD}; selectables are reported to the handler either way.
     * @throws IpcException if the OS fails.
     * @throws UnsupportedOperationException if {@link #maxWords()} is 0.
     */
    default int select(final long timeoutNanos, final ReadyHandler handler, final long[] wordAddresses,
        final int words, final int expected) throws IpcException
    {
        throw new UnsupportedOperationException("this multiplexer cannot wait on words");
    }

    /** Makes a current or the next {@link #select} return at once. Any thread. */
    void wakeup();

    /** Releases the OS resources. Idempotent. */
    @Override
    void close();
}
