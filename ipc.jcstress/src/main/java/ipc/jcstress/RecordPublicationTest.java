package ipc.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

import ipc.shared.ring.Direction;
import ipc.shared.ring.RecordDescriptor;
import ipc.shared.ring.SpscRing;

/**
 * A reader that sees a record's length (acquire) must see the payload written before it (release): it never
 * reads a committed record with a stale payload.
 */
@JCStressTest
@Outcome(id = "-1", expect = ACCEPTABLE, desc = "record not visible yet")
@Outcome(id = "1234605616436508552", expect = ACCEPTABLE, desc = "record and payload visible")
@Outcome(expect = FORBIDDEN, desc = "committed length seen with a stale payload")
@State
public class RecordPublicationTest
{
    private static final long PAYLOAD = 0x1122334455667788L;

    private final SpscRing writer;
    private final SpscRing reader;
    private final ByteBuffer message = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder());

    public RecordPublicationTest()
    {
        final ByteBuffer segment = Segments.newSegment();
        writer = new SpscRing(segment, Segments.LAYOUT, Direction.CLIENT_TO_SERVER);
        reader = new SpscRing(segment, Segments.LAYOUT, Direction.CLIENT_TO_SERVER);
        message.putLong(0, PAYLOAD);
    }

    @Actor
    public void write()
    {
        writer.offer(RecordDescriptor.MESSAGE, message, 0, Long.BYTES);
    }

    @Actor
    public void read(final J_Result result)
    {
        try
        {
            final int index = reader.peek();
            result.r1 = index < 0 ? -1 : reader.buffer().getLong(index);
        }
        catch (final Exception ex)
        {
            result.r1 = -2;
        }
    }
}
