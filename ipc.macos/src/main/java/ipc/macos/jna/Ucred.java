package ipc.macos.jna;

import com.sun.jna.Structure;

/**
 * {@code struct xucred} of xnu {@code bsd/sys/ucred.h:203-209}, the answer to {@code LOCAL_PEERCRED}.
 */
public final class Ucred
{
    /** {@code NGROUPS} = {@code NGROUPS_MAX} = 16 ({@code bsd/sys/param.h:100}; {@code bsd/sys/syslimits.h:104}). */
    public static final int NGROUPS = 16;
    /** The only version of {@code struct xucred} ({@code ucred.h:209}). */
    public static final int XUCRED_VERSION = 0;
    /** {@code sizeof(struct xucred)}: 4 + 4 + 2 (+ 2 padding) + 16 * 4. */
    public static final int SIZEOF_XUCRED = 76;

    private Ucred()
    {
    }

    /**
     * {@code struct xucred}: {@code u_int cr_version; uid_t cr_uid; short cr_ngroups; gid_t cr_groups[NGROUPS];}.
     */
    @Structure.FieldOrder({"cr_version", "cr_uid", "cr_ngroups", "cr_groups"})
    public static class xucred extends Structure
    {
        /** Structure version, {@link #XUCRED_VERSION}. */
        public int cr_version;
        /** Effective user id. */
        public int cr_uid;
        /** Number of groups. */
        public short cr_ngroups;
        /** Groups. */
        public int[] cr_groups = new int[NGROUPS];

        /** Creates a zeroed {@code xucred}. */
        public xucred()
        {
            super();
        }
    }
}
