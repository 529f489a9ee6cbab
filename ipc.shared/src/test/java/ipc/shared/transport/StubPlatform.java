package ipc.shared.transport;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ControlListener;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Platform;
import ipc.shared.spi.ReceivedHandles;

/**
 * A platform for tests of the transport's own logic: pid 1, uid 1000, Linux, two handles per connection; every call
 * that would reach the OS throws {@link UnsupportedOperationException} unless a test overrides it.
 */
class StubPlatform implements Platform
{
    @Override
    public IpcPlatform platform()
    {
        return IpcPlatform.LINUX;
    }

    @Override
    public long pid()
    {
        return 1;
    }

    @Override
    public long uid()
    {
        return 1000;
    }

    @Override
    public ControlListener listen(final String name, final IpcOptions options)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public ControlChannel connect(final String name, final long timeoutNanos)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public ConnectionResources createConnection(final SegmentLayout layout) throws IpcException
    {
        throw new UnsupportedOperationException("this test creates no segment");
    }

    @Override
    public ConnectionResources attachConnection(final SegmentLayout layout, final ReceivedHandles handles)
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public Multiplexer newMultiplexer()
    {
        throw new UnsupportedOperationException();
    }

    @Override
    public int handlesPerConnection()
    {
        return 2;
    }

    @Override
    public void closeHandle(final long handle)
    {
    }
}
