package ipc.linux.jna;

import com.sun.jna.Structure;

/**
 * Constants and structure of {@code <sys/un.h>}.
 */
public final class Un
{
    /** {@code sizeof(((struct sockaddr_un *) 0)->sun_path)}. */
    public static final int UNIX_PATH_MAX = 108;
    /** Offset of {@code sun_path} ({@code sa_family_t sun_family}, 2 bytes, comes first). */
    public static final int SUN_PATH_OFFSET = 2;
    /** {@code sizeof(struct sockaddr_un)}. */
    public static final int SIZEOF_SOCKADDR_UN = SUN_PATH_OFFSET + UNIX_PATH_MAX;

    private Un()
    {
    }

    /**
     * {@code struct sockaddr_un}: a Unix domain socket address. The backend writes it by the offsets above into
     * per-thread native memory; this class is the layout's cross-check in the tests.
     */
    @Structure.FieldOrder({"sun_family", "sun_path"})
    public static class sockaddr_un extends Structure
    {
        /** {@code AF_UNIX}. */
        public short sun_family;
        /** The path name, NUL terminated when shorter than the array. */
        public byte[] sun_path = new byte[UNIX_PATH_MAX];

        /** Creates a zeroed address. */
        public sockaddr_un()
        {
            super();
        }
    }
}
