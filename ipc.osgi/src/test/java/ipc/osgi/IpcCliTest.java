package ipc.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import ipc.api.IpcChannel;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcPlatform;
import ipc.api.IpcServer;
import ipc.api.IpcServerStats;
import ipc.api.IpcStats;
import ipc.api.IpcTransport;
import ipc.api.IpcUnsupportedPlatformException;

/**
 * The command line: exit codes, output, and one clear line on standard error for every failure; the transport is a
 * fake here (the real STATS request is tested in ipc.linux and in the OSGi itest).
 */
class IpcCliTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final IpcCli.TransportSource transport, final String... args)
    {
        return IpcCli.run(args, transport, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintTheStatsOfAServerAndExitZero()
    {
        assertEquals(0, run(() -> new FakeTransport(), "stats", "echo"));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("stats echo") && text.contains("accepted-connections") && text.contains("42"), text);
        assertEquals("", err());
    }

    @Test
    void shouldExitOneWithOneLineNamingTheServerWhenTheQueryFails()
    {
        assertEquals(IpcCli.FAILED, run(() -> new FakeTransport(), "stats", "nobody"));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("ipc: stats failed: IpcClosedException: no server bound: server=nobody"), err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExitOneWhenTheHostHasNoTransport()
    {
        assertEquals(IpcCli.FAILED, run(() ->
        {
            throw new IpcUnsupportedPlatformException("no IPC backend for os.name=Plan9");
        }, "stats", "echo"));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().contains("os.name=Plan9"), err());
    }

    @Test
    void shouldExitTwoOnACommandLineItDoesNotUnderstand()
    {
        final String[][] wrong = {{}, {"stat", "echo"}, {"stats"}, {"stats", "a", "b"}, {"list", "x"}, {"ping"},
            {"ping", "echo", "many"}, {"ping", "a", "1", "2"}, {"ping", "echo", "0"}, {"ping", "echo", "2000000"}};
        for (final String[] args : wrong)
        {
            err.reset();
            assertEquals(IpcCli.USAGE, run(() -> new FakeTransport(), args), String.join(" ", args));
            assertEquals(1, err().lines().count(), err());
            assertTrue(err().contains("usage:") || err().contains("COUNT"), err());
        }
    }

    @Test
    void shouldReportAPingFailureOnOneLine()
    {
        assertEquals(IpcCli.FAILED, run(() -> new FakeTransport(), "ping", "nobody", "3"));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("ipc: ping failed: ") && err().contains("server=nobody"), err());
    }

    /** Serves "echo" only, to stats. */
    private static final class FakeTransport implements IpcTransport
    {
        @Override
        public IpcPlatform platform()
        {
            return IpcPlatform.LINUX;
        }

        @Override
        public IpcServer bind(final String name, final IpcOptions options)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public IpcChannel connect(final String name, final IpcOptions options) throws IpcException
        {
            throw new IpcClosedException("no server bound: server=" + name);
        }

        @Override
        public IpcServerStats stats(final String name, final Duration timeout) throws IpcException
        {
            if (!"echo".equals(name))
            {
                throw new IpcClosedException("no server bound: server=" + name);
            }
            return new IpcServerStats(1, 42, 0, IpcStats.ZERO);
        }
    }
}
