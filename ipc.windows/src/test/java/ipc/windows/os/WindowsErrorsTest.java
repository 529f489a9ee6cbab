package ipc.windows.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ipc.api.IpcAccessDeniedException;
import ipc.api.IpcAlreadyBoundException;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcTimeoutException;

/** Error codes (winerror.h values) become typed exceptions in one place, with the code and the values named. */
class WindowsErrorsTest
{
    @Test
    void shouldTypeErrorsByCode()
    {
        // winerror.h: ERROR_ACCESS_DENIED 5, ERROR_FILE_NOT_FOUND 2, ERROR_BROKEN_PIPE 109, ERROR_NO_DATA 232,
        // ERROR_PIPE_NOT_CONNECTED 233, WAIT_TIMEOUT 258, ERROR_SEM_TIMEOUT 121, ERROR_PIPE_BUSY 231.
        assertEquals(IpcAccessDeniedException.class, WindowsErrors.exception("OpenProcess", 5, null).getClass());
        assertEquals(IpcAlreadyBoundException.class,
            WindowsErrors.exception(WindowsErrors.CREATE_FIRST_PIPE_INSTANCE, 5, null).getClass());
        assertEquals(IpcClosedException.class, WindowsErrors.exception(WindowsErrors.OPEN_PIPE, 2, null).getClass());
        assertEquals(IpcException.class, WindowsErrors.exception("CreateFileMappingW", 2, null).getClass());
        assertEquals(IpcPeerClosedException.class, WindowsErrors.exception("ReadFile", 109, null).getClass());
        assertEquals(IpcPeerClosedException.class, WindowsErrors.exception("WriteFile", 232, null).getClass());
        assertEquals(IpcPeerClosedException.class, WindowsErrors.exception("WriteFile", 233, null).getClass());
        assertEquals(IpcTimeoutException.class, WindowsErrors.exception("WaitForSingleObject", 258, null).getClass());
        assertEquals(IpcTimeoutException.class, WindowsErrors.exception("WaitNamedPipeW", 121, null).getClass());
        assertEquals(IpcTimeoutException.class, WindowsErrors.exception(WindowsErrors.OPEN_PIPE, 231, null).getClass());
        assertEquals(IpcException.class, WindowsErrors.exception("ReadFile", 1450, null).getClass());
    }

    @Test
    void shouldNameCallCodeAndValues()
    {
        final String message = WindowsErrors.exception("ReadFile", 109, "pipe=42").getMessage();
        assertTrue(message.startsWith("ReadFile failed: error=109 ("), message);
        assertTrue(message.endsWith(") pipe=42"), message);
    }

    @Test
    void shouldNameNtStatusInHex()
    {
        // ntstatus.h: STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008L)
        assertEquals("NtQueryInformationFile failed: status=0xC0000008 handle=12",
            WindowsErrors.ntStatus("NtQueryInformationFile", 0xC0000008, "handle=12").getMessage());
    }

    @Test
    void shouldKnowWhichErrorsMeanThePeerIsGone()
    {
        assertTrue(WindowsErrors.isPeerGone(109));
        assertTrue(WindowsErrors.isPeerGone(232));
        assertTrue(WindowsErrors.isPeerGone(233));
        assertFalse(WindowsErrors.isPeerGone(995), "ERROR_OPERATION_ABORTED is our own cancellation");
        assertFalse(WindowsErrors.isPeerGone(0));
    }
}
