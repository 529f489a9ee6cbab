package ipc.macos;

import ipc.api.IpcException;
import ipc.macos.os.Posix;
import ipc.macos.os.UnixSocket;

/**
 * The system calls a {@link DoorbellSignal} makes, behind an interface so that its wake-up logic (local wake-ups,
 * the peer's close, the private pair's lifetime) is unit-tested with a fake on machines that cannot run macOS code.
 * {@link #NATIVE} is the only implementation outside tests, so the call sites stay monomorphic.
 */
interface DoorbellSystemCalls
{
    /** The real calls, through {@link UnixSocket} and {@link Posix}; loads no native code until first used. */
    DoorbellSystemCalls NATIVE = new Native();

    /**
     * Waits until either descriptor is readable ({@link UnixSocket#pollEither}).
     *
     * @param first         the doorbell end this process reads.
     * @param second        the read end of the private local wake-up pair.
     * @param timeoutMillis milliseconds; negative waits forever.
     * @return {@link UnixSocket#FIRST_READY} and/or {@link UnixSocket#SECOND_READY}; 0 on timeout.
     * @throws IpcException when {@code poll} fails.
     */
    int pollEither(int first, int second, int timeoutMillis) throws IpcException;

    /**
     * Consumes pending rings without blocking ({@link UnixSocket#drainRings}).
     *
     * @param fd a doorbell end.
     * @return {@code false} once the other end is closed.
     * @throws IpcException when {@code recv} fails otherwise.
     */
    boolean drainRings(int fd) throws IpcException;

    /**
     * Rings without blocking ({@link UnixSocket#ring}).
     *
     * @param fd a doorbell end.
     * @return {@code false} if the other end is gone.
     * @throws IpcException when {@code send} fails otherwise.
     */
    boolean ring(int fd) throws IpcException;

    /**
     * A new connected socket pair, close-on-exec ({@link UnixSocket#socketPair}).
     *
     * @return the two descriptors, owned by the caller.
     * @throws IpcException when the kernel refuses (e.g. {@code EMFILE}).
     */
    int[] socketPair() throws IpcException;

    /**
     * Closes a descriptor, ignoring failures; negative values are skipped ({@link Posix#closeQuietly}).
     *
     * @param fd the descriptor, or a negative value.
     */
    void closeQuietly(int fd);

    /** {@link DoorbellSystemCalls#NATIVE}. */
    final class Native implements DoorbellSystemCalls
    {
        private Native()
        {
        }

        @Override
        public int pollEither(final int first, final int second, final int timeoutMillis) throws IpcException
        {
            return UnixSocket.pollEither(first, second, timeoutMillis);
        }

        @Override
        public boolean drainRings(final int fd) throws IpcException
        {
            return UnixSocket.drainRings(fd);
        }

        @Override
        public boolean ring(final int fd) throws IpcException
        {
            return UnixSocket.ring(fd);
        }

        @Override
        public int[] socketPair() throws IpcException
        {
            return UnixSocket.socketPair();
        }

        @Override
        public void closeQuietly(final int fd)
        {
            Posix.closeQuietly(fd);
        }
    }
}
