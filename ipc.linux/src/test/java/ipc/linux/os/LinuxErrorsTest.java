package ipc.linux.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcTimeoutException;
import ipc.linux.jna.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class LinuxErrorsTest
{
    @Test
    void shouldChooseExceptionTypeByErrno()
    {
        assertSame(IpcAccessDeniedException.class, LinuxErrors.exception("bind", Errno.EACCES, null).getClass());
        assertSame(IpcAccessDeniedException.class, LinuxErrors.exception("bind", Errno.EPERM, null).getClass());
        assertSame(IpcAlreadyBoundException.class, LinuxErrors.exception("bind", Errno.EADDRINUSE, null).getClass());
        assertSame(IpcClosedException.class, LinuxErrors.exception("connect", Errno.ECONNREFUSED, null).getClass());
        assertSame(IpcClosedException.class, LinuxErrors.exception("connect", Errno.ENOENT, null).getClass());
        assertSame(IpcException.class, LinuxErrors.exception("unlink", Errno.ENOENT, null).getClass());
        assertSame(IpcPeerClosedException.class, LinuxErrors.exception("sendmsg", Errno.EPIPE, null).getClass());
        assertSame(IpcPeerClosedException.class, LinuxErrors.exception("recvmsg", Errno.ECONNRESET, null).getClass());
        assertSame(IpcTimeoutException.class, LinuxErrors.exception("futex", Errno.ETIMEDOUT, null).getClass());
        assertSame(IpcException.class, LinuxErrors.exception("close", Errno.EBADF, null).getClass());
    }

    @Test
    void shouldNameErrnoDescriptionAndDetailsInMessage()
    {
        assertEquals("connect failed: errno=111 (Connection refused) path=/run/x",
            LinuxErrors.exception("connect", Errno.ECONNREFUSED, "path=/run/x").getMessage());
        assertEquals("close failed: errno=9 (Bad file descriptor)", LinuxErrors.message("close", Errno.EBADF, null));
    }
}
