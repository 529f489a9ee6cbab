package ipc.windows.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pipe names: {@code \\.\pipe\ipc-<SID>-<name>}, at most 256 characters, no backslash after the prefix. */
class PipeNamesTest
{
    private static final String SID = "S-1-5-21-3623811015-3361044348-30300820-1013";

    @Test
    void shouldNameServerPipeAfterUserSidAndName()
    {
        assertEquals("\\\\.\\pipe\\ipc-" + SID + "-orders", PipeNames.serverPipe(SID, "orders"));
    }

    @Test
    void shouldKeepLongestNameWithinTheLimit()
    {
        final String name = "n".repeat(64);
        final String pipe = PipeNames.serverPipe(SID, name);
        assertTrue(pipe.length() <= PipeNames.MAX_LENGTH, pipe);
        // Kernel32.h: MAX_PIPE_NAME_LENGTH 256 (jna-platform binds it too).
        assertEquals(com.sun.jna.platform.win32.Kernel32.MAX_PIPE_NAME_LENGTH, PipeNames.MAX_LENGTH);
    }

    @Test
    void shouldHashASidTooLongForTheLimit()
    {
        // The longest SID string: a 48-bit identifier authority (written in hex) and 15 sub-authorities.
        final StringBuilder sid = new StringBuilder("S-1-0xFFFFFFFFFFFF");
        for (int i = 0; i < 15; i++)
        {
            sid.append("-4294967295");
        }
        final String pipe = PipeNames.serverPipe(sid.toString(), "n".repeat(64));
        assertTrue(pipe.length() <= PipeNames.MAX_LENGTH, pipe);
        assertTrue(pipe.startsWith("\\\\.\\pipe\\ipc-h"), pipe);
        assertEquals(pipe, PipeNames.serverPipe(sid.toString(), "n".repeat(64)), "stable");
    }

    @Test
    void shouldKeepTheSidOfUsualAccountsReadable()
    {
        final StringBuilder sid = new StringBuilder("S-1-5-21");
        for (int i = 0; i < 14; i++)
        {
            sid.append("-4294967295");
        }
        final String pipe = PipeNames.serverPipe(sid.toString(), "n".repeat(64));
        assertTrue(pipe.contains(sid), pipe);
        assertTrue(pipe.length() <= PipeNames.MAX_LENGTH, pipe);
    }

    @Test
    void shouldHaveNoBackslashAfterThePrefix()
    {
        final String pipe = PipeNames.serverPipe(SID, "a.b_c-d");
        assertEquals(-1, pipe.substring(PipeNames.PREFIX.length()).indexOf('\\'));
    }

    @Test
    void shouldKeepDoorbellsApartFromServerNames()
    {
        final String doorbell = PipeNames.doorbellPipe(SID, "0123456789abcdef0123456789abcdef");
        assertEquals("\\\\.\\pipe\\ipc-" + SID + "-.bell-0123456789abcdef0123456789abcdef", doorbell);
        // A server name cannot start with a dot, so no server pipe of this user can be a doorbell's.
        assertThrows(IllegalArgumentException.class, () -> PipeNames.serverPipe(SID, ".bell-0123"));
        assertNotEquals(doorbell, PipeNames.serverPipe(SID, "bell-0123456789abcdef0123456789abcdef"));
    }

    @Test
    void shouldRefuseWhatIsNotASid()
    {
        assertThrows(IllegalArgumentException.class, () -> PipeNames.serverPipe("alice", "x"));
        assertThrows(IllegalArgumentException.class, () -> PipeNames.serverPipe("S-1-5\\x", "x"));
        assertThrows(IllegalArgumentException.class, () -> PipeNames.serverPipe(SID, "a\\b"));
        assertThrows(IllegalArgumentException.class, () -> PipeNames.doorbellPipe(SID, "XYZ"));
    }
}
