package ipc.shared.transport;

import java.time.Duration;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.api.IpcServer;
import ipc.api.IpcServerStats;
import ipc.api.IpcTransport;
import ipc.shared.spi.Platform;

/**
 * {@link IpcTransport} written once on top of a {@link Platform}. A backend's transport class extends this and
 * passes its platform; that is all a backend adds.
 *
 * <p>Holds one peer-watcher thread, started on first use; {@link #shutdown()} stops it (a backend calls it when its
 * OSGi component is deactivated).
 */
public abstract class SharedTransport implements IpcTransport
{
    private final Platform platform;
    private final PeerWatcher watcher;

    /**
     * Builds the transport on a platform.
     *
     * @param platform the backend's primitives.
     */
    protected SharedTransport(final Platform platform)
    {
        this.platform = platform;
        this.watcher = new PeerWatcher(platform);
    }

    @Override
    public IpcPlatform platform()
    {
        return platform.platform();
    }

    @Override
    public IpcServer bind(final String name, final IpcOptions options) throws IpcException
    {
        return new SharedServer(platform, watcher, Names.validate(name), requireOptions(options));
    }

    @Override
    public IpcChannel connect(final String name, final IpcOptions options) throws IpcException
    {
        final SharedChannel channel = Handshake.connect(platform, Names.validate(name), requireOptions(options));
        try
        {
            watcher.watch(channel);
        }
        catch (final IpcException ex)
        {
            channel.close();
            throw ex;
        }
        return channel;
    }

    @Override
    public IpcServerStats stats(final String name, final Duration timeout) throws IpcException
    {
        if (null == timeout)
        {
            throw new NullPointerException("timeout");
        }
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        }
        return Handshake.stats(platform, Names.validate(name), timeout);
    }

    /**
     * Stops the peer watcher. Channels still open no longer learn of their peer's death through the control
     * channel (they still see a graceful close through the segment).
     */
    protected void shutdown()
    {
        watcher.stop();
    }

    private static IpcOptions requireOptions(final IpcOptions options)
    {
        if (null == options)
        {
            throw new NullPointerException("options");
        }
        return options;
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{platform=" + platform.platform() + "}";
    }
}
