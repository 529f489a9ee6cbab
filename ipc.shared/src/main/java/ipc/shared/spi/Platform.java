package ipc.shared.spi;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.wait.ProcessBarrier;

/**
 * What a backend supplies: the operating system's primitives, nothing else. The shared transport
 * ({@code ipc.shared.transport}) builds the handshake, the rings, the wait protocol and the server on top.
 * Implementations are thread-safe.
 */
public interface Platform
{
    /**
     * The platform served.
     *
     * @return the platform.
     */
    IpcPlatform platform();

    /**
     * This process's id.
     *
     * @return the pid.
     */
    long pid();

    /**
     * This process's user id, or {@link ipc.api.IpcPeer#UNKNOWN} where the OS has none to compare.
     *
     * @return the uid.
     */
    long uid();

    /**
     * Creates the endpoint of a server name, reclaiming one left behind by a dead server.
     *
     * @param name    a validated name.
     * @param options the server's options: a platform opens the endpoint's permissions to
     *                {@link IpcOptions#allowedPeerUids()} (the server still checks each peer's identity).
     * @return the listener.
     * @throws ipc.api.IpcAlreadyBoundException if a live server holds the name.
     * @throws IpcException                     if the OS refuses.
     */
    ControlListener listen(String name, IpcOptions options) throws IpcException;

    /**
     * Connects to a server's endpoint.
     *
     * @param name          a validated name.
     * @param timeoutNanos  how long to wait for the connection itself.
     * @return the connected channel.
     * @throws ipc.api.IpcClosedException if no server listens on the name.
     * @throws IpcException               if the OS refuses.
     */
    ControlChannel connect(String name, long timeoutNanos) throws IpcException;

    /**
     * Server side: creates a connection's segment and wake primitives, before any client asked for them (the server
     * prepares a few ahead of demand): nothing here may depend on the client. Handles meant for the client's process
     * are made for it when they are sent ({@link ConnectionResources#handlesForPeer()} and the control channel).
     *
     * @param layout the segment's geometry: its length and where its wait words are.
     * @return the resources; the caller owns and closes them.
     * @throws IpcException if the OS refuses.
     */
    ConnectionResources createConnection(SegmentLayout layout) throws IpcException;

    /**
     * Client side: attaches the segment and wake primitives the server sent.
     *
     * @param layout  the geometry announced by the server (its length is checked against the handle).
     * @param handles the handles received with the WELCOME frame; ownership passes to the result, or they
     *                are closed if this fails.
     * @return the resources; the caller owns and closes them.
     * @throws ipc.api.IpcProtocolException if the handles do not match what the platform expects.
     * @throws IpcException                 if the OS refuses.
     */
    ConnectionResources attachConnection(SegmentLayout layout, ReceivedHandles handles) throws IpcException;

    /**
     * Creates a readiness multiplexer.
     *
     * @return a multiplexer; the caller owns and closes it.
     * @throws IpcException if the OS refuses.
     */
    Multiplexer newMultiplexer() throws IpcException;

    /**
     * How many handles a WELCOME frame carries on this platform.
     *
     * @return the count.
     */
    int handlesPerConnection();

    /**
     * Closes a handle received from a peer that was not used (hostile or failed handshakes).
     *
     * @param handle the handle.
     */
    void closeHandle(long handle);

    /**
     * The barrier that lets this process's wake checks skip their fence (see {@link ProcessBarrier}), or
     * {@link ProcessBarrier#NONE} where the operating system has none.
     *
     * @return the barrier; the same one for the life of the process.
     */
    default ProcessBarrier processBarrier()
    {
        return ProcessBarrier.NONE;
    }
}
