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

import com.sun.jna.Memory;
import ipc.api.IpcProtocolException;
import ipc.linux.jna.Socket;
import java.util.Arrays;

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

    private ScmRights()
    {
    }

    /**
     * A control buffer holding one {@code SCM_RIGHTS} message with {@code fds}.
     *
     * @param fds the descriptors, 1 to {@link #MAX_FDS}.
     * @return the buffer; its size is the {@code msg_controllen} to pass.
     */
    static Memory encode(final int[] fds)
    {
        final int count = fds.length;
        if (count == 0 || count > MAX_FDS)
        {
            throw new IllegalArgumentException("descriptor count out of range: fds=" + count + " max=" + MAX_FDS);
        }
        final Memory control = new Memory(CMSG_SPACE((long)count * FD_SIZE));
        control.clear();
        control.setLong(CMSGHDR_LEN_OFFSET, CMSG_LEN((long)count * FD_SIZE));
        control.setInt(CMSGHDR_LEVEL_OFFSET, SOL_SOCKET);
        control.setInt(CMSGHDR_TYPE_OFFSET, SCM_RIGHTS);
        control.write(CMSG_DATA_OFFSET(), fds, 0, count);
        return control;
    }

    /**
     * A zeroed control buffer with room for {@code maxFds} descriptors.
     *
     * @param maxFds the most descriptors expected, 1 to {@link #MAX_FDS}.
     * @return the buffer; its size is the {@code msg_controllen} to pass.
     */
    static Memory receiveBuffer(final int maxFds)
    {
        final Memory control = new Memory(CMSG_SPACE((long)maxFds * FD_SIZE));
        control.clear();
        return control;
    }

    /**
     * Collects the descriptors a {@code recvmsg} received: keeps up to {@code maxFds}, and if the peer sent more
     * (or the kernel truncated the control data, {@code MSG_CTRUNC}) closes every one of them and throws, so that a
     * hostile peer cannot make this process leak descriptors.
     *
     * @param fd      the socket received from, for the message.
     * @param msg     the message after {@code recvmsg} ({@code msg_controllen} and {@code msg_flags} as set by the
     *                kernel).
     * @param control the control buffer given to {@code recvmsg}, or {@code null} if none was.
     * @param fdsOut  where to store the descriptors from index 0; entries up to {@code maxFds} are first set to -1.
     * @param maxFds  the most descriptors expected.
     * @return the number of descriptors stored; the caller owns them.
     * @throws IpcProtocolException when the peer sent more descriptors than expected.
     */
    static int decode(final int fd, final Socket.msghdr msg, final Memory control, final int[] fdsOut,
        final int maxFds) throws IpcProtocolException
    {
        if (fdsOut != null)
        {
            Arrays.fill(fdsOut, 0, maxFds, -1);
        }
        int kept = 0;
        int excess = 0;
        if (control != null)
        {
            final long end = Math.min(msg.msg_controllen, control.size());
            long offset = 0;
            while (offset + SIZEOF_CMSGHDR <= end)
            {
                final long cmsgLen = control.getLong(offset + CMSGHDR_LEN_OFFSET);
                if (cmsgLen < CMSG_LEN(0) || offset + cmsgLen > end)
                {
                    break;
                }
                if (control.getInt(offset + CMSGHDR_LEVEL_OFFSET) == SOL_SOCKET
                    && control.getInt(offset + CMSGHDR_TYPE_OFFSET) == SCM_RIGHTS)
                {
                    final long count = (cmsgLen - CMSG_LEN(0)) / FD_SIZE;
                    for (long i = 0; i < count; i++)
                    {
                        final int received = control.getInt(offset + CMSG_DATA_OFFSET() + i * FD_SIZE);
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
                offset += CMSG_ALIGN(cmsgLen);
            }
        }
        final boolean truncated = (msg.msg_flags & MSG_CTRUNC) != 0;
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
}
