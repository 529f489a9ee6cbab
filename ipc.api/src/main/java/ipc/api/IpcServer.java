package ipc.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A bound name accepting connections, in one of two modes chosen by the first call:
 * <ul>
 *   <li><b>accept</b>: {@link #accept(Duration)} returns each new connection as an {@link IpcChannel} that the
 *       caller serves on threads of its own;</li>
 *   <li><b>event-driven</b>: {@link #serve(IpcHandler)} hands every connection to one dispatcher thread that
 *       watches all of them through the operating system's multiplexer and calls the handler, so a thousand
 *       clients do not need a thousand threads. Idle connections cost no CPU.</li>
 * </ul>
 * Peer identity is checked before a connection is accepted: by default only the server's own user may connect
 * ({@link IpcOptions#allowedPeerUids()}). Thread-safe.
 */
@ProviderType
public interface IpcServer extends AutoCloseable
{
    /**
     * The name this server is bound to.
     *
     * @return the name.
     */
    String name();

    /**
     * Waits for the next client, checks it, completes the handshake and returns its channel.
     * Clients that fail the check or the handshake are rejected and skipped.
     *
     * @param timeout how long to wait.
     * @return the connection; the caller closes it.
     * @throws IpcTimeoutException if no client completed the handshake in time.
     * @throws IpcClosedException  if the server is closed.
     * @throws IllegalStateException if the server is serving a handler.
     */
    IpcChannel accept(Duration timeout) throws IpcException;

    /**
     * Starts event-driven mode: from now on the server's dispatcher accepts every client and calls the handler.
     * Returns at once.
     *
     * @param handler the events' receiver.
     * @throws IpcClosedException    if the server is closed.
     * @throws IllegalStateException if already serving, or after {@link #accept(Duration)} was used.
     */
    void serve(IpcHandler handler) throws IpcException;

    /**
     * A snapshot of the server's counters.
     *
     * @return the counters.
     */
    IpcServerStats stats();

    /**
     * Whether the server is open.
     *
     * @return {@code true} until closed.
     */
    boolean isOpen();

    /**
     * Stops accepting, closes every connection the dispatcher serves (each handler gets {@code onClose}), stops
     * the dispatcher, and removes the endpoint so the name is free. Channels returned by {@link #accept} stay
     * open and are the caller's to close. Idempotent; safe from any thread.
     */
    @Override
    void close();
}
