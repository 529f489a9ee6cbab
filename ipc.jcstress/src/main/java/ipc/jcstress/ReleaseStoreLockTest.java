package ipc.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import ipc.shared.concurrent.ReleaseStoreLock;

/**
 * The send lock, given back with a release store and no fence: two threads each take it, read two plain fields and
 * write them back incremented, and give it back. Exclusion and publication together mean the second holder sees
 * both writes of the first: it reads (1, 1), never a mix or a stale (0, 0) after the first finished.
 */
@JCStressTest
@Outcome(id = "0, 2", expect = ACCEPTABLE, desc = "the first holder saw nothing, the second saw both of its writes")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "the same, the other way round")
@Outcome(expect = FORBIDDEN, desc = "overlap, or a holder that missed what the one before wrote under the lock")
@State
public class ReleaseStoreLockTest
{
    private final ReleaseStoreLock lock = new ReleaseStoreLock();
    private int x;
    private int y;

    @Actor
    public void first(final II_Result result)
    {
        result.r1 = section();
    }

    @Actor
    public void second(final II_Result result)
    {
        result.r2 = section();
    }

    /** What this holder saw: 0 if it came first, 2 if it saw both writes of the holder before it. */
    private int section()
    {
        lock.lock();
        try
        {
            final int seenX = x;
            final int seenY = y;
            x = seenX + 1;
            y = seenY + 1;
            return seenX + seenY;
        }
        finally
        {
            lock.unlock();
        }
    }
}
