package ipc.linux.os;

import static ipc.linux.jna.Socket.AF_UNIX;
import static ipc.linux.jna.Socket.MSG_DONTWAIT;
import static ipc.linux.jna.Socket.MSG_NOSIGNAL;
import static ipc.linux.jna.Socket.SOCK_CLOEXEC;
import static ipc.linux.jna.Socket.SOCK_NONBLOCK;
import static ipc.linux.jna.Socket.SOCK_STREAM;

import com.sun.jna.Native;
import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.LibC;

/**
 * A doorbell between two processes that neither can jam for the other: a Unix stream socketpair whose
 * {@linkplain #READER reader end} stays with the process that waits and whose {@linkplain #RINGER ringer end} is
 * sent to the peer. Each end is its own open file description, so the peer can change the file status flags of its
 * end ({@code O_NONBLOCK}) without touching the reader's; and both directions use {@code MSG_DONTWAIT}, which
 * ignores those flags anyway. The reader end is readable while a ring is pending, and for ever once the ringer end is
 * closed (end of stream): {@link #drain} reports that as {@link #CLOSED}.
 *
 * <p>Neither {@link #ring} nor {@link #drain} allocates: the bytes go through a per-thread native buffer. A drain does
 * bounded work whatever the peer wrote: at most {@link #DRAIN_READS} reads of {@link #DRAIN_CHUNK} bytes; a flood
 * stays readable and is drained a chunk at a time by later calls.
 */
public final class Doorbell
{
    /** Index of the reader end in the array {@link #create()} returns. */
    public static final int READER = 0;
    /** Index of the ringer end in the array {@link #create()} returns. */
    public static final int RINGER = 1;
    /** Bytes one read of {@link #drain} takes at most. */
    public static final int DRAIN_CHUNK = 256;
    /** Reads one {@link #drain} makes at most. */
    public static final int DRAIN_READS = 4;
    /** {@link #drain}: the ringer end is closed (or shut down) and no ring was pending. */
    public static final int CLOSED = -1;

    private static final long RING_LENGTH = 1L;

    private Doorbell()
    {
    }

    /**
     * Creates a doorbell: {@code socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC)}.
     *
     * @return the two ends, at {@link #READER} and {@link #RINGER}, owned by the caller.
     * @throws IpcException when the kernel refuses (e.g. {@code EMFILE}).
     */
    public static int[] create() throws IpcException
    {
        final int[] ends = new int[2];
        if (LibC.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, ends) < 0)
        {
            throw LinuxErrors.exception("socketpair", Native.getLastError(), "domain=AF_UNIX");
        }
        return ends;
    }

    /**
     * Rings: sends one byte on the ringer end ({@code MSG_DONTWAIT | MSG_NOSIGNAL}), never blocking. A full socket
     * buffer ({@code EAGAIN}) means rings are already pending; a reader end that is gone ({@code EPIPE},
     * {@code ECONNRESET}) means nobody is left to wake: neither is an error.
     *
     * @param fd the ringer end.
     * @return {@code true} if the byte went out, {@code false} if rings were pending or the reader is gone.
     * @throws IpcException when {@code send} fails otherwise (e.g. {@code EBADF}, {@code ENOTSOCK}).
     */
    public static boolean ring(final int fd) throws IpcException
    {
        final NativeScratch scratch = NativeScratch.get();
        scratch.buffer.put(NativeScratch.DOORBELL, (byte)1);
        while (LibC.send(fd, scratch.address + NativeScratch.DOORBELL, RING_LENGTH, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
        {
            final int errno = Native.getLastError();
            if (errno == Errno.EAGAIN || errno == Errno.EPIPE || errno == Errno.ECONNRESET)
            {
                return false;
            }
            if (errno != Errno.EINTR)
            {
                throw LinuxErrors.exception("send", errno, "doorbell=" + fd);
            }
        }
        return true;
    }

    /**
     * Consumes pending rings on the reader end ({@code recv} with {@code MSG_DONTWAIT}): at most
     * {@link #DRAIN_READS} reads of {@link #DRAIN_CHUNK} bytes, stopping at the first short read.
     *
     * @param fd the reader end.
     * @return the bytes consumed (0 if no ring was pending), or {@link #CLOSED} if the ringer end is closed or shut
     *         down and nothing was pending. Rings that came before a close are reported first, as bytes; the next
     *         call reports the close.
     * @throws IpcException when {@code recv} fails otherwise (e.g. {@code EBADF}).
     */
    public static int drain(final int fd) throws IpcException
    {
        final long buffer = NativeScratch.get().address + NativeScratch.DOORBELL;
        int consumed = 0;
        for (int i = 0; i < DRAIN_READS; i++)
        {
            final long received = LibC.recv(fd, buffer, DRAIN_CHUNK, MSG_DONTWAIT);
            if (received > 0)
            {
                consumed += (int)received;
                if (received < DRAIN_CHUNK)
                {
                    return consumed;
                }
                continue;
            }
            if (received == 0)
            {
                return consumed > 0 ? consumed : CLOSED;
            }
            final int errno = Native.getLastError();
            if (errno == Errno.EAGAIN)
            {
                return consumed;
            }
            if (errno == Errno.ECONNRESET)
            {
                return consumed > 0 ? consumed : CLOSED;
            }
            if (errno != Errno.EINTR)
            {
                throw LinuxErrors.exception("recv", errno, "doorbell=" + fd);
            }
        }
        return consumed;
    }
}
