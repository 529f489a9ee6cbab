package ipc.macos.os;

import ipc.macos.jna.Stat;

/**
 * What the backend needs to know about an open descriptor: size, owner and mode (from {@code fstat}).
 *
 * @param size the size in bytes.
 * @param uid  the owner's user ID.
 * @param mode the type and permission bits.
 */
public record FileStatus(long size, int uid, int mode)
{
    /**
     * The file type bits.
     *
     * @return {@code mode & S_IFMT}.
     */
    public int type()
    {
        return mode & Stat.S_IFMT;
    }

    /**
     * Whether this is a POSIX shared memory object: xnu reports no type bits for one (see {@link Stat}).
     *
     * @return whether the type bits are 0.
     */
    public boolean isPosixSharedMemory()
    {
        return type() == 0;
    }

    /**
     * Whether this is a socket.
     *
     * @return whether the type is {@code S_IFSOCK}.
     */
    public boolean isSocket()
    {
        return type() == Stat.S_IFSOCK;
    }
}
