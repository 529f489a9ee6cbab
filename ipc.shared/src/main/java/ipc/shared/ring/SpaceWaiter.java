package ipc.shared.ring;

import ipc.api.IpcException;

/**
 * How a {@link RingMessageWriter} waits when the ring is full: spin, park, or block on the writer wait word.
 */
@FunctionalInterface
public interface SpaceWaiter
{
    /**
     * Returns when space may have been freed (the writer retries and may call again), or throws.
     *
     * @param bytesNeeded   free bytes the next claim needs, wrap padding included
     *                      ({@link SpscRing#requiredSpace}): wait until {@link SpscRing#freeSpaceAcquire()} covers it.
     * @param deadlineNanos {@link System#nanoTime()} value after which to give up.
     * @throws IpcException e.g. {@code IpcTimeoutException} past the deadline, {@code IpcClosedException} if the
     *                      peer closed.
     */
    void awaitSpace(int bytesNeeded, long deadlineNanos) throws IpcException;
}
