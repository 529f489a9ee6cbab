package ipc.bench;

import java.io.PrintStream;

/**
 * Entry point of the child JVMs the tool starts:
 * <pre>
 * pair   &lt;TRANSPORT&gt; server|client &lt;endpoint&gt;     (accept-mode pairs, {@link PairPeers})
 * serve  &lt;TRANSPORT&gt; server|client &lt;endpoint&gt;     (serve-mode echo servers, {@link ServePeers}, and their clients)
 * many   server &lt;name&gt; | nio &lt;path&gt; | client &lt;name&gt; &lt;path&gt;   ({@link ManyClientsPeers})
 * calls  &lt;name&gt; &lt;socket path&gt;                    (the request/reply rows' servers, {@link CallsBench})
 * </pre>
 * Children take commands on stdin and answer by lines on stdout ({@code READY}, results); a failure exits non-zero
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
            if ("pair".equals(args[0]) || "serve".equals(args[0]))
            {
                final Transport transport = Transport.valueOf(args[1]);
                if ("client".equals(args[2]))
                {
                    PairPeers.client(transport, args[3], out);
                }
                else if ("pair".equals(args[0]))
                {
                    PairPeers.server(transport, args[3], out);
                }
                else
                {
                    ServePeers.server(transport, args[3], out);
                }
            }
            else if ("calls".equals(args[0]))
            {
                CallsBench.server(args[1], args[2], out);
            }
            else if ("many".equals(args[0]))
            {
                if ("server".equals(args[1]))
                {
                    ManyClientsPeers.server(args[2], out);
                }
                else if ("nio".equals(args[1]))
                {
                    ManyClientsPeers.nioServer(args[2], out);
                }
                else
                {
                    ManyClientsPeers.client(args[2], args[3], out);
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
