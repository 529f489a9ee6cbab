package ipc.macos.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Constants, control-message rules and structures of xnu {@code bsd/sys/socket.h} (macOS, LP64; the same on x86_64
 * and arm64). Differs from Linux in nearly every detail: {@code SOL_SOCKET} is {@code 0xffff}, {@code cmsghdr} is
 * 12 bytes with 4-byte alignment, and {@code msghdr}'s {@code msg_iovlen} and {@code msg_controllen} are 4 bytes.
 */
public final class Socket
{
    /** Local to host (pipes) ({@code socket.h:387}). */
    public static final int AF_UNIX = 1;
    /** Stream socket ({@code socket.h:113}); AF_UNIX has no {@code SOCK_SEQPACKET} on macOS. */
    public static final int SOCK_STREAM = 1;

    /** Options for socket level ({@code socket.h:380}). */
    public static final int SOL_SOCKET = 0xffff;
    /** Send buffer size ({@code socket.h:160}). */
    public static final int SO_SNDBUF = 0x1001;
    /** Get error status and clear ({@code socket.h:166}); the result of a non-blocking {@code connect}. */
    public static final int SO_ERROR = 0x1007;
    /** APPLE: No SIGPIPE on EPIPE ({@code socket.h:174}); set on every socket of the backend. */
    public static final int SO_NOSIGPIPE = 0x1022;
    /** Access rights (array of int) ({@code socket.h:726}). */
    public static final int SCM_RIGHTS = 0x01;

    /** Data discarded before delivery ({@code socket.h:617}). */
    public static final int MSG_TRUNC = 0x10;
    /** Control data lost before delivery ({@code socket.h:618}). */
    public static final int MSG_CTRUNC = 0x20;
    /** This message should be nonblocking ({@code socket.h:621}). */
    public static final int MSG_DONTWAIT = 0x80;

    /** {@code sizeof(struct cmsghdr)}: {@code socklen_t cmsg_len; int cmsg_level; int cmsg_type;} ({@code socket.h:652-657}). */
    public static final int SIZEOF_CMSGHDR = 12;
    /** {@code offsetof(struct cmsghdr, cmsg_len)} (4 bytes). */
    public static final int CMSGHDR_LEN_OFFSET = 0;
    /** {@code offsetof(struct cmsghdr, cmsg_level)}. */
    public static final int CMSGHDR_LEVEL_OFFSET = 4;
    /** {@code offsetof(struct cmsghdr, cmsg_type)}. */
    public static final int CMSGHDR_TYPE_OFFSET = 8;

    /**
     * {@code __DARWIN_ALIGNBYTES32}: control messages are aligned to 4 bytes on x86_64 and arm64
     * ({@code bsd/i386/_param.h:44-45}, {@code bsd/arm/_param.h:20-21}).
     */
    public static final int CMSG_ALIGNBYTES = 3;

    /** {@code sizeof(struct msghdr)} ({@code socket.h:603-611}). */
    public static final int SIZEOF_MSGHDR = 48;

    private Socket()
    {
    }

    /**
     * {@code __DARWIN_ALIGN32}: rounds a length up to the alignment of control messages. (User code has no
     * {@code CMSG_ALIGN} on macOS: it is defined only under {@code KERNEL}, {@code socket.h:720-722}.)
     *
     * @param len a length in bytes.
     * @return {@code len} rounded up to a multiple of 4.
     */
    public static long CMSG_ALIGN(final long len)
    {
        return (len + CMSG_ALIGNBYTES) & ~(long)CMSG_ALIGNBYTES;
    }

    /**
     * {@code CMSG_SPACE} ({@code socket.h:717}): the bytes a control message with a payload of {@code len} bytes
     * takes, padding included.
     *
     * @param len the payload length in bytes.
     * @return the space to reserve in the control buffer.
     */
    public static long CMSG_SPACE(final long len)
    {
        return CMSG_ALIGN(SIZEOF_CMSGHDR) + CMSG_ALIGN(len);
    }

    /**
     * {@code CMSG_LEN} ({@code socket.h:718}): the value to store in {@code cmsg_len} for a payload of {@code len}
     * bytes.
     *
     * @param len the payload length in bytes.
     * @return the header length plus {@code len}.
     */
    public static long CMSG_LEN(final long len)
    {
        return CMSG_ALIGN(SIZEOF_CMSGHDR) + len;
    }

    /**
     * {@code CMSG_DATA} as an offset ({@code socket.h:687-688}): where the payload starts, relative to its header.
     *
     * @return 12.
     */
    public static long CMSG_DATA_OFFSET()
    {
        return CMSG_ALIGN(SIZEOF_CMSGHDR);
    }

    /**
     * {@code struct iovec} ({@code bsd/sys/_types/_iovec_t.h:31-34}): one buffer of a scatter/gather array.
     */
    @Structure.FieldOrder({"iov_base", "iov_len"})
    public static class iovec extends Structure
    {
        /** Base address of the memory region. */
        public Pointer iov_base;
        /** Size of the memory region ({@code size_t}). */
        public long iov_len;

        /** Creates a zeroed {@code iovec}. */
        public iovec()
        {
            super();
        }
    }

    /**
     * {@code struct msghdr} ({@code socket.h:603-611}): 48 bytes, {@code msg_iovlen} an {@code int} at 24,
     * {@code msg_controllen} a {@code socklen_t} at 40, {@code msg_flags} at 44.
     */
    @Structure.FieldOrder({"msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen",
        "msg_flags"})
    public static class msghdr extends Structure
    {
        /** Optional address. */
        public Pointer msg_name;
        /** Size of address ({@code socklen_t}). */
        public int msg_namelen;
        /** Scatter/gather array. */
        public Pointer msg_iov;
        /** Number of elements in {@code msg_iov} ({@code int}). */
        public int msg_iovlen;
        /** Ancillary data. */
        public Pointer msg_control;
        /** Ancillary data buffer length ({@code socklen_t}). */
        public int msg_controllen;
        /** Flags on received message. */
        public int msg_flags;

        /** Creates a zeroed {@code msghdr}. */
        public msghdr()
        {
            super();
        }
    }
}
