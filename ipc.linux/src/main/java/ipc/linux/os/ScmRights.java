package ipc.linux.os;

import static ipc.linux.jna.Socket.CMSGHDR_LEN_OFFSET;
import static ipc.linux.jna.Socket.CMSGHDR_LEVEL_OFFSET;
import static ipc.linux.jna.Socket.CMSGHDR_TYPE_OFFSET;
import static ipc.linux.jna.Socket.CMSG_ALIGN;
import static ipc.linux.jna.Socket.CMSG_DATA_OFFSET;
import static ipc.linux.jna.Socket.CMSG_LEN;
import static ipc.linux.jna.Socket.CMSG_SPACE;
import static ipc.linux.jna.Socket.MSG_CTRUNC;
import static ipc.linux.jna.Socket.SCM_RIGHTS;
import static ipc.linux.jna.Socket.SIZEOF_CMSGHDR;
import static ipc.linux.jna.Socket.SOL_SOCKET;

import java.nio.ByteBuffer;
import java.util.Arrays;

import ipc.api.IpcProtocolException;

/**
 * {@code SCM_RIGHTS} control messages (cmsg(3), unix(7)): the ancillary data that carries file descriptors over a
 * Unix domain socket. {@link #encode} builds the control buffer of a {@code sendmsg}; {@link #decode} walks the one a
 * {@code recvmsg} filled, by the {@code CMSG_FIRSTHDR}/{@code CMSG_NXTHDR} rules, and never trusts a length the
 * kernel did not bound.
 */
final class ScmRights
{
    /** The most descriptors one message may carry ({@code SCM_MAX_FD} of the kernel's {@code include/net/scm.h}). */
    static final int MAX_FDS = 253;

    /** {@code sizeof(int)}: one descriptor in the payload of a control message. */
    private static final int FD_SIZE = 4;

    /** The control buffer that holds the largest message: {@code CMSG_SPACE(MAX_FDS * sizeof(int))}. */
    static final int CONTROL_CAPACITY = (int)CMSG_SPACE((long)MAX_FDS * FD_SIZE);

    private ScmRights()
    {
    }

    /**
     * Writes a control buffer holding one {@code SCM_RIGHTS} message with {@code fds}.
     *
     * @param buffer where to write, native byte order.
     * @param offset the control buffer's offset in {@code buffer}, 8-byte aligned, with {@link #CONTROL_CAPACITY}
     *               bytes of room.
     * @param fds    the descriptors, 1 to {@link #MAX_FDS}.
     * @return the bytes written: the {@code msg_controllen} to pass.
     */
    static int encode(final ByteBuffer buffer, final int offset, final int[] fds)
    {
        final int count = fds.length;
        if (count == 0 || count > MAX_FDS)
        {
            throw new IllegalArgumentException("descriptor count out of range: fds=" + count + " max=" + MAX_FDS);
        }
        final int space = (int)CMSG_SPACE((long)count * FD_SIZE);
        clear(buffer, offset, space);
        buffer.putLong(offset + CMSGHDR_LEN_OFFSET, CMSG_LEN((long)count * FD_SIZE));
        buffer.putInt(offset + CMSGHDR_LEVEL_OFFSET, SOL_SOCKET);
        buffer.putInt(offset + CMSGHDR_TYPE_OFFSET, SCM_RIGHTS);
        for (int i = 0; i < count; i++)
        {
            buffer.putInt(offset + (int)CMSG_DATA_OFFSET() + i * FD_SIZE, fds[i]);
        }
        return space;
    }

    /**
     * Zeroes a control buffer with room for {@code maxFds} descriptors.
     *
     * @param buffer where the control buffer lies.
     * @param offset its offset, with {@link #CONTROL_CAPACITY} bytes of room.
     * @param maxFds the most descriptors expected, 1 to {@link #MAX_FDS}.
     * @return its size: the {@code msg_controllen} to pass.
     */
    static int receiveBuffer(final ByteBuffer buffer, final int offset, final int maxFds)
    {
        final int space = (int)CMSG_SPACE((long)maxFds * FD_SIZE);
        clear(buffer, offset, space);
        return space;
    }

    /**
     * Collects the descriptors a {@code recvmsg} received: keeps up to {@code maxFds}, and if the peer sent more
     * (or the kernel truncated the control data, {@code MSG_CTRUNC}) closes every one of them and throws, so that a
     * hostile peer cannot make this process leak descriptors.
     *
     * @param fd            the socket received from, for the message.
     * @param controlLength {@code msg_controllen} as the kernel set it.
     * @param msgFlags      {@code msg_flags} as the kernel set it.
     * @param buffer        where the control buffer lies.
     * @param offset        its offset.
     * @param capacity      the size given to {@code recvmsg} (0 if none was): nothing past it is read.
     * @param fdsOut        where to store the descriptors from index 0; entries up to {@code maxFds} are first set
     *                      to -1.
     * @param maxFds        the most descriptors expected.
     * @return the number of descriptors stored; the caller owns them.
     * @throws IpcProtocolException when the peer sent more descriptors than expected.
     */
    static int decode(final int fd, final long controlLength, final int msgFlags, final ByteBuffer buffer,
        final int offset, final int capacity, final int[] fdsOut, final int maxFds) throws IpcProtocolException
    {
        if (fdsOut != null)
        {
            Arrays.fill(fdsOut, 0, maxFds, -1);
        }
        int kept = 0;
        int excess = 0;
        final long end = Math.max(0, Math.min(controlLength, capacity));
        long at = 0;
        while (at + SIZEOF_CMSGHDR <= end)
        {
            final long cmsgLen = buffer.getLong(offset + (int)at + CMSGHDR_LEN_OFFSET);
            if (cmsgLen < CMSG_LEN(0) || at + cmsgLen > end)
            {
                break;
            }
            if (buffer.getInt(offset + (int)at + CMSGHDR_LEVEL_OFFSET) == SOL_SOCKET
                && buffer.getInt(offset + (int)at + CMSGHDR_TYPE_OFFSET) == SCM_RIGHTS)
            {
                final long count = (cmsgLen - CMSG_LEN(0)) / FD_SIZE;
                for (long i = 0; i < count; i++)
                {
                    final int received = buffer.getInt(offset + (int)(at + CMSG_DATA_OFFSET() + i * FD_SIZE));
                    if (kept < maxFds)
                    {
                        fdsOut[kept++] = received;
                    }
                    else
                    {
                        excess++;
                        Posix.closeQuietly(received);
                    }
                }
            }
            at += CMSG_ALIGN(cmsgLen);
        }
        final boolean truncated = (msgFlags & MSG_CTRUNC) != 0;
        if (truncated || excess > 0)
        {
            for (int i = 0; i < kept; i++)
            {
                Posix.closeQuietly(fdsOut[i]);
                fdsOut[i] = -1;
            }
            throw new IpcProtocolException("peer sent more file descriptors than expected: fd=" + fd + " maxFds="
                + maxFds + " received=" + (kept + excess) + " truncated=" + truncated);
        }
        return kept;
    }

    private static void clear(final ByteBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i += Long.BYTES)
        {
            buffer.putLong(offset + i, 0L);
        }
    }
}
