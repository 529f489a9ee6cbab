package ipc.linux.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Constants, control-message rules and structures of {@code <sys/socket.h>} (Linux, 64-bit).
 */
public final class Socket
{
    /** Unix domain sockets. */
    public static final int AF_UNIX = 1;
    /** Reliable, ordered, connection-based byte stream. */
    public static final int SOCK_STREAM = 1;
    /** {@code socket}/{@code accept4} flag: set close-on-exec on the new descriptor. */
    public static final int SOCK_CLOEXEC = 02000000;
    /** {@code socket}/{@code accept4} flag: set {@code O_NONBLOCK} on the new descriptor. */
    public static final int SOCK_NONBLOCK = 04000;

    /** Socket-level options and control messages. */
    public static final int SOL_SOCKET = 1;
    /** {@code getsockopt}: the credentials of the peer, a {@code struct ucred}. */
    public static final int SO_PEERCRED = 17;
    /** Control message type: an array of file descriptors. */
    public static final int SCM_RIGHTS = 0x01;

    /** {@code recvmsg} result flag: control data was discarded for lack of space. */
    public static final int MSG_CTRUNC = 0x08;
    /** Non-blocking operation for this call only (whatever the file status flags of the descriptor say). */
    public static final int MSG_DONTWAIT = 0x40;
    /** Do not raise {@code SIGPIPE} when the peer is gone; {@code EPIPE} is returned instead. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code recvmsg}: set close-on-exec on the descriptors received through {@code SCM_RIGHTS}. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    /** {@code sizeof(struct cmsghdr)}: {@code size_t cmsg_len; int cmsg_level; int cmsg_type;}. */
    public static final int SIZEOF_CMSGHDR = 16;
    /** {@code offsetof(struct cmsghdr, cmsg_len)}. */
    public static final int CMSGHDR_LEN_OFFSET = 0;
    /** {@code offsetof(struct cmsghdr, cmsg_level)}. */
    public static final int CMSGHDR_LEVEL_OFFSET = 8;
    /** {@code offsetof(struct cmsghdr, cmsg_type)}. */
    public static final int CMSGHDR_TYPE_OFFSET = 12;

    private static final int SIZEOF_SIZE_T = 8;

    private Socket()
    {
    }

    /**
     * {@code CMSG_ALIGN}: rounds a length up to the alignment of control messages ({@code sizeof(size_t)}).
     *
     * @param len a length in bytes.
     * @return {@code len} rounded up to a multiple of 8.
     */
    public static long CMSG_ALIGN(final long len)
    {
        return (len + SIZEOF_SIZE_T - 1) & ~(long) (SIZEOF_SIZE_T - 1);
    }

    /**
     * {@code CMSG_SPACE}: the bytes a control message with a payload of {@code len} bytes takes, padding included.
     *
     * @param len the payload length in bytes.
     * @return the space to reserve in the control buffer.
     */
    public static long CMSG_SPACE(final long len)
    {
        return CMSG_ALIGN(SIZEOF_CMSGHDR) + CMSG_ALIGN(len);
    }

    /**
     * {@code CMSG_LEN}: the value to store in {@code cmsg_len} for a payload of {@code len} bytes.
     *
     * @param len the payload length in bytes.
     * @return the header length plus {@code len}, without trailing padding.
     */
    public static long CMSG_LEN(final long len)
    {
        return CMSG_ALIGN(SIZEOF_CMSGHDR) + len;
    }

    /**
     * {@code CMSG_DATA} as an offset: where the payload starts, relative to its {@code cmsghdr}.
     *
     * @return the offset of the payload.
     */
    public static long CMSG_DATA_OFFSET()
    {
        return CMSG_ALIGN(SIZEOF_CMSGHDR);
    }

    /**
     * {@code struct iovec}: one buffer of a scatter/gather array.
     */
    @Structure.FieldOrder({"iov_base", "iov_len"})
    public static class iovec extends Structure
    {
        /** Starting address. */
        public Pointer iov_base;
        /** Number of bytes to transfer. */
        public long iov_len;

        /** Creates a zeroed {@code iovec}. */
        public iovec()
        {
            super();
        }
    }

    /** {@code sizeof(struct ucred)}: three {@code int}s, {@code pid}, {@code uid}, {@code gid}, {@code <bits/socket.h>}. */
    public static final int SIZEOF_UCRED = 12;
    /** Offset of {@code uid_t uid} ({@code pid_t pid} is at 0, {@code gid_t gid} at 8). */
    public static final int UCRED_UID_OFFSET = 4;
    /** Offset of {@code gid_t gid}. */
    public static final int UCRED_GID_OFFSET = 8;

    /** {@code sizeof(struct msghdr)} on LP64 (x86_64, arm64), {@code <bits/socket.h>}. */
    public static final int SIZEOF_MSGHDR = 56;
    /** Offset of {@code struct iovec *msg_iov}. */
    public static final int MSGHDR_IOV_OFFSET = 16;
    /** Offset of {@code size_t msg_iovlen}. */
    public static final int MSGHDR_IOVLEN_OFFSET = 24;
    /** Offset of {@code void *msg_control}. */
    public static final int MSGHDR_CONTROL_OFFSET = 32;
    /** Offset of {@code size_t msg_controllen}. */
    public static final int MSGHDR_CONTROLLEN_OFFSET = 40;
    /** Offset of {@code int msg_flags}. */
    public static final int MSGHDR_FLAGS_OFFSET = 48;
    /** {@code sizeof(struct iovec)} on LP64, {@code <bits/types/struct_iovec.h>}. */
    public static final int SIZEOF_IOVEC = 16;
    /** Offset of {@code size_t iov_len} ({@code void *iov_base} is at 0). */
    public static final int IOVEC_LEN_OFFSET = 8;

    /**
     * {@code struct msghdr}: the message of {@code sendmsg}/{@code recvmsg}. The backend writes the structure by the
     * offsets above into per-thread native memory (a {@code Structure} argument is slow); this class is the
     * layout's cross-check in the tests.
     */
    @Structure.FieldOrder({"msg_name", "msg_namelen", "msg_iov", "msg_iovlen", "msg_control", "msg_controllen",
        "msg_flags"})
    public static class msghdr extends Structure
    {
        /** Optional address. */
        public Pointer msg_name;
        /** Size of the address. */
        public int msg_namelen;
        /** Scatter/gather array. */
        public Pointer msg_iov;
        /** Number of elements in {@code msg_iov}. */
        public long msg_iovlen;
        /** Ancillary data. */
        public Pointer msg_control;
        /** Ancillary data buffer length. */
        public long msg_controllen;
        /** Flags on the received message. */
        public int msg_flags;

        /** Creates a zeroed {@code msghdr}. */
        public msghdr()
        {
            super();
        }
    }

    /**
     * {@code struct ucred}: the credentials of a process, as returned by {@code SO_PEERCRED}.
     */
    @Structure.FieldOrder({"pid", "uid", "gid"})
    public static class ucred extends Structure
    {
        /** Process ID. */
        public int pid;
        /** User ID. */
        public int uid;
        /** Group ID. */
        public int gid;

        /** Creates a zeroed {@code ucred}. */
        public ucred()
        {
            super();
        }
    }
}
