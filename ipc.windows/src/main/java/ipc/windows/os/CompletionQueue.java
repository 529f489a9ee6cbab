package ipc.windows.os;

import ipc.api.IpcException;

/**
 * What a multiplexer needs of an I/O completion port; {@link CompletionPort} is the real one. An interface so that
 * the readiness logic built on it can be tested without Windows.
 */
public interface CompletionQueue extends AutoCloseable
{
    /**
     * Associates an overlapped handle with the port.
     *
     * @param handle the handle.
     * @throws IpcException if the OS refuses.
     */
    void associate(long handle) throws IpcException;

    /**
     * Posts a packet naming an operation, or 0 for a wake-up.
     *
     * @param overlapped the {@code OVERLAPPED} address, or 0.
     * @return {@code false} if the OS refused.
     */
    boolean post(long overlapped);

    /**
     * Dequeues completions, waiting for the first at most {@code millis}.
     *
     * @param millis the time-out (see {@link Timeouts}).
     * @return how many, 0 on time-out.
     * @throws IpcException if the OS fails.
     */
    int dequeue(int millis) throws IpcException;

    /**
     * The operation of a dequeued completion.
     *
     * @param index below the count {@link #dequeue} returned.
     * @return the {@code OVERLAPPED} address, 0 for a wake-up.
     */
    long overlapped(int index);

    /**
     * How many completions one {@link #dequeue} may return.
     *
     * @return the capacity.
     */
    int capacity();

    /** Closes the port. */
    @Override
    void close();
}
