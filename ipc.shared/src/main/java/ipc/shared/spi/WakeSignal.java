package ipc.shared.spi;

import ipc.api.IpcException;

/**
 * The operating-system primitive that puts a waiting thread to sleep and wakes it, bound to one wait word of a
 * segment (see {@code ipc.shared.wait.WaitProtocol}, which alone decides when to call it). On Linux it is a futex
 * on the word itself or an eventfd doorbell; on Windows an event.
 *
 * <p>{@link #await(long)} may return early or spuriously: the protocol re-checks its condition. A
 * {@link #wake()} that finds nobody waiting is harmless.
 */
public interface WakeSignal
{
    /**
     * Blocks while the wait word still says "waiting", at most for the timeout.
     *
     * @param timeoutNanos how long, at most.
     * @throws IpcException if the OS fails.
     */
    void await(long timeoutNanos) throws IpcException;

    /** Wakes the thread waiting on this signal, in this process or the peer's. Never blocks. */
    void wake();

    /**
     * The handle a {@link Multiplexer} can watch for this signal, if it has one.
     *
     * @return the selectable, or {@code null} if this signal can only be awaited.
     */
    Selectable selectable();

    /**
     * Consumes a pending wake-up of a selectable signal after the multiplexer reported it; no-op otherwise.
     */
    void drain();
}
