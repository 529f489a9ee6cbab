package ipc.shared.transport;

import java.nio.ByteBuffer;

import ipc.api.IpcPeer;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ReceivedHandles;

/** A control channel that carries nothing: for channels over an in-memory segment, with no owner watching it. */
class NoControl implements ControlChannel
{
    private final IpcPeer peer;

    NoControl(final IpcPeer peer)
    {
        this.peer = peer;
    }

    @Override
    public void send(final ByteBuffer frame, final long[] handles)
    {
    }

    @Override
    public int receive(final ByteBuffer dst, final ReceivedHandles handles)
    {
        return 0;
    }

    @Override
    public boolean awaitReadable(final long timeoutNanos)
    {
        return false;
    }

    @Override
    public IpcPeer peer()
    {
        return peer;
    }

    @Override
    public long selectHandle()
    {
        return -1;
    }

    @Override
    public void close()
    {
    }
}
