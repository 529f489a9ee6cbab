package ipc.bench;

import java.io.PrintStream;

/**
 * Entry point of the child JVMs the tool starts:
 * <pre>
 * pair   &lt;TRANSPORT&gt; server|client &lt;endpoint&gt; &lt;script&gt;
 * many   server|client &lt;name&gt;
 * </pre>
 * Children talk to the parent by lines on stdout ({@code READY}, results, {@code OK}); a failure exits non-zero
 * with the stack trace on stderr.
 */
public final class PeerMain
{
    private PeerMain()
    {
    }

    /**
     * Runs one child role.
     *
     * @param args as above.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = System.out;
        try
        {
            if ("pair".equals(args[0]))
            {
                final Transport transport = Transport.valueOf(args[1]);
                final boolean server = "server".equals(args[2]);
                final Counts counts = Counts.decodeScript(args[4]);
                try (Link link = transport.open(args[3], server, () -> line(out, "READY")))
                {
                    if (server)
                    {
                        Scenarios.server(link, counts, transport.streams);
                        line(out, "OK");
                    }
                    else
                    {
                        Scenarios.client(link, counts, transport.streams, out);
                    }
                }
            }
            else if ("many".equals(args[0]))
            {
                if ("server".equals(args[1]))
                {
                    ManyClientsPeers.server(args[2], out);
                }
                else
                {
                    ManyClientsPeers.client(args[2], out);
                }
            }
            else
            {
                throw new IllegalArgumentException("unknown role: " + String.join(" ", args));
            }
            out.flush();
            System.exit(0);
        }
        catch (final Throwable ex)
        {
            ex.printStackTrace();
            System.err.flush();
            System.exit(1);
        }
    }

    static void line(final PrintStream out, final String text)
    {
        out.println(text);
        out.flush();
    }
}
