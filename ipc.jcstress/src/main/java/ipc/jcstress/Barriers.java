package ipc.jcstress;

import ipc.shared.wait.ProcessBarrier;

/** The process barriers these tests pair with: the host's, and a broken one that shows what the barrier prevents. */
final class Barriers
{
    /** membarrier(2) on Linux; elsewhere none (then wakers fence and locks are never biased, as in the channel). */
    static final ProcessBarrier HOST = System.getProperty("os.name", "").startsWith("Linux") ?
        ipc.linux.os.GlobalMembarrier.instance() : ProcessBarrier.NONE;

    /** Claims registration and runs nothing: the broken pairing. */
    static final ProcessBarrier NOTHING = new ProcessBarrier()
    {
        @Override
        public boolean registered()
        {
            return true;
        }

        @Override
        public void runOnAllRegistered()
        {
        }
    };

    private Barriers()
    {
    }
}
