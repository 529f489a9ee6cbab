package ipc.shared.wait;

import java.lang.invoke.VarHandle;

/**
 * A memory barrier run on other threads, processes included: the slow half of an asymmetric Dekker pair. It lets a
 * wake check skip its fence, which on the channel's hot path costs more than the rest of a small message's publish.
 *
 * <h2>The pair</h2>
 * A waker publishes (stores), then reads the wait word; a waiter announces sleep in the wait word (stores), then
 * checks the ring. Each side needs its store ordered before its load, or both can miss the other and the waiter
 * sleeps through a message. {@link WaitProtocol} orders both with a full fence. With a process barrier the waiter
 * runs {@link #runOnAllRegistered()} between its announcement and its check instead, and a waker in a
 * {@link #registered()} process keeps only the compiler's order: the barrier makes every registered thread that is
 * running pass a full fence at some instant during the call, so either the waker's load came after that instant
 * (and reads the announcement) or its store was visible by then (and the waiter's check sees it). A waker that is
 * not running when the barrier runs went through the scheduler, which fences. This is the pairing that Linux's
 * {@code membarrier(2)} describes: a compiler barrier on the fast side, the system call on the slow side.
 *
 * <h2>Costs</h2>
 * The fast side saves a fence per publish (on the 2-vCPU AMD VM: 64-byte streams 0.38 to 0.54 of Aeron's rate);
 * every sleep pays the call: about 0.4 µs with no registered thread running elsewhere, about 10 µs when one is
 * (an inter-processor interrupt, which also costs the interrupted thread a few microseconds). A waiter only sleeps
 * after its spin window, so the call stays off a message's path; a dispatcher that arms many connections one by one
 * would pay it per connection, and so keeps the fence.
 */
public interface ProcessBarrier
{
    /** No process barrier: wakers keep their fence, and {@link #runOnAllRegistered()} is a local fence. */
    ProcessBarrier NONE = new ProcessBarrier()
    {
        @Override
        public boolean registered()
        {
            return false;
        }

        @Override
        public void runOnAllRegistered()
        {
            VarHandle.fullFence();
        }

        @Override
        public String toString()
        {
            return "ProcessBarrier.NONE";
        }
    };

    /**
     * Whether this process takes part: every barrier run by any process reaches this process's running threads, so
     * they may publish without a fence to a waiter that runs the barrier before its check.
     *
     * @return {@code true} once registered; never changes afterwards.
     */
    boolean registered();

    /**
     * Runs a full memory barrier on this thread and on every running thread of every registered process, and
     * returns once they all passed it. Any thread, any time; it never fails once {@link #registered()} said yes.
     */
    void runOnAllRegistered();
}
