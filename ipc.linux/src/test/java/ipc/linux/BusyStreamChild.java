package ipc.linux;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcStats;

/**
 * The child JVM of {@link IdleCostTest}: connects, streams {@code warm-up} messages to let the JIT settle, then
 * marks the measured window with two writes to standard output ({@code BEGIN}, {@code END <counters>}) around
 * {@code count} 64-byte messages, all from one thread whose kernel thread id it prints first.
 */
public final class BusyStreamChild
{
    private BusyStreamChild()
    {
    }

    /**
     * Arguments: server name, warm-up messages, measured messages.
     *
     * @throws Exception to fail the child (non-zero exit).
     */
    public static void main(final String[] args) throws Exception
    {
        final String name = args[0];
        final int warmUp = Integer.parseInt(args[1]);
        final int count = Integer.parseInt(args[2]);
        final int tid = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        try (IpcChannel channel = new LinuxTransport().connect(name, IpcOptions.defaults()))
        {
            final ByteBuffer message = ByteBuffer.allocateDirect(64);
            for (int i = 0; i < warmUp; i++)
            {
                message.clear().putLong(0, i);
                channel.send(message);
            }
            System.out.println("TID " + tid);
            final IpcStats before = channel.stats();
            System.out.println("BEGIN");
            for (int i = 0; i < count; i++)
            {
                message.clear().putLong(0, warmUp + i);
                channel.send(message);
            }
            final IpcStats after = channel.stats();
            System.out.println("END wakeupsSent=" + (after.wakeupsSent() - before.wakeupsSent()) + " parks=" +
                (after.parks() - before.parks()) + " fullRingWaits=" + (after.fullRingWaits() - before.fullRingWaits()));
            // Wait for the parent's "done", so our close cannot race its last receives.
            channel.receive(java.time.Duration.ofSeconds(60));
        }
    }
}
