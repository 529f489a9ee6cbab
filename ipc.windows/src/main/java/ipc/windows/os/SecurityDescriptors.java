package ipc.windows.os;

import java.util.regex.Pattern;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.WinBase.SECURITY_ATTRIBUTES;

import ipc.api.IpcException;
import ipc.windows.jna.Sddl;
import ipc.windows.jna.Win32;

/**
 * The security of the backend's named pipes: an explicit, protected DACL that grants full access to the server's
 * user and to {@code LocalSystem} and to nobody else ({@code D:P(A;;GA;;;<user SID>)(A;;GA;;;SY)}). Without it a
 * pipe gets the creator's default DACL, which on many systems also lets {@code Everyone} or anonymous users read.
 * The server still checks every client's user (see {@code ProcessTokens}).
 */
public final class SecurityDescriptors
{
    /** A SID string: revision 1, authority in decimal or (48-bit) hex, at most 15 sub-authorities. */
    private static final Pattern SID =
        Pattern.compile("S-1-(0x[0-9A-Fa-f]{1,12}|[0-9]{1,10})(-[0-9]{1,10}){0,15}");

    private SecurityDescriptors()
    {
    }

    /**
     * Whether a text is a SID string as {@code ConvertSidToStringSidW} writes it.
     *
     * @param text the text.
     * @return {@code true} for e.g. {@code S-1-5-21-1-2-3-1001}; never for text holding SDDL or path syntax.
     */
    public static boolean isSidString(final String text)
    {
        return SID.matcher(text).matches();
    }

    /**
     * The SDDL text of the pipes' security descriptor.
     *
     * @param userSid the server user's SID string.
     * @return {@code D:P(A;;GA;;;<userSid>)(A;;GA;;;SY)}.
     * @throws IllegalArgumentException if {@code userSid} is not a SID string (which could inject ACEs).
     */
    public static String pipeSddl(final String userSid)
    {
        if (!isSidString(userSid))
        {
            throw new IllegalArgumentException("not a SID string: sid=" + userSid);
        }
        return "D:" + Sddl.SDDL_PROTECTED + ace(userSid) + ace(Sddl.SDDL_LOCAL_SYSTEM);
    }

    private static String ace(final String trustee)
    {
        return "(" + Sddl.SDDL_ACCESS_ALLOWED + ";;" + Sddl.SDDL_GENERIC_ALL + ";;;" + trustee + ")";
    }

    /**
     * A security descriptor built from SDDL, wrapped in non-inheritable {@code SECURITY_ATTRIBUTES}; frees the
     * descriptor on close.
     */
    public static final class Attributes implements AutoCloseable
    {
        private final Pointer descriptor;
        private final SECURITY_ATTRIBUTES attributes;

        private Attributes(final Pointer descriptor)
        {
            this.descriptor = descriptor;
            this.attributes = new SECURITY_ATTRIBUTES();
            this.attributes.lpSecurityDescriptor = descriptor;
            this.attributes.bInheritHandle = false;
            this.attributes.write();
        }

        /**
         * The attributes to pass to a creating function.
         *
         * @return the structure; valid until {@link #close()}.
         */
        public SECURITY_ATTRIBUTES get()
        {
            return attributes;
        }

        @Override
        public void close()
        {
            Kernel32.INSTANCE.LocalFree(descriptor);
        }
    }

    /**
     * Converts SDDL into a security descriptor.
     *
     * @param sddl the text, e.g. from {@link #pipeSddl(String)}.
     * @return the attributes; the caller closes them.
     * @throws IpcException if the text is rejected.
     */
    public static Attributes fromSddl(final String sddl) throws IpcException
    {
        final Memory out = new Memory(Native.POINTER_SIZE);
        out.clear();
        if (Win32.Advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(new WString(sddl),
            Sddl.SDDL_REVISION_1, Pointer.nativeValue(out), 0) == 0)
        {
            throw WindowsErrors.exception("ConvertStringSecurityDescriptorToSecurityDescriptorW",
                Native.getLastError(), "sddl=" + sddl);
        }
        return new Attributes(out.getPointer(0));
    }
}
