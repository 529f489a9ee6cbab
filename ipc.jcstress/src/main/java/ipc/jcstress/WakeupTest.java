package ipc.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import ipc.shared.ring.Direction;
import ipc.shared.ring.RecordDescriptor;
import ipc.shared.ring.SpscRing;
import ipc.shared.spi.Selectable;
import ipc.shared.spi.WakeSignal;
import ipc.shared.wait.WaitProtocol;

/**
 * The heart of the wait protocol: a reader announcing sleep and re-checking the ring, against a writer publishing
 * a record and checking for a sleeper. Either the reader sees the record (and does not sleep) or the writer sees
 * the announcement (and wakes it); never neither, which would be a lost wake-up.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "reader saw the record; no wake needed")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "reader would sleep; writer woke it")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both: a harmless spare wake")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up: reader sleeps, writer did not wake it")
@State
public class WakeupTest
{
    private final SpscRing writer;
    private final SpscRing reader;
    private final WaitProtocol readerSide;
    private final WaitProtocol writerSide;
    private final ByteBuffer message = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder());

    public WakeupTest()
    {
        final ByteBuffer segment = Segments.newSegment();
        writer = new SpscRing(segment, Segments.LAYOUT, Direction.CLIENT_TO_SERVER);
        reader = new SpscRing(segment, Segments.LAYOUT, Direction.CLIENT_TO_SERVER);
        final int word = Segments.LAYOUT.readerWaitOffset(Direction.CLIENT_TO_SERVER);
        readerSide = new WaitProtocol(segment, word, NoSignal.INSTANCE);
        writerSide = new WaitProtocol(segment, word, NoSignal.INSTANCE);
    }

    @Actor
    public void reader(final II_Result result)
    {
        result.r1 = readerSide.announceAndCheck(() -> !reader.isEmpty()) ? 1 : 0;
    }

    @Actor
    public void writer(final II_Result result)
    {
        writer.offer(RecordDescriptor.MESSAGE, message, 0, Long.BYTES);
        result.r2 = writerSide.wakeIfWaiting() ? 1 : 0;
    }

    /** The OS primitive is not under test here: the decision to call it is. */
    enum NoSignal implements WakeSignal
    {
        INSTANCE;

        @Override
        public void await(final long timeoutNanos)
        {
        }

        @Override
        public void wake()
        {
        }

        @Override
        public Selectable selectable()
        {
            return null;
        }

        @Override
        public boolean drain()
        {
            return true;
        }
    }
}
