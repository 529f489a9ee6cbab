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
import ipc.shared.wait.WaitProtocol;

/**
 * {@link WakeupTest} with the process barrier: the reader runs it between its announcement and its check, and the
 * writer, its process registered, checks the word without a fence. Still never a lost wake-up. Where the host has
 * no barrier ({@link Barriers#HOST} not registered) the writer keeps its fence, as the channel does.
 * {@link FencelessWakeupWithoutBarrierTest} shows what the barrier prevents.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "reader saw the record; no wake needed")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "reader would sleep; writer woke it")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both: a harmless spare wake")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "lost wake-up: reader sleeps, writer did not wake it")
@State
public class FencelessWakeupTest
{
    private final SpscRing writer;
    private final SpscRing reader;
    private final WaitProtocol readerSide;
    private final WaitProtocol writerSide;
    private final ByteBuffer message = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.nativeOrder());

    public FencelessWakeupTest()
    {
        final ByteBuffer segment = Segments.newSegment();
        writer = new SpscRing(segment, Segments.LAYOUT, Direction.CLIENT_TO_SERVER);
        reader = new SpscRing(segment, Segments.LAYOUT, Direction.CLIENT_TO_SERVER);
        final int word = Segments.LAYOUT.readerWaitOffset(Direction.CLIENT_TO_SERVER);
        readerSide = new WaitProtocol(segment, word, WakeupTest.NoSignal.INSTANCE, null, Barriers.HOST);
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
        result.r2 = writerSide.wakeIfWaiting(!Barriers.HOST.registered()) ? 1 : 0;
    }
}
