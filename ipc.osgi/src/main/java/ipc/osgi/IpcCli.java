package ipc.osgi;

import java.io.PrintStream;

import ipc.api.IpcException;
import ipc.api.IpcTransport;

/**
 * The {@code ipc:*} shell commands as a plain command line, outside any framework:
 * {@code java -jar ipc-cli.jar list | ping NAME [COUNT] | stats NAME}. Prints what the shell command prints and exits
 * 0; on any failure prints one line naming the command and the cause to standard error and exits 1 (2 for a usage
 * error).
 */
public final class IpcCli
{
    /** Exit code of a command that failed. */
    static final int FAILED = 1;
    /** Exit code of a command line that is not understood. */
    static final int USAGE = 2;

    private static final String USAGE_TEXT = "usage: java -jar ipc-cli.jar list | ping NAME [COUNT] | stats NAME";

    /** Where the transport comes from: the host's, or a test's. */
    @FunctionalInterface
    interface TransportSource
    {
        /**
         * The transport.
         *
         * @return the transport.
         * @throws IpcException if there is none for this host.
         */
        IpcTransport get() throws IpcException;
    }

    private IpcCli()
    {
    }

    /**
     * Runs one command with the host's transport and exits with its code.
     *
     * @param args the command and its arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, IpcTransport::forHost, System.out, System.err));
    }

    /**
     * Runs one command.
     *
     * @param args      the command and its arguments.
     * @param transport the transport, looked up only for a command that needs it.
     * @param out       where the command's output goes.
     * @param err       where the one line of a failure goes.
     * @return the exit code: 0, {@link #FAILED} or {@link #USAGE}.
     */
    static int run(final String[] args, final TransportSource transport, final PrintStream out,
        final PrintStream err)
    {
        if (args.length == 0)
        {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        final String command = args[0];
        final int expected = "list".equals(command) ? 1 : "stats".equals(command) ? 2 : "ping".equals(command) ? -1 : 0;
        if (expected == 0 || (expected > 0 && args.length != expected) ||
            (expected < 0 && (args.length < 2 || args.length > 3)))
        {
            err.println("ipc: not a command line: " + String.join(" ", args) + "; " + USAGE_TEXT);
            return USAGE;
        }
        final int count;
        try
        {
            count = args.length == 3 ? Integer.parseInt(args[2]) : IpcCommands.DEFAULT_PING_COUNT;
        }
        catch (final NumberFormatException ex)
        {
            err.println("ipc: ping: COUNT is not a number: count=" + args[2]);
            return USAGE;
        }
        if (count < 1 || count > IpcCommands.MAX_PING_COUNT)
        {
            err.println("ipc: ping: COUNT must be in [1, " + IpcCommands.MAX_PING_COUNT + "]: count=" + count);
            return USAGE;
        }
        try
        {
            final IpcCommands commands = new IpcCommands(transport.get());
            final String text;
            if ("list".equals(command))
            {
                text = commands.list();
            }
            else if ("ping".equals(command))
            {
                text = commands.ping(args[1], count);
            }
            else
            {
                text = commands.stats(args[1]);
            }
            out.print(text.endsWith(System.lineSeparator()) ? text : text + System.lineSeparator());
            out.flush();
            return 0;
        }
        catch (final IpcException | java.io.IOException | RuntimeException ex)
        {
            err.println("ipc: " + command + " failed: " + oneLine(ex));
            return FAILED;
        }
    }

    private static String oneLine(final Exception ex)
    {
        final String message = null == ex.getMessage() ? ex.getClass().getSimpleName() :
            ex.getClass().getSimpleName() + ": " + ex.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
