package ipc.shared.transport;

import java.nio.ByteBuffer;
import java.time.Duration;

import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.wait.ProcessBarrier;

/** A server's and a client's channel over one in-memory segment, with no control channel and no owner watching. */
final class ChannelPair
{
    final CountingResources resources;
    final SharedChannel server;
    final SharedChannel client;

    /**
     * @param ring       each ring's capacity.
     * @param maxMessage the largest message.
     */
    ChannelPair(final int ring, final int maxMessage)
    {
        final SegmentLayout layout = SegmentLayout.forCapacity(ring);
        final ByteBuffer segment = ByteBuffer.allocateDirect((int)layout.segmentLength());
        SegmentHeader.initialize(segment, layout, maxMessage);
        final IpcOptions options = IpcOptions.builder().ringCapacity(ring).maxMessageSize(maxMessage)
            .sendTimeout(Duration.ofSeconds(30)).build();
        resources = new CountingResources(segment);
        final IpcPeer peer = new IpcPeer(1, 1);
        server = new SharedChannel(resources, layout, maxMessage, true, new NoControl(peer), peer, options, true,
            ProcessBarrier.NONE, true);
        client = new SharedChannel(resources, layout, maxMessage, false, new NoControl(peer), peer, options, true,
            ProcessBarrier.NONE, true);
    }

    /**
     * Makes the calling thread the server side's dispatcher: its sends never wait (they queue), under an owner that
     * is told nothing.
     */
    void serverDispatchedByThisThread()
    {
        server.owner(new ChannelOwner()
        {
            @Override
            public void detach(final SharedChannel channel)
            {
            }
        });
        server.outbound().neverWaitOn(Thread.currentThread());
    }
}
