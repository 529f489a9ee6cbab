package ipc.shared.transport;

import java.nio.ByteBuffer;

import ipc.api.IpcClaim;

/**
 * The claim handed out by {@link SharedChannel#claim}: one per claim (it needs a buffer of its own anyway), so a
 * stale handle, closed after its commit, can never touch a later claim. The claiming thread holds the channel's
 * send lock until it commits or aborts.
 */
final class RingClaim implements IpcClaim
{
    private final ChannelOutbound outbound;
    private final int index;
    private final int length;
    private ByteBuffer buffer;

    RingClaim(final ChannelOutbound outbound, final ByteBuffer buffer, final int index)
    {
        this.outbound = outbound;
        this.buffer = buffer;
        this.index = index;
        this.length = buffer.capacity();
    }

    @Override
    public ByteBuffer buffer()
    {
        if (null == buffer)
        {
            throw new IllegalStateException("claim already committed or aborted");
        }
        return buffer;
    }

    @Override
    public void commit()
    {
        finish(true);
    }

    @Override
    public void abort()
    {
        finish(false);
    }

    @Override
    public void close()
    {
        if (null != buffer)
        {
            finish(false);
        }
    }

    private void finish(final boolean commit)
    {
        if (null == buffer)
        {
            throw new IllegalStateException("claim already committed or aborted");
        }
        // Checked by the channel before anything changes: a wrong thread leaves the claim usable.
        outbound.finishClaim(index, length, commit);
        buffer = null;
    }
}
