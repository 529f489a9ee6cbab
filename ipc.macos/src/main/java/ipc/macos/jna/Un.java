package ipc.macos.jna;

import com.sun.jna.Structure;

/**
 * Constants and structure of xnu {@code bsd/sys/un.h}: the Unix domain socket address (with BSD's
 * {@code sun_len}) and the local-socket options that identify the peer.
 */
public final class Un
{
    /** {@code sizeof(((struct sockaddr_un *) 0)->sun_path)} ({@code un.h:79}). */
    public static final int SUN_PATH_LENGTH = 104;
    /** {@code offsetof(struct sockaddr_un, sun_path)}: after {@code sun_len} and the 1-byte {@code sun_family}. */
    public static final int SUN_PATH_OFFSET = 2;
    /** {@code sizeof(struct sockaddr_un)}. */
    public static final int SIZEOF_SOCKADDR_UN = 106;

    /** Level number of {@code get/setsockopt} for local domain sockets ({@code un.h:85}). */
    public static final int SOL_LOCAL = 0;
    /** Retrieve peer credentials, a {@code struct xucred} ({@code un.h:88}; {@code uipc_usrreq.c:839-842}). */
    public static final int LOCAL_PEERCRED = 0x001;
    /** Retrieve peer pid, a {@code pid_t} ({@code un.h:89}; {@code uipc_usrreq.c:851-874}). */
    public static final int LOCAL_PEERPID = 0x002;

    private Un()
    {
    }

    /**
     * {@code struct sockaddr_un} ({@code un.h:76-80}): {@code unsigned char sun_len; sa_family_t sun_family;
     * char sun_path[104];}, {@code sa_family_t} being one byte ({@code bsd/sys/_types/_sa_family_t.h:31}).
     */
    @Structure.FieldOrder({"sun_len", "sun_family", "sun_path"})
    public static class sockaddr_un extends Structure
    {
        /** Sockaddr length including the NUL of the path. */
        public byte sun_len;
        /** {@code AF_UNIX}. */
        public byte sun_family;
        /** The path name, NUL terminated. */
        public byte[] sun_path = new byte[SUN_PATH_LENGTH];

        /** Creates a zeroed address. */
        public sockaddr_un()
        {
            super();
        }
    }
}
