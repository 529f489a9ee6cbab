package ipc.macos.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import ipc.shared.posix.UnixSocketCalls;

/**
 * Every constant the macOS bindings use, against the value Apple's open-source headers give (shared/ABI-macos.md;
 * xnu {@code e3723e1f17661b24996789d8afc084c0c3303b26} unless named otherwise). Pure Java: runs on every build and
 * loads no native code. Several values differ from Linux on purpose; the Linux value is named where it does.
 */
class ConstantsTest
{
    @Test
    void shouldMatchFcntlH()
    {
        // xnu bsd/sys/fcntl.h:98,100,115,127,128,129,170,279-282,450
        assertEquals(0x0000, Fcntl.O_RDONLY);
        assertEquals(0x0002, Fcntl.O_RDWR);
        assertEquals(0x0004, Fcntl.O_NONBLOCK, "Linux: 04000");
        assertEquals(0x0200, Fcntl.O_CREAT, "Linux: 0100");
        assertEquals(0x0400, Fcntl.O_TRUNC, "Linux: 01000");
        assertEquals(0x0800, Fcntl.O_EXCL, "Linux: 0200");
        assertEquals(0x01000000, Fcntl.O_CLOEXEC, "Linux: 02000000");
        assertEquals(1, Fcntl.F_GETFD);
        assertEquals(2, Fcntl.F_SETFD);
        assertEquals(3, Fcntl.F_GETFL);
        assertEquals(4, Fcntl.F_SETFL);
        assertEquals(1, Fcntl.FD_CLOEXEC);
    }

    @Test
    void shouldMatchMmanH()
    {
        // xnu bsd/sys/mman.h:102,103,110,179; bsd/sys/posix_shm.h:53
        assertEquals(0x01, Mman.PROT_READ);
        assertEquals(0x02, Mman.PROT_WRITE);
        assertEquals(0x0001, Mman.MAP_SHARED);
        assertEquals(-1L, Mman.MAP_FAILED);
        assertEquals(31, Mman.PSHMNAMLEN);
    }

    @Test
    void shouldMatchSocketH()
    {
        // xnu bsd/sys/socket.h:387,113,380,160,166,174,726,617,618,621
        assertEquals(1, Socket.AF_UNIX);
        assertEquals(1, Socket.SOCK_STREAM);
        assertEquals(0xffff, Socket.SOL_SOCKET, "Linux: 1");
        assertEquals(0x1001, Socket.SO_SNDBUF);
        assertEquals(0x1007, Socket.SO_ERROR);
        assertEquals(0x1022, Socket.SO_NOSIGPIPE);
        assertEquals(0x01, Socket.SCM_RIGHTS);
        assertEquals(0x10, Socket.MSG_TRUNC);
        assertEquals(0x20, Socket.MSG_CTRUNC, "Linux: 0x08");
        assertEquals(0x80, Socket.MSG_DONTWAIT, "Linux: 0x40");
    }

    @Test
    void shouldMatchUnH()
    {
        // xnu bsd/sys/un.h:79,85,88,89
        assertEquals(104, Un.SUN_PATH_LENGTH, "Linux: 108");
        assertEquals(0, Un.SOL_LOCAL);
        assertEquals(0x001, Un.LOCAL_PEERCRED);
        assertEquals(0x002, Un.LOCAL_PEERPID);
    }

    @Test
    void shouldMatchUcredH()
    {
        // xnu bsd/sys/param.h:100 (NGROUPS = NGROUPS_MAX), bsd/sys/syslimits.h:104 (16), bsd/sys/ucred.h:209
        assertEquals(16, Ucred.NGROUPS);
        assertEquals(0, Ucred.XUCRED_VERSION);
    }

    @Test
    void shouldMatchErrnoH()
    {
        // xnu bsd/sys/errno.h:90-211
        assertEquals(1, Errno.EPERM);
        assertEquals(2, Errno.ENOENT);
        assertEquals(4, Errno.EINTR);
        assertEquals(9, Errno.EBADF);
        assertEquals(12, Errno.ENOMEM);
        assertEquals(13, Errno.EACCES);
        assertEquals(14, Errno.EFAULT);
        assertEquals(17, Errno.EEXIST);
        assertEquals(22, Errno.EINVAL);
        assertEquals(23, Errno.ENFILE);
        assertEquals(24, Errno.EMFILE);
        assertEquals(32, Errno.EPIPE);
        assertEquals(35, Errno.EAGAIN, "Linux: 11");
        assertEquals(Errno.EAGAIN, Errno.EWOULDBLOCK);
        assertEquals(36, Errno.EINPROGRESS, "Linux: 115");
        assertEquals(37, Errno.EALREADY, "Linux: 114");
        assertEquals(38, Errno.ENOTSOCK, "Linux: 88");
        assertEquals(40, Errno.EMSGSIZE, "Linux: 90");
        assertEquals(48, Errno.EADDRINUSE, "Linux: 98");
        assertEquals(53, Errno.ECONNABORTED, "Linux: 103");
        assertEquals(54, Errno.ECONNRESET, "Linux: 104");
        assertEquals(55, Errno.ENOBUFS, "Linux: 105");
        assertEquals(56, Errno.EISCONN, "Linux: 106");
        assertEquals(57, Errno.ENOTCONN, "Linux: 107");
        assertEquals(60, Errno.ETIMEDOUT, "Linux: 110");
        assertEquals(61, Errno.ECONNREFUSED, "Linux: 111");
        assertEquals(63, Errno.ENAMETOOLONG, "Linux: 36");
        assertEquals(78, Errno.ENOSYS, "Linux: 38");
    }

    @Test
    void shouldMatchPollH()
    {
        // xnu bsd/sys/poll.h:68,70,89,90,91
        assertEquals(0x0001, Poll.POLLIN);
        assertEquals(0x0004, Poll.POLLOUT);
        assertEquals(0x0008, Poll.POLLERR);
        assertEquals(0x0010, Poll.POLLHUP);
        assertEquals(0x0020, Poll.POLLNVAL);
        // The shared control channel polls with its own copies of POLLIN and POLLOUT.
        assertEquals(Poll.POLLIN, UnixSocketCalls.POLLIN);
        assertEquals(Poll.POLLOUT, UnixSocketCalls.POLLOUT);
    }

    @Test
    void shouldMatchSIfmtH()
    {
        // xnu bsd/sys/_types/_s_ifmt.h:35-42
        assertEquals(0170000, Stat.S_IFMT);
        assertEquals(0010000, Stat.S_IFIFO);
        assertEquals(0040000, Stat.S_IFDIR);
        assertEquals(0100000, Stat.S_IFREG);
        assertEquals(0120000, Stat.S_IFLNK);
        assertEquals(0140000, Stat.S_IFSOCK);
    }

    @Test
    void shouldNameTheSixtyFourBitInodeFstatPerArchitecture()
    {
        // xnu bsd/sys/stat.h:563 __DARWIN_INODE64(fstat); bsd/sys/cdefs.h:736-744 (x86_64: ONLY_64_BIT_INO_T 0,
        // arm64: 1), :859-863 (suffix "$INODE64" unless ONLY_64_BIT_INO_T), :901.
        assertEquals("fstat", Stat.fstatSymbol(true));
        assertEquals("fstat$INODE64", Stat.fstatSymbol(false));
    }

    @Test
    void shouldMatchEventH()
    {
        // xnu bsd/sys/event.h:70,71,79,144-147,151,174,175
        assertEquals(-1, Event.EVFILT_READ);
        assertEquals(-2, Event.EVFILT_WRITE);
        assertEquals(-10, Event.EVFILT_USER);
        assertEquals(0x0001, Event.EV_ADD);
        assertEquals(0x0002, Event.EV_DELETE);
        assertEquals(0x0004, Event.EV_ENABLE);
        assertEquals(0x0008, Event.EV_DISABLE);
        assertEquals(0x0020, Event.EV_CLEAR);
        assertEquals(0x8000, Event.EV_EOF);
        assertEquals(0x4000, Event.EV_ERROR);
    }

    @Test
    void shouldMatchOsSyncWaitOnAddressH()
    {
        // libplatform include/os/os_sync_wait_on_address.h:62-65,296-299 (2512ffd8); libdispatch os/clock.h:14-16
        assertEquals(0, OsSync.OS_SYNC_WAIT_ON_ADDRESS_NONE);
        assertEquals(1, OsSync.OS_SYNC_WAIT_ON_ADDRESS_SHARED);
        assertEquals(0, OsSync.OS_SYNC_WAKE_BY_ADDRESS_NONE);
        assertEquals(1, OsSync.OS_SYNC_WAKE_BY_ADDRESS_SHARED);
        assertEquals(32, OsSync.OS_CLOCK_MACH_ABSOLUTE_TIME);
        assertEquals("os_sync_wait_on_address_with_timeout", OsSync.WAIT_SYMBOL);
        assertEquals("os_sync_wake_by_address_any", OsSync.WAKE_SYMBOL);
    }

    @Test
    void shouldMatchUlockH()
    {
        // xnu bsd/sys/ulock.h:70-74,84,86,101,131
        assertEquals(1, ULock.UL_COMPARE_AND_WAIT);
        assertEquals(3, ULock.UL_COMPARE_AND_WAIT_SHARED);
        assertEquals(0x00000100, ULock.ULF_WAKE_ALL);
        assertEquals(0x01000000, ULock.ULF_NO_ERRNO);
        assertEquals("__ulock_wait2", ULock.WAIT2_SYMBOL);
        assertEquals("__ulock_wake", ULock.WAKE_SYMBOL);
    }
}
