package ipc.shared.ring;

import ipc.api.IpcTimeoutException;

/** Busy-spin space waiter for tests: no wait protocol, just a deadline. */
final class SpinWaiter implements SpaceWaiter
{
    long waits;

    @Override
    public void awaitSpace(final int bytesNeeded, final long deadlineNanos) throws IpcTimeoutException
    {
        waits++;
        if (System.nanoTime() - deadlineNanos > 0)
        {
            throw new IpcTimeoutException("ring stayed full: bytesNeeded=" + bytesNeeded);
        }
        Thread.onSpinWait();
    }
}
