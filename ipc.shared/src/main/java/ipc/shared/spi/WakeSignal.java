package ipc.shared.spi;

import ipc.api.IpcException;

/**
 * The operating-system primitive that puts a waiting thread to sleep and wakes it, bound to one wait word of a
 * segment (see {@code ipc.shared.wait.WaitProtocol}, which alone decides when to call it). On Linux it is a futex
 * on the word itself or, for the server's inbound ring, a socketpair doorbell; on Windows an event.
 *
 * <p>{@link #await(long)} may return early or spuriously: the protocol re-checks its condition. A
 * {@link #wake()} that finds nobody waiting is harmless.
 *
 * <h2>Containment</h2>
 * A signal never blocks on, or reads through, a handle whose mode the peer controls: the end of a doorbell that this
 * side reads is its own (a socketpair end, never a shared file description such as an eventfd the peer also holds),
 * read without blocking, and a doorbell whose other end was closed reports it ({@link #drain()} returns
 * {@code false}, {@link #await(long)} throws {@link ipc.api.IpcPeerClosedException}) instead of reading as ready
 * forever.
 */
public interface WakeSignal
{
    /**
     * Blocks while the wait word still says "waiting", at most for the timeout.
     *
     * @param timeoutNanos how long, at most.
     * @throws ipc.api.IpcPeerClosedException if this is a doorbell whose other end is closed.
     * @throws IpcException                   if the OS fails.
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
     * Consumes pending wake-ups of a selectable signal after the multiplexer reported it, without blocking and with
     * bounded work; a no-op returning {@code true} for signals that have no selectable.
     *
     * @return {@code false} if the signal's other end is closed (the peer closed it, died, or is hostile): it will
     *         read as ready forever, so the owner must stop watching it and close the connection.
     */
    boolean drain();

    /**
     * The address of the wait word this signal sleeps on, for a {@link Multiplexer} that sleeps on many words at once
     * ({@link Multiplexer#maxWords()}).
     *
     * @return the address, or 0 if this signal is not an address wait (the default).
     */
    default long wordAddress()
    {
        return 0;
    }
}
