package ipc.linux.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import ipc.shared.posix.UnixSocketCalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class LibCTest
{
    @Test
    void shouldReportErrnoOfDirectMappedCallThroughGetLastError()
    {
        assertEquals(-1, LibC.close(-1));
        assertEquals(Errno.EBADF, Native.getLastError());
        assertEquals("Bad file descriptor", LibC.strerror(Errno.EBADF));
    }

    @Test
    void shouldKeepErrnoPerCallNotStale()
    {
        assertEquals(-1, LibC.close(-1));
        assertEquals(Errno.EBADF, Native.getLastError());
        assertEquals(-1, LibC.unlink("/nonexistent-dir-" + System.nanoTime() + "/x"));
        assertEquals(Errno.ENOENT, Native.getLastError());
    }

    @Test
    void shouldMatchLinuxStructureSizes()
    {
        assertEquals(56, new Socket.msghdr().size());
        assertEquals(16, new Socket.iovec().size());
        assertEquals(12, new Socket.ucred().size());
        assertEquals(110, new Un.sockaddr_un().size());
        assertEquals(Stat.SIZEOF_STATX, new Stat.statx().size());
        assertEquals(40, new StatxProbe().offset("stx_size"));
        assertEquals(20, new StatxProbe().offset("stx_uid"));
        assertEquals(28, new StatxProbe().offset("stx_mode"));
        // The offsets the backend reads by agree with the structure and with <linux/stat.h>.
        assertEquals(new StatxProbe().offset("stx_size"), Stat.STX_SIZE_OFFSET);
        assertEquals(new StatxProbe().offset("stx_uid"), Stat.STX_UID_OFFSET);
        assertEquals(new StatxProbe().offset("stx_mode"), Stat.STX_MODE_OFFSET);
        assertEquals(new StatxProbe().offset("stx_ino"), Stat.STX_INO_OFFSET);
        assertEquals(32, Stat.STX_INO_OFFSET);
        assertEquals(40, new MsghdrProbe().offset("msg_controllen"));
        assertEquals(new Socket.msghdr().size(), Socket.SIZEOF_MSGHDR);
        assertEquals(new MsghdrProbe().offset("msg_iov"), Socket.MSGHDR_IOV_OFFSET);
        assertEquals(new MsghdrProbe().offset("msg_iovlen"), Socket.MSGHDR_IOVLEN_OFFSET);
        assertEquals(new MsghdrProbe().offset("msg_control"), Socket.MSGHDR_CONTROL_OFFSET);
        assertEquals(new MsghdrProbe().offset("msg_controllen"), Socket.MSGHDR_CONTROLLEN_OFFSET);
        assertEquals(new MsghdrProbe().offset("msg_flags"), Socket.MSGHDR_FLAGS_OFFSET);
        assertEquals(new Socket.iovec().size(), Socket.SIZEOF_IOVEC);
        assertEquals(8, Socket.IOVEC_LEN_OFFSET);
        assertEquals(new Socket.ucred().size(), Socket.SIZEOF_UCRED);
        assertEquals(new UcredProbe().offset("uid"), Socket.UCRED_UID_OFFSET);
        assertEquals(new UcredProbe().offset("gid"), Socket.UCRED_GID_OFFSET);
        assertEquals(new Un.sockaddr_un().size(), Un.SIZEOF_SOCKADDR_UN);
        assertEquals(new SockaddrProbe().offset("sun_path"), Un.SUN_PATH_OFFSET);
    }

    @Test
    void shouldApplyLinuxControlMessageRules()
    {
        assertEquals(16, Socket.CMSG_LEN(0));
        assertEquals(20, Socket.CMSG_LEN(4));
        assertEquals(24, Socket.CMSG_SPACE(4));
        assertEquals(24, Socket.CMSG_SPACE(8));
        assertEquals(32, Socket.CMSG_SPACE(12));
        assertEquals(16, Socket.CMSG_DATA_OFFSET());
    }

    @Test
    void shouldUseArchitectureLayoutOfEpollEvent()
    {
        if (Platform.isIntel())
        {
            assertEquals(12, Epoll.SIZEOF_EPOLL_EVENT);
            assertEquals(4, Epoll.EPOLL_EVENT_DATA_OFFSET);
            assertEquals(202, Futex.SYS_futex);
        }
        else
        {
            assertEquals(16, Epoll.SIZEOF_EPOLL_EVENT);
            assertEquals(8, Epoll.EPOLL_EVENT_DATA_OFFSET);
            assertEquals(98, Futex.SYS_futex);
        }
    }

    @Test
    void shouldFindPosixSharedMemoryThroughLibRt()
    {
        final String name = "/ipc-librt-test-" + ProcessHandle.current().pid();
        final int fd = LibRT.shm_open(name, Fcntl.O_RDWR | Fcntl.O_CREAT | Fcntl.O_EXCL, 0600);
        assertTrue(fd >= 0, () -> "shm_open errno=" + Native.getLastError());
        assertEquals(0, LibRT.shm_unlink(name));
        assertEquals(0, LibC.close(fd));
    }

    @Test
    void shouldPollWithTheSharedControlChannelsEventBits()
    {
        // include/uapi/asm-generic/poll.h: #define POLLIN 0x0001, #define POLLOUT 0x0004
        assertEquals(0x0001, Poll.POLLIN);
        assertEquals(0x0004, Poll.POLLOUT);
        assertEquals(Poll.POLLIN, UnixSocketCalls.POLLIN);
        assertEquals(Poll.POLLOUT, UnixSocketCalls.POLLOUT);
    }

    /** Exposes the protected field offsets of {@code struct statx}. */
    static final class StatxProbe extends Stat.statx
    {
        int offset(final String field)
        {
            return fieldOffset(field);
        }
    }

    /** Exposes the protected field offsets of {@code struct ucred}. */
    static final class UcredProbe extends Socket.ucred
    {
        int offset(final String field)
        {
            return fieldOffset(field);
        }
    }

    /** Exposes the protected field offsets of {@code struct sockaddr_un}. */
    static final class SockaddrProbe extends Un.sockaddr_un
    {
        int offset(final String field)
        {
            return fieldOffset(field);
        }
    }

    /** Exposes the protected field offsets of {@code struct msghdr}. */
    static final class MsghdrProbe extends Socket.msghdr
    {
        int offset(final String field)
        {
            return fieldOffset(field);
        }
    }
}
