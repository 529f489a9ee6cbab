package ipc.linux.os;

import ipc.linux.jna.Stat;

/**
 * What the backend needs to know about a file: size, owner and mode (from {@code statx}).
 *
 * @param size the size in bytes.
 * @param uid  the owner's user ID.
 * @param mode the type and permission bits, e.g. {@code 040700} for a private directory.
 */
public record FileStatus(long size, int uid, int mode)
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
}
