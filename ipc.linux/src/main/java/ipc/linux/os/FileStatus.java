package ipc.linux.os;

import ipc.linux.jna.Stat;

/**
 * What the backend needs to know about a file: size, owner, mode and inode (from {@code statx}).
 *
 * @param size  the size in bytes.
 * @param uid   the owner's user ID.
 * @param mode  the type and permission bits, e.g. {@code 040700} for a private directory.
 * @param inode the inode number: two names or descriptors in one directory are the same file if it is equal.
 */
public record FileStatus(long size, int uid, int mode, long inode)
{
    /**
     * Returns the permission bits.
     *
     * @return {@code mode & 07777}.
     */
    public int permissions()
    {
        return mode & 07777;
    }

    /**
     * Tells whether the file is a directory.
     *
     * @return whether the type is {@code S_IFDIR}.
     */
    public boolean isDirectory()
    {
        return (mode & Stat.S_IFMT) == Stat.S_IFDIR;
    }

    /**
     * Tells whether the file is a socket.
     *
     * @return whether the type is {@code S_IFSOCK}.
     */
    public boolean isSocket()
    {
        return (mode & Stat.S_IFMT) == Stat.S_IFSOCK;
    }

    /**
     * Tells whether the file is a regular file (a memfd or a POSIX shared memory object is one).
     *
     * @return whether the type is {@code S_IFREG}.
     */
    public boolean isRegularFile()
    {
        return (mode & Stat.S_IFMT) == Stat.S_IFREG;
    }
}
