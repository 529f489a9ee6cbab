package ipc.windows;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.WinNT;

import ipc.api.IpcChannel;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.windows.os.Handles;
import ipc.windows.os.NamedPipes;
import ipc.windows.os.ProcessTokens;

/**
 * The process {@link OtherUserRefusalTest} runs as another Windows user. It writes, to the file named by its first
 * argument (a process started with {@code CreateProcessWithLogonW} has no pipe to its parent), one line each:
 * <ul>
 *   <li>{@code USER sid=<its user SID>};</li>
 *   <li>{@code CONNECT OK} or {@code CONNECT <exception> <message>}: {@code connect(name)} as a client would, which
 *       looks for the server under its own user's pipe names;</li>
 *   <li>{@code OPEN OK} or {@code OPEN error=<GetLastError>}: the server's own pipe, opened by its full name as our
 *       clients open it, which only the pipe's DACL can refuse.</li>
 * </ul>
 * It exits 0 once the lines are written, 2 if it could not write them.
 */
public final class OtherUserClientMain
{
    private OtherUserClientMain()
    {
    }

    /**
     * Runs the probe.
     *
     * @param args the output file, the server's name, the server's full pipe name.
     */
    public static void main(final String[] args)
    {
        try (PrintStream out = new PrintStream(new FileOutputStream(args[0]), true, StandardCharsets.UTF_8))
        {
            System.setOut(out);
            System.setErr(out);
            out.println("USER sid=" + sidOrFailure());
            out.println("CONNECT " + connect(args[1]));
            out.println("OPEN " + open(args[2]));
        }
        catch (final java.io.IOException ex)
        {
            System.exit(2);
        }
        System.exit(0);
    }

    private static String sidOrFailure()
    {
        try
        {
            return ProcessTokens.currentUserSid();
        }
        catch (final IpcException ex)
        {
            return "unknown " + ex.getMessage();
        }
    }

    private static String connect(final String name)
    {
        final WindowsTransport transport = new WindowsTransport();
        try (IpcChannel channel = transport.connect(name, IpcOptions.defaults()))
        {
            return "OK peerPid=" + channel.peer().pid();
        }
        catch (final IpcException ex)
        {
            return ex.getClass().getSimpleName() + " " + ex.getMessage();
        }
        finally
        {
            transport.deactivate();
        }
    }

    private static String open(final String pipe)
    {
        final long handle = NamedPipes.openClient(pipe, WinNT.GENERIC_READ | WinNT.GENERIC_WRITE, true);
        if (handle == Handles.INVALID)
        {
            return "error=" + Native.getLastError();
        }
        Handles.closeQuietly(handle);
        return "OK";
    }
}
