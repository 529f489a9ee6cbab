package ipc.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import ipc.shared.concurrent.BiasedLock;

/**
 * The fault {@link QueueHandOverTest} guards against, shown (as interesting, so that it never fails a build): the
 * same hand-over with a barrier that runs nothing and no fence on the sender's side.
 *
 * <p>The hand-over of a served channel's queue between a sender and the dispatcher ({@code ChannelOutbound}): the
 * sender gives the send lock back (a release store, no fence) and then looks at the queue; the dispatcher queues (a
 * volatile write) and then asks {@link BiasedLock#isLockedSeeingWhatCameBefore()} whether it may leave the queue to
 * the lock's holder. The outcome where the sender saw no queue (r1 = 0) while the dispatcher left it to the sender
 * (r2 = 1) would leave the queue unwritten. Run with the host's process barrier; where there is none the sender
 * fences after its unlock, as the channel's does.
 */
@JCStressTest
@Outcome(id = {"1, 0", "1, 1", "0, 0", "-1, 0"}, expect = ACCEPTABLE, desc = "someone writes the queue")
@Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING,
    desc = "what the barrier prevents: the sender missed the queue and the dispatcher left it to it")
@State
public class QueueHandOverWithoutBarrierTest
{
    private final BiasedLock lock = new BiasedLock(Barriers.NOTHING);
    private volatile int pending;

    @Actor
    public void sender(final II_Result result)
    {
        if (!lock.tryLock())
        {
            result.r1 = -1;
            return;
        }
        lock.unlock();
        result.r1 = pending;
    }

    @Actor
    public void dispatcher(final II_Result result)
    {
        pending = 1;
        result.r2 = lock.isLockedSeeingWhatCameBefore() ? 1 : 0;
    }
}
