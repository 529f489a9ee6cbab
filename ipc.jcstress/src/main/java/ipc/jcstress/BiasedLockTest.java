package ipc.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import ipc.shared.concurrent.BiasedLock;

/**
 * The biased send lock under revocation: the first actor takes it twice (the first time grants it the bias, the
 * second enters with plain stores), the second actor takes it once, which revokes the bias, at any point of the
 * first actor's run. Each critical section reads two plain fields and writes them back incremented: exclusion and
 * publication together leave (3, 3); anything else is an overlap or a lost update. Run with the host's process
 * barrier ({@link Barriers#HOST}; without one the lock is never biased).
 */
@JCStressTest
@Outcome(id = "3, 3", expect = ACCEPTABLE, desc = "three sections, one at a time")
@Outcome(expect = FORBIDDEN, desc = "two sections overlapped, or one missed what the one before wrote")
@State
public class BiasedLockTest
{
    private final BiasedLock lock = new BiasedLock(Barriers.HOST);
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
