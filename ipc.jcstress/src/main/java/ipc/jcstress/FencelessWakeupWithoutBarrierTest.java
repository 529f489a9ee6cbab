package ipc.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

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
import ipc.shared.wait.WaitProtocol;

/**
 * The fault {@link FencelessWakeupTest} guards against: a writer that checks the word without a fence, paired with
 * a reader that runs no process barrier (only the fence of its announcing store). The writer's publish can then
 * still sit in its store buffer while it reads the word, and both miss each other: "0, 0" is the lost wake-up,
 * which jcstress observes here on x86 (reported as interesting, so that this demonstration never fails a build).
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "reader saw the record; no wake needed")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "reader would sleep; writer woke it")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both: a harmless spare wake")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "lost wake-up: what the process barrier prevents")
@State
public class FencelessWakeupWithoutBarrierTest
{
    private final SpscRing writer;
    private final SpscRing reader;
    private final WaitProtocol readerSide;
    private final WaitProtocol writerSide;
    private final ByteBuffer message = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder());

    public FencelessWakeupWithoutBarrierTest()
    {
        final ByteBuffer segment = Segments.newSegment();
        writer = new SpscRing(segment, Segments.LAYOUT, Direction.CLIENT_TO_SERVER);
        reader = new SpscRing(segment, Segments.LAYOUT, Direction.CLIENT_TO_SERVER);
        final int word = Segments.LAYOUT.readerWaitOffset(Direction.CLIENT_TO_SERVER);
        readerSide = new WaitProtocol(segment, word, WakeupTest.NoSignal.INSTANCE, null, Barriers.NOTHING);
        writerSide = new WaitProtocol(segment, word, WakeupTest.NoSignal.INSTANCE);
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
        result.r2 = writerSide.wakeIfWaiting(false) ? 1 : 0;
    }
}
