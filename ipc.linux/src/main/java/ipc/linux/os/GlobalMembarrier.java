package ipc.linux.os;

import static ipc.linux.jna.Membarrier.MEMBARRIER_CMD_GLOBAL_EXPEDITED;
import static ipc.linux.jna.Membarrier.MEMBARRIER_CMD_QUERY;
import static ipc.linux.jna.Membarrier.MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED;
import static ipc.linux.jna.Membarrier.SYS_membarrier;

import java.lang.System.Logger.Level;
import java.lang.invoke.VarHandle;

import com.sun.jna.Native;
import ipc.linux.jna.LibC;
import ipc.shared.wait.ProcessBarrier;

/**
 * The process barrier on Linux: {@code membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED)}, with this process registered
 * once ({@code MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED}) the first time it is asked for. Where the kernel lacks
 * the commands (before 4.16, or a seccomp filter that refuses the call) it is not {@link #registered()}, and every
 * wake check keeps its fence.
 *
 * <p>{@code -Dipc.processBarrier=false} (read once) leaves this process unregistered: its wake checks keep their
 * fence and its waits their local fence, as before.
 */
public final class GlobalMembarrier implements ProcessBarrier
{
    private static final System.Logger LOGGER = System.getLogger(GlobalMembarrier.class.getName());

    /** Set once, when the class initialises: a process registers at most once. */
    private static final GlobalMembarrier INSTANCE = new GlobalMembarrier(
        Boolean.parseBoolean(System.getProperty("ipc.processBarrier", "true")) && register());

    private final boolean registered;

    private GlobalMembarrier(final boolean registered)
    {
        this.registered = registered;
    }

    /**
     * The process's barrier: registered if the kernel allowed it.
     *
     * @return the one instance.
     */
    public static GlobalMembarrier instance()
    {
        return INSTANCE;
    }

    @Override
    public boolean registered()
    {
        return registered;
    }

    @Override
    public void runOnAllRegistered()
    {
        if (!registered || 0 != LibC.syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0, 0, 0, 0))
        {
            // Unreachable once registered (the kernel refuses the command only before registration or without
            // support, both checked then); a local fence is the right barrier when no other process relies on us.
            VarHandle.fullFence();
        }
    }

    @Override
    public String toString()
    {
        return "GlobalMembarrier[registered=" + registered + "]";
    }

    private static boolean register()
    {
        if (SYS_membarrier < 0)
        {
            return false;
        }
        final long supported = LibC.syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0, 0, 0, 0);
        final int needed = MEMBARRIER_CMD_GLOBAL_EXPEDITED | MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED;
        if (supported < 0 || (supported & needed) != needed)
        {
            LOGGER.log(Level.DEBUG, () -> "membarrier: global expedited commands not supported: query=" + supported +
                " errno=" + Native.getLastError());
            return false;
        }
        if (0 != LibC.syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0, 0, 0, 0) ||
            0 != LibC.syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0, 0, 0, 0, 0))
        {
            final int errno = Native.getLastError();
            LOGGER.log(Level.DEBUG, () -> "membarrier: registration refused: errno=" + errno);
            return false;
        }
        return true;
    }
}
