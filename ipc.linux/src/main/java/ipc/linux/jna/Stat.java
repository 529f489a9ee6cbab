package ipc.linux.jna;

import com.sun.jna.Structure;

/**
 * Constants of {@code <sys/stat.h>} and {@code struct statx} of {@code <linux/stat.h>}.
 *
 * <p>The backend uses {@code statx} rather than {@code fstat}/{@code lstat}: {@code struct statx} has the same
 * layout on every architecture (unlike {@code struct stat}, which differs between x86_64 and aarch64), and glibc
 * exports {@code statx} since 2.28 while it exports {@code fstat} as a symbol only since 2.33.
 */
public final class Stat
{
    /** Mask of the file type bits of a mode. */
    public static final int S_IFMT = 0170000;
    /** File type: directory. */
    public static final int S_IFDIR = 0040000;
    /** File type: regular file. */
    public static final int S_IFREG = 0100000;
    /** File type: socket. */
    public static final int S_IFSOCK = 0140000;
    /** File type: symbolic link. */
    public static final int S_IFLNK = 0120000;

    /** {@code statx} mask: want {@code stx_mode & S_IFMT}. */
    public static final int STATX_TYPE = 0x00000001;
    /** {@code statx} mask: want {@code stx_mode & ~S_IFMT}. */
    public static final int STATX_MODE = 0x00000002;
    /** {@code statx} mask: want {@code stx_uid}. */
    public static final int STATX_UID = 0x00000008;
    /** {@code statx} mask: want {@code stx_gid}. */
    public static final int STATX_GID = 0x00000010;
    /** {@code statx} mask: want {@code stx_size}. */
    public static final int STATX_SIZE = 0x00000200;
    /** {@code statx} mask: everything {@code struct stat} holds. */
    public static final int STATX_BASIC_STATS = 0x000007ff;

    /** {@code sizeof(struct statx)}. */
    public static final int SIZEOF_STATX = 256;
    /** Offset of {@code __u32 stx_uid} in {@code struct statx} ({@code <linux/stat.h>}). */
    public static final int STX_UID_OFFSET = 20;
    /** Offset of {@code __u16 stx_mode}. */
    public static final int STX_MODE_OFFSET = 28;
    /** Offset of {@code __u64 stx_ino}. */
    public static final int STX_INO_OFFSET = 32;
    /** Offset of {@code __u64 stx_size}. */
    public static final int STX_SIZE_OFFSET = 40;

    private Stat()
    {
    }

    /**
     * {@code struct statx}: the fields the backend reads, then the rest of the 256 bytes as one opaque array. The
     * backend reads the structure by the offsets above (a {@code Structure} argument is slow); this class is the
     * layout's cross-check in the tests.
     */
    @Structure.FieldOrder({"stx_mask", "stx_blksize", "stx_attributes", "stx_nlink", "stx_uid", "stx_gid", "stx_mode",
        "__spare0", "stx_ino", "stx_size", "stx_blocks", "stx_attributes_mask", "__rest"})
    public static class statx extends Structure
    {
        /** What results were written. */
        public int stx_mask;
        /** Preferred general I/O size. */
        public int stx_blksize;
        /** Flags conveying information about the file. */
        public long stx_attributes;
        /** Number of hard links. */
        public int stx_nlink;
        /** User ID of owner. */
        public int stx_uid;
        /** Group ID of owner. */
        public int stx_gid;
        /** File mode: type and permission bits (unsigned 16 bits). */
        public short stx_mode;
        /** Reserved. */
        public short __spare0;
        /** Inode number. */
        public long stx_ino;
        /** File size in bytes. */
        public long stx_size;
        /** Number of 512-byte blocks allocated. */
        public long stx_blocks;
        /** Mask to show what is supported in {@code stx_attributes}. */
        public long stx_attributes_mask;
        /** Timestamps, device numbers and reserved space, not read by the backend. */
        public byte[] __rest = new byte[SIZEOF_STATX - 64];

        /** Creates a zeroed {@code statx}. */
        public statx()
        {
            super();
        }
    }
}
