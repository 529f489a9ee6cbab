package ipc.macos.jna;

import com.sun.jna.Platform;
import com.sun.jna.Structure;

/**
 * Constants of xnu {@code bsd/sys/_types/_s_ifmt.h} and the 64-bit-inode {@code struct stat} of
 * {@code bsd/sys/stat.h:166-190} ({@code __DARWIN_STRUCT_STAT64}), the layout {@code fstat} fills on both x86_64
 * (under the symbol {@code fstat$INODE64}) and arm64 (plain {@code fstat}).
 *
 * <p>A POSIX shared memory descriptor reports no file type: the kernel keeps only the permission bits of its mode
 * ({@code bsd/kern/posix_shm.c}: {@code cmode &= ALLPERMS} in {@code shm_open}, {@code st_mode = pshm_mode} in
 * {@code pshm_stat}), so its {@code st_mode & S_IFMT} is 0.
 */
public final class Stat
{
    /** Type of file mask ({@code _s_ifmt.h:35}). */
    public static final int S_IFMT = 0170000;
    /** Named pipe (fifo) ({@code _s_ifmt.h:36}). */
    public static final int S_IFIFO = 0010000;
    /** Directory ({@code _s_ifmt.h:38}). */
    public static final int S_IFDIR = 0040000;
    /** Regular file ({@code _s_ifmt.h:40}). */
    public static final int S_IFREG = 0100000;
    /** Symbolic link ({@code _s_ifmt.h:41}). */
    public static final int S_IFLNK = 0120000;
    /** Socket ({@code _s_ifmt.h:42}). */
    public static final int S_IFSOCK = 0140000;

    /**
     * The symbol of {@code fstat} with the 64-bit-inode layout: {@code int fstat(int, struct stat *)
     * __DARWIN_INODE64(fstat)} ({@code stat.h:563}) is {@code _fstat$INODE64} on x86_64 macOS, where
     * {@code __DARWIN_ONLY_64_BIT_INO_T} is 0, and plain {@code _fstat} on arm64, where it is 1
     * ({@code bsd/sys/cdefs.h:736-744}, {@code :859-863}, {@code :901}).
     */
    public static final String FSTAT_SYMBOL = fstatSymbol(Platform.isARM());

    /** {@code sizeof(struct stat)} with 64-bit inodes. */
    public static final int SIZEOF_STAT = 144;
    /** {@code offsetof(struct stat, st_mode)} ({@code mode_t}, 2 bytes). */
    public static final int STAT_ST_MODE_OFFSET = 4;
    /** {@code offsetof(struct stat, st_uid)}. */
    public static final int STAT_ST_UID_OFFSET = 16;
    /** {@code offsetof(struct stat, st_size)} ({@code off_t}, 8 bytes). */
    public static final int STAT_ST_SIZE_OFFSET = 96;

    private Stat()
    {
    }

    /**
     * The {@code fstat} symbol for an architecture (see {@link #FSTAT_SYMBOL}).
     *
     * @param arm64 whether the process runs on arm64.
     * @return {@code "fstat"} on arm64, {@code "fstat$INODE64"} on x86_64.
     */
    public static String fstatSymbol(final boolean arm64)
    {
        return arm64 ? "fstat" : "fstat$INODE64";
    }

    /** {@code struct timespec} as embedded in {@code struct stat}. */
    @Structure.FieldOrder({"tv_sec", "tv_nsec"})
    public static class timespec extends Structure
    {
        /** Seconds. */
        public long tv_sec;
        /** Nanoseconds. */
        public long tv_nsec;

        /** Creates a zeroed {@code timespec}. */
        public timespec()
        {
            super();
        }
    }

    /**
     * {@code struct stat} ({@code __DARWIN_STRUCT_STAT64}, {@code stat.h:166-182}): {@code dev_t} is 4 bytes,
     * {@code mode_t} and {@code nlink_t} 2, {@code ino64_t} 8, {@code blksize_t} 4 ({@code bsd/sys/_types.h:78-94},
     * {@code bsd/sys/_types/_nlink_t.h:31}).
     */
    @Structure.FieldOrder({"st_dev", "st_mode", "st_nlink", "st_ino", "st_uid", "st_gid", "st_rdev", "st_atimespec",
        "st_mtimespec", "st_ctimespec", "st_birthtimespec", "st_size", "st_blocks", "st_blksize", "st_flags",
        "st_gen", "st_lspare", "st_qspare"})
    public static class stat extends Structure
    {
        /** ID of device containing file. */
        public int st_dev;
        /** Mode of file: type and permission bits (unsigned 16 bits). */
        public short st_mode;
        /** Number of hard links. */
        public short st_nlink;
        /** File serial number. */
        public long st_ino;
        /** User ID of the file. */
        public int st_uid;
        /** Group ID of the file. */
        public int st_gid;
        /** Device ID. */
        public int st_rdev;
        /** Time of last access. */
        public timespec st_atimespec;
        /** Time of last data modification. */
        public timespec st_mtimespec;
        /** Time of last status change. */
        public timespec st_ctimespec;
        /** Time of file creation (birth). */
        public timespec st_birthtimespec;
        /** File size, in bytes. */
        public long st_size;
        /** Blocks allocated for file. */
        public long st_blocks;
        /** Optimal blocksize for I/O. */
        public int st_blksize;
        /** User defined flags for file. */
        public int st_flags;
        /** File generation number. */
        public int st_gen;
        /** Reserved. */
        public int st_lspare;
        /** Reserved. */
        public long[] st_qspare = new long[2];

        /** Creates a zeroed {@code stat}. */
        public stat()
        {
            super();
        }
    }
}
