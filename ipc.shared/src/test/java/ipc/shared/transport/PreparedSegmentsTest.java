package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.shared.ring.SegmentHeader;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.ConnectionResources;

/** The segments a server prepares ahead of demand: bounded, handed out first, released on close. */
class PreparedSegmentsTest
{
    private final CountingPlatform platform = new CountingPlatform();

    @Test
    void shouldPrepareUpToTheBoundAndHandThoseOutFirst() throws Exception
    {
        final PreparedSegments segments = new PreparedSegments(platform, IpcOptions.defaults());
        assertEquals(2, segments.target(), "two 132 KiB segments with the default 64 KiB rings");
        assertTrue(segments.prepareOne());
        assertTrue(segments.prepareOne());
        assertFalse(segments.prepareOne(), "never more than the target");
        assertEquals(2, platform.created.size());

        final ConnectionResources first = segments.take();
        assertSame(platform.created.get(0), first, "a prepared segment first, oldest first");
        // Prepared segments are initialized: a client could attach at once.
        assertEquals(segments.layout(), SegmentHeader.attach(first.segment(), first.segment().capacity()).layout());
        segments.take();
        final ConnectionResources third = segments.take();
        assertNotSame(platform.created.get(1), third);
        assertEquals(3, platform.created.size(), "none ready: created on demand");
        assertEquals(0, platform.closed(), "handed-out segments belong to their connections");
    }

    @Test
    void shouldPrepareNothingWhenSegmentsExceedTheByteBound() throws Exception
    {
        final PreparedSegments segments = new PreparedSegments(platform,
            IpcOptions.builder().ringCapacity(1 << 20).maxMessageSize(1 << 20).build());
        assertEquals(0, segments.target(), "1 MiB rings: a 2 MiB segment exceeds the bound");
        assertFalse(segments.prepareOne());
        assertEquals(0, platform.created.size());
    }

    @Test
    void shouldNotRetryAFailedPreparationUntilTheNextTake() throws Exception
    {
        final PreparedSegments segments = new PreparedSegments(platform, IpcOptions.defaults());
        platform.failing = true;
        assertFalse(segments.prepareOne());
        platform.failing = false;
        assertFalse(segments.prepareOne(), "an idle loop must not spin on a failing preparation");
        segments.take();
        assertTrue(segments.prepareOne(), "a take (a client came) allows another attempt");
    }

    @Test
    void shouldReleaseThePreparedSegmentsOnClose() throws Exception
    {
        final PreparedSegments segments = new PreparedSegments(platform, IpcOptions.defaults());
        segments.prepareOne();
        segments.prepareOne();
        segments.close();
        assertEquals(2, platform.closed());
        assertEquals(0, segments.readyCount());
        assertFalse(segments.prepareOne(), "a closed server prepares nothing");
        platform.failing = true;
        assertThrows(IpcException.class, segments::take);
    }

    @Test
    void shouldReadHowManyToPrepareFromItsProperty()
    {
        assertEquals(2, PreparedSegments.configured(null));
        assertEquals(0, PreparedSegments.configured("0"), "0 turns preparing off");
        assertEquals(16, PreparedSegments.configured(" 16 "));
        assertThrows(IllegalArgumentException.class, () -> PreparedSegments.configured("17"));
        assertThrows(IllegalArgumentException.class, () -> PreparedSegments.configured("-1"));
        assertThrows(IllegalArgumentException.class, () -> PreparedSegments.configured("two"));
    }

    /** Creates heap-free segments over direct buffers and counts what it created and what was closed. */
    private static final class CountingPlatform extends StubPlatform
    {
        final List<CountingResources> created = new ArrayList<>();
        boolean failing;

        int closed()
        {
            return created.stream().mapToInt(CountingResources::closes).sum();
        }

        @Override
        public ConnectionResources createConnection(final SegmentLayout layout) throws IpcException
        {
            if (failing)
            {
                throw new IpcException("out of descriptors (test)");
            }
            final ByteBuffer segment =
                ByteBuffer.allocateDirect((int)layout.segmentLength()).order(ByteOrder.nativeOrder());
            final CountingResources resources = new CountingResources(segment);
            created.add(resources);
            return resources;
        }
    }
}
