package ipc.api;

/**
 * What a thread does while it waits for a message, or for room in a full ring.
 */
public enum IdleStrategy
{
    /**
     * Spin on the shared memory until the deadline, never entering the kernel: lowest latency, one busy core
     * per waiting thread.
     */
    BUSY_SPIN,

    /**
     * Spin for {@link IpcOptions#spinDuration()}, then announce sleep and block on the operating system's wake
     * primitive. A busy stream makes no system call; an idle connection costs no CPU. The default.
     */
    SPIN_THEN_PARK,

    /**
     * Block on the operating system's wake primitive at once: least CPU, a kernel wake-up per idle hand-off.
     */
    PARK
}
