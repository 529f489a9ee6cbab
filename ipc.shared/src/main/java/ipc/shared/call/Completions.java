package ipc.shared.call;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Runs completions on the configured executor, or on the current thread when there is none. */
final class Completions
{
    private static final Logger LOGGER = System.getLogger(Completions.class.getName());

    private Completions()
    {
    }

    /**
     * Runs a completion. An executor that refuses it (shut down), or fails to take it in any other way, makes it run
     * here, so no caller waits forever; whatever the completion throws, an {@link Error} included (a subscriber's
     * failed assertion), is logged and never let through to the reading thread, which serves other calls and, on a
     * shared dispatcher, other clients.
     */
    static void run(final Executor executor, final Runnable completion)
    {
        if (null != executor)
        {
            try
            {
                executor.execute(completion);
                return;
            }
            catch (final RejectedExecutionException ex)
            {
                LOGGER.log(Level.DEBUG, "completion executor refused a completion; running it on this thread");
            }
            catch (final RuntimeException ex)
            {
                LOGGER.log(Level.WARNING, "completion executor failed; running the completion on this thread", ex);
            }
        }
        try
        {
            completion.run();
        }
        catch (final RuntimeException | Error ex)
        {
            LOGGER.log(Level.WARNING, "a call completion threw", ex);
        }
    }
}
