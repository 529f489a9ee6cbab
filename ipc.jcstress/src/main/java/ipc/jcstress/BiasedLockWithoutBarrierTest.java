package ipc.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import ipc.shared.concurrent.BiasedLock;

/**
 * The fault {@link BiasedLockTest} guards against: the same revocation with a barrier that runs nothing. The biased
 * thread's plain entry can still sit in its store buffer while the revoker reads it as outside, and both run their
 * sections at once (an outcome below three, reported as interesting, so that this demonstration never fails a build).
 */
@JCStressTest
@Outcome(id = "3, 3", expect = ACCEPTABLE, desc = "three sections, one at a time")
@Outcome(expect = ACCEPTABLE_INTERESTING, desc = "two sections overlapped: what the barrier prevents")
@State
public class BiasedLockWithoutBarrierTest
{
    private final BiasedLock lock = new BiasedLock(Barriers.NOTHING);
    private int x;
    private int y;

    @Actor
    public void biased()
    {
        section();
        section();
    }

    @Actor
    public void revoker()
    {
        section();
    }

    @Arbiter
    public void arbiter(final II_Result result)
    {
        result.r1 = x;
        result.r2 = y;
    }

    private void section()
    {
        try
        {
            if (!lock.tryLock(Long.MAX_VALUE))
            {
                throw new IllegalStateException("not locked");
            }
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
        try
        {
            final int a = x;
            final int b = y;
            x = a + 1;
            y = b + 1;
        }
        finally
        {
            lock.unlock();
        }
    }
}
