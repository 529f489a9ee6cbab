package ipc.windows.os;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import ipc.api.IpcException;

/**
 * Who a process runs as: the user SID of its primary token ({@code TokenUser}), as a string such as
 * {@code S-1-5-21-...-1001}. Both ends of a connection compare the other's with their own.
 */
public final class ProcessTokens
{
    private ProcessTokens()
    {
    }

    /**
     * The user SID of this process.
     *
     * @return the SID string.
     * @throws IpcException if the token cannot be read.
     */
    public static String currentUserSid() throws IpcException
    {
        return userSid(Handles.CURRENT_PROCESS);
    }

    /**
     * The user SID of a process.
     *
     * @param process a handle with {@code PROCESS_QUERY_LIMITED_INFORMATION}.
     * @return the SID string.
     * @throws IpcException if the token cannot be opened or read.
     */
    public static String userSid(final long process) throws IpcException
    {
        final HANDLEByReference token = new HANDLEByReference();
        if (!Advapi32.INSTANCE.OpenProcessToken(Handles.of(process), WinNT.TOKEN_QUERY, token))
        {
            throw WindowsErrors.exception("OpenProcessToken", Native.getLastError(), "process=" + process);
        }
        try
        {
            final IntByReference length = new IntByReference();
            if (!Advapi32.INSTANCE.GetTokenInformation(token.getValue(), WinNT.TOKEN_INFORMATION_CLASS.TokenUser, null,
                0, length) && Native.getLastError() != WinError.ERROR_INSUFFICIENT_BUFFER)
            {
                throw WindowsErrors.exception("GetTokenInformation", Native.getLastError(), "class=TokenUser");
            }
            final WinNT.TOKEN_USER user = new WinNT.TOKEN_USER(Math.max(1, length.getValue()));
            if (!Advapi32.INSTANCE.GetTokenInformation(token.getValue(), WinNT.TOKEN_INFORMATION_CLASS.TokenUser, user,
                length.getValue(), length))
            {
                throw WindowsErrors.exception("GetTokenInformation", Native.getLastError(), "class=TokenUser");
            }
            final PointerByReference text = new PointerByReference();
            if (!Advapi32.INSTANCE.ConvertSidToStringSid(user.User.Sid, text))
            {
                throw WindowsErrors.exception("ConvertSidToStringSidW", Native.getLastError(), null);
            }
            final Pointer chars = text.getValue();
            try
            {
                return chars.getWideString(0);
            }
            finally
            {
                Kernel32.INSTANCE.LocalFree(chars);
            }
        }
        finally
        {
            Kernel32.INSTANCE.CloseHandle(token.getValue());
        }
    }
}
