package ipc.shared.spi;

import ipc.api.IpcException;

/**
 * A server's endpoint for new control connections. Watchable by a {@link Multiplexer}: it reads as ready when a
 * connection is pending. Owned by one server; {@link #close()} removes the endpoint.
 */
public interface ControlListener extends Selectable, AutoCloseable
{
    /**
     * Accepts a pending connection without blocking.
     *
     * @return the connection, or {@code null} if none is pending.
     * @throws IpcException if the OS fails.
     */
    ControlChannel accept() throws IpcException;

    /**
     * Waits until a connection is pending.
     *
     * @param timeoutNanos how long to wait.
     * @return {@code true} if one is pending, {@code false} on timeout.
     * @throws IpcException if the OS fails.
     */
    boolean awaitPending(long timeoutNanos) throws IpcException;

    /**
     * Where the endpoint lives, for messages (a socket path, a pipe name).
     *
     * @return the address.
     */
    String address();

    /** Closes the endpoint and removes what it left in the file system. Idempotent. */
    @Override
    void close();
}
