package ipc.windows;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcException;
import ipc.api.IpcPeer;
import ipc.api.IpcProtocolException;
import ipc.shared.spi.ControlChannel;
import ipc.shared.spi.ReceivedHandles;
import ipc.windows.os.Handles;
import ipc.windows.os.NamedPipes;
import ipc.windows.os.PipeReader;
import ipc.windows.os.ProcessTokens;
import ipc.windows.os.Timeouts;
import ipc.windows.os.WindowsErrors;

/**
 * One end of a connected control pipe (byte mode, overlapped), carrying {@link Envelope}s: the handshake frames,
 * then nothing but the broken pipe when the peer closes or dies. A read is always pending, so a completion port
 * or the read's event reports bytes and death alike.
 *
 * <h2>Handles</h2>
 * Only the server sends handles: it holds a handle of the client's process ({@code PROCESS_DUP_HANDLE}, opened
 * when the pipe connected, after checking that the client runs as the server's user) and {@link #send} duplicates
 * each handle into that process and writes the new values into the envelope; if the write fails, the duplicates
 * are closed in the client again. The client takes the values it receives as its own: it checked before any frame
 * that the server runs as its own user, a process that could do anything to it anyway. A server never accepts
 * handle values: they could name any of its own handles, and closing them would hit other connections.
 */
final class WindowsControlChannel implements ControlChannel, PortSelectable
{
    /** How long a handshake frame may take to be taken by the peer. */
    private static final int SEND_STALL_MILLIS = 1_000;
    private static final int READ_CAPACITY = 512;

    private final long pipe;
    private final boolean serverSide;
    private final long peerPid;
    private final long peerProcess;
    private final IpcException identityError;
    private final PipeReader reader;
    private final Envelope envelopes = new Envelope();
    private final PortLink link = new PortLink();
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean ended;

    private WindowsControlChannel(final long pipe, final boolean serverSide, final long peerPid,
        final long peerProcess, final IpcException identityError) throws IpcException
    {
        this.pipe = pipe;
        this.serverSide = serverSide;
        this.peerPid = peerPid;
        this.peerProcess = peerProcess;
        this.identityError = identityError;
        this.reader = new PipeReader(pipe, READ_CAPACITY);
        this.reader.post();
    }

    /**
     * Server side: a pipe instance a client just connected to. Identifies the client: its pid, its process (kept
     * for duplicating handles into it) and its token's user, which must be the server's. A client of another user
     * yields a channel whose {@link #peer()} throws {@link IpcAccessDeniedException}, so the shared server counts
     * and closes it. Takes ownership of the pipe.
     *
     * @param port the multiplexer whose completion port the listener associated the pipe with, or {@code null}.
     * @throws ipc.api.IpcPeerClosedException if the client already left (the pipe is closed).
     */
    static WindowsControlChannel accepted(final long pipe, final String serverSid, final WindowsMultiplexer port)
        throws IpcException
    {
        long process = Handles.NULL;
        try
        {
            final long pid = NamedPipes.clientProcessId(pipe);
            IpcException refusal = null;
            try
            {
                process = Handles.openProcess(WinNT.PROCESS_QUERY_LIMITED_INFORMATION |
                    WinNT.PROCESS_DUP_HANDLE, pid);
                // The pipe is still connected, so the client has not exited: the pid was not reused for another
                // process between GetNamedPipeClientProcessId and OpenProcess.
                NamedPipes.checkConnected(pipe);
                final String clientSid = ProcessTokens.userSid(process);
                if (!clientSid.equals(serverSid))
                {
                    refusal = new IpcAccessDeniedException("client runs as another user: clientSid=" + clientSid +
                        " serverSid=" + serverSid + " pid=" + pid);
                }
            }
            catch (final IpcAccessDeniedException ex)
            {
                refusal = new IpcAccessDeniedException("cannot identify client (another user, or elevated?): pid=" +
                    pid + " " + ex.getMessage(), ex);
            }
            if (null != refusal)
            {
                Handles.closeQuietly(process);
                process = Handles.NULL;
            }
            final WindowsControlChannel channel = new WindowsControlChannel(pipe, true, pid, process, refusal);
            channel.link.inherit(port);
            return channel;
        }
        catch (final IpcException | RuntimeException ex)
        {
            Handles.closeQuietly(process);
            Handles.closeQuietly(pipe);
            throw ex;
        }
    }

    /**
     * Client side: a pipe we opened. Checks before anything is read that the server process runs as our user.
     * Takes ownership of the pipe.
     *
     * @throws IpcAccessDeniedException if the server runs as another user or cannot be identified.
     */
    static WindowsControlChannel connected(final long pipe, final String clientSid, final String name)
        throws IpcException
    {
        try
        {
            final long pid = NamedPipes.serverProcessId(pipe);
            final long process;
            try
            {
                process = Handles.openProcess(WinNT.PROCESS_QUERY_LIMITED_INFORMATION, pid);
            }
            catch (final IpcAccessDeniedException ex)
            {
                throw new IpcAccessDeniedException("cannot identify server (another user, a service, or elevated?): " +
                    "server=" + name + " pid=" + pid + " " + ex.getMessage(), ex);
            }
            final String serverSid;
            try
            {
                NamedPipes.checkConnected(pipe);
                serverSid = ProcessTokens.userSid(process);
            }
            finally
            {
                Handles.closeQuietly(process);
            }
            if (!serverSid.equals(clientSid))
            {
                throw new IpcAccessDeniedException("server runs as another user: server=" + name + " serverSid=" +
                    serverSid + " clientSid=" + clientSid + " pid=" + pid);
            }
            return new WindowsControlChannel(pipe, false, pid, Handles.NULL, null);
        }
        catch (final IpcException | RuntimeException ex)
        {
            Handles.closeQuietly(pipe);
            throw ex;
        }
    }

    @Override
    public void send(final ByteBuffer frame, final long[] handles) throws IpcException
    {
        if (handles.length > 0 && (!serverSide || peerProcess == Handles.NULL))
        {
            throw new IpcException("handles can only be sent by the server to an identified client: handles=" +
                handles.length + " serverSide=" + serverSide);
        }
        final long[] remote = new long[handles.length];
        int duplicated = 0;
        try
        {
            for (; duplicated < handles.length; duplicated++)
            {
                remote[duplicated] = Handles.duplicateInto(peerProcess, handles[duplicated]);
            }
            NamedPipes.write(pipe, Envelope.encode(frame, remote), SEND_STALL_MILLIS);
        }
        catch (final IpcException | RuntimeException ex)
        {
            for (int i = 0; i < duplicated; i++)
            {
                Handles.closeInProcess(peerProcess, remote[i]);
            }
            throw ex;
        }
    }

    @Override
    public int receive(final ByteBuffer dst, final ReceivedHandles handles) throws IpcException
    {
        if (ended)
        {
            return -1;
        }
        int delivered = 0;
        while (dst.hasRemaining())
        {
            if (!reader.isReady())
            {
                return delivered;
            }
            final int error = reader.error();
            if (error != 0)
            {
                ended = true;
                if (!WindowsErrors.isPeerGone(error) && error != WinError.ERROR_OPERATION_ABORTED)
                {
                    throw WindowsErrors.exception("ReadFile", error, "pipe=" + pipe);
                }
                return delivered > 0 ? delivered : -1;
            }
            final ByteBuffer src = reader.bytes();
            final int before = src.position();
            final int n = envelopes.read(src, dst, values -> acceptHandles(values, handles));
            delivered += n;
            final boolean completeAtOnce = reader.consume(src.position() - before);
            if (completeAtOnce)
            {
                link.hint(reader.overlapped());
            }
            if (src.position() == before && n == 0)
            {
                // An empty read: let the next select report the next one.
                return delivered;
            }
        }
        return delivered;
    }

    private void acceptHandles(final long[] values, final ReceivedHandles handles) throws IpcException
    {
        if (serverSide)
        {
            // Never closed: a client's values could name any of this process's handles.
            throw new IpcProtocolException("client sent handles: count=" + values.length + " peerPid=" + peerPid);
        }
        int refused = 0;
        for (final long value : values)
        {
            if (handles.remaining() > 0)
            {
                handles.add(value);
            }
            else
            {
                Handles.closeQuietly(value);
                refused++;
            }
        }
        if (refused > 0)
        {
            throw new IpcProtocolException("server sent more handles than expected: extra=" + refused + " peerPid=" +
                peerPid);
        }
    }

    @Override
    public boolean awaitReadable(final long timeoutNanos) throws IpcException
    {
        return ended || reader.await(Timeouts.toMillisNotInfinite(timeoutNanos));
    }

    @Override
    public IpcPeer peer() throws IpcException
    {
        if (null != identityError)
        {
            throw identityError;
        }
        return new IpcPeer(peerPid, IpcPeer.UNKNOWN);
    }

    @Override
    public long selectHandle()
    {
        return pipe;
    }

    @Override
    public void attach(final WindowsMultiplexer multiplexer) throws IpcException
    {
        if (link.attach(multiplexer, pipe) && reader.restart())
        {
            link.hint(reader.overlapped());
        }
    }

    @Override
    public void detach()
    {
        link.detach();
    }

    @Override
    public long overlapped()
    {
        return reader.overlapped();
    }

    @Override
    public boolean isReady()
    {
        return ended || reader.isReady();
    }

    @Override
    public boolean isHungUp()
    {
        return ended || WindowsErrors.isPeerGone(reader.error());
    }

    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            link.detach();
            reader.close();
            Handles.closeQuietly(pipe);
            Handles.closeQuietly(peerProcess);
        }
    }

    @Override
    public String toString()
    {
        return "named-pipe{handle=" + pipe + " peerPid=" + peerPid + (serverSide ? " server" : " client") + "}";
    }
}
