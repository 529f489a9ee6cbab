package ipc.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The entry point of the IPC platform: one implementation per operating system, each backed by that
 * system's fastest correct primitives.
 *
 * <p>In OSGi, only the bundle of the host's backend resolves, and it registers this interface as a service
 * with the property {@value #PLATFORM_PROPERTY} set to the {@link IpcPlatform} name. On the class path or the
 * module path, {@link #forHost()} finds the host's implementation through {@link java.util.ServiceLoader}.
 *
 * <p>A server {@link #bind(String, IpcOptions) binds} a name; clients {@link #connect(String, IpcOptions)
 * connect} to it. Names are local to the current user: two users may bind the same name.
 *
 * <p>Implementations are thread-safe and hold no resources of their own: every server and channel they create
 * is owned, and must be closed, by the caller.
 */
@ProviderType
public interface IpcTransport
{
    /** Service property naming the platform of a registered transport, for example {@code LINUX}. */
    String PLATFORM_PROPERTY = "ipc.platform";

    /**
     * The platform this transport serves.
     *
     * @return the platform.
     */
    IpcPlatform platform();

    /**
     * Binds a server to a name, ready to accept connections.
     *
     * <p>Does not block beyond creating the endpoint. A name left behind by a server that died is reclaimed.
     *
     * @param name    1 to 64 characters of {@code [A-Za-z0-9._-]}, not starting with a dot.
     * @param options the limits and strategies of the server and of every connection it accepts.
     * @return the bound server; the caller closes it.
     * @throws IpcAlreadyBoundException if a live server of the same user holds the name.
     * @throws IpcException             if the operating system refuses to create the endpoint.
     * @throws IllegalArgumentException if the name is not valid; the message names it.
     */
    IpcServer bind(String name, IpcOptions options) throws IpcException;

    /**
     * Connects to a server bound to a name and completes the handshake.
     *
     * <p>Blocks for at most {@link IpcOptions#connectTimeout()}. The ring geometry and message size limit are
     * the server's; this side's options give the idle strategy and timeouts.
     *
     * @param name    the name the server bound.
     * @param options this side's options.
     * @return an open channel; the caller closes it.
     * @throws IpcTimeoutException      if the handshake did not complete in time.
     * @throws IpcAccessDeniedException if the server rejected this process's user.
     * @throws IpcProtocolException     if the server answered with something that is not a valid handshake.
     * @throws IpcClosedException       if no server is bound to the name, or it closed during the handshake.
     * @throws IpcException             for any other failure of the operating system.
     * @throws IllegalArgumentException if the name is not valid; the message names it.
     */
    IpcChannel connect(String name, IpcOptions options) throws IpcException;

    /**
     * Asks a running server, in this process or another one of this machine, for its counters, without opening a
     * connection: a fresh control connection carries one STATS request and one fixed-size reply, and is closed.
     *
     * <p>The server treats the request like a connection attempt: it checks this process's user exactly as for
     * {@link #connect(String, IpcOptions) connect} (its own user and {@link IpcOptions#allowedPeerUids()}), counts
     * it against its limit of handshakes in progress, and creates no shared memory for it. A server answers while it
     * admits connections: when it {@link IpcServer#serve(IpcHandler) serves}, or during an
     * {@link IpcServer#accept(java.time.Duration) accept}. The request is not counted as an accepted or rejected
     * connection.
     *
     * @param name    the name the server bound.
     * @param timeout how long to wait for the connection and the answer.
     * @return the server's counters at the time it answered.
     * @throws IpcTimeoutException      if no answer came in time.
     * @throws IpcAccessDeniedException if the server refused this process's user.
     * @throws IpcProtocolException     if the server has no STATS support (a version of this library older than the
     *                                  request; the message says "no STATS support"), or answered with something that
     *                                  is not a valid reply.
     * @throws IpcClosedException       if no server is bound to the name, or it closed meanwhile.
     * @throws IpcException             for any other failure of the operating system.
     * @throws IllegalArgumentException if the name is not valid or the timeout negative; the message names it.
     * @since 1.1
     */
    IpcServerStats stats(String name, Duration timeout) throws IpcException;

    /**
     * Names the primitive this transport's rings sleep on and are woken with when a reader or writer must wait, as
     * this process uses it: {@code futex} on Linux; on macOS {@code os_sync} (macOS 14.4 and later), {@code ulock} (a
     * private API, on older systems) or {@code socketpair}, chosen once per process on first use (a call here makes
     * the choice); {@code event} on Windows. For diagnostics only: it is never part of the protocol.
     *
     * @return the mechanism's name; {@code unknown} for a transport that does not say.
     * @since 1.2
     */
    default String waitMechanism()
    {
        return "unknown";
    }

    /**
     * Finds the transport for the host's operating system through {@link java.util.ServiceLoader}, using the
     * context class loader of the calling thread (or this module's layer on the module path).
     *
     * <p>Providers annotated {@link ForPlatform} with another platform are skipped without being instantiated,
     * so their native code is never loaded. Every call returns the same instance for the same provider class, so
     * looking the transport up again is cheap and creates nothing.
     *
     * @return the host's transport.
     * @throws IpcUnsupportedPlatformException if the operating system has no backend, or none is on the path;
     *                                         the message names the operating system.
     */
    static IpcTransport forHost() throws IpcUnsupportedPlatformException
    {
        return HostTransport.find(Thread.currentThread().getContextClassLoader());
    }

    /**
     * Finds the transport for the host's operating system among the providers visible to a class loader.
     *
     * @param classLoader where to look for providers, or {@code null} for the system class loader.
     * @return the host's transport.
     * @throws IpcUnsupportedPlatformException if the operating system has no backend, or none is visible.
     * @see #forHost()
     */
    static IpcTransport forHost(final ClassLoader classLoader) throws IpcUnsupportedPlatformException
    {
        return HostTransport.find(classLoader);
    }
}
