package ipc.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToIntFunction;

import org.junit.jupiter.api.Test;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.platform.win32.LMAccess;
import com.sun.jna.platform.win32.LMErr;
import com.sun.jna.platform.win32.WinBase;

/**
 * What {@link LocalUser} relies on that can be checked without Windows: the layouts of the structures it passes
 * ({@code jna-platform}'s, which must match the 64-bit SDK's), the constants it adds, and its names, passwords,
 * command lines, environment blocks and refusal reasons. Runs on any OS: nothing here loads a Windows library.
 */
class LocalUserTest
{
    @Test
    void shouldLayOutStartupInfoAsTheSdkDoes()
    {
        // processthreadsapi.h, typedef struct _STARTUPINFOW { DWORD cb; LPWSTR lpReserved; LPWSTR lpDesktop;
        // LPWSTR lpTitle; DWORD dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute, dwFlags;
        // WORD wShowWindow; WORD cbReserved2; LPBYTE lpReserved2; HANDLE hStdInput, hStdOutput, hStdError; }:
        // 104 bytes on 64-bit Windows (a pointer after cb, so 4 bytes of padding; 2 WORDs, then 4 of padding).
        assertEquals(8, Native.POINTER_SIZE, "these layouts are those of a 64-bit process");
        final StartupInfo startup = new StartupInfo();
        assertEquals(104, startup.size());
        assertEquals(104, startup.cb.intValue(), "cb is set to the size, as CreateProcessWithLogonW requires");
        assertOffsets(startup::offsetOf, Map.ofEntries(Map.entry("cb", 0), Map.entry("lpReserved", 8),
            Map.entry("lpDesktop", 16), Map.entry("lpTitle", 24), Map.entry("dwX", 32), Map.entry("dwFillAttribute", 56),
            Map.entry("dwFlags", 60), Map.entry("wShowWindow", 64), Map.entry("cbReserved2", 66),
            Map.entry("lpReserved2", 72), Map.entry("hStdInput", 80), Map.entry("hStdOutput", 88),
            Map.entry("hStdError", 96)));
        // A Unicode structure: CreateProcessWithLogonW takes LPSTARTUPINFOW, whose strings are wide.
        startup.lpTitle = "t";
        startup.write();
        assertEquals("t", startup.getPointer().getPointer(24).getWideString(0));
    }

    @Test
    void shouldLayOutProcessInformationAndUserInfo1AsTheSdkDoes()
    {
        // processthreadsapi.h: typedef struct _PROCESS_INFORMATION { HANDLE hProcess; HANDLE hThread;
        // DWORD dwProcessId; DWORD dwThreadId; }: 24 bytes on 64-bit Windows.
        final ProcessInformation process = new ProcessInformation();
        assertEquals(24, process.size());
        assertOffsets(process::offsetOf, Map.of("hProcess", 0, "hThread", 8, "dwProcessId", 16, "dwThreadId", 20));
        // lmaccess.h: typedef struct _USER_INFO_1 { LPWSTR usri1_name; LPWSTR usri1_password;
        // DWORD usri1_password_age; DWORD usri1_priv; LPWSTR usri1_home_dir; LPWSTR usri1_comment;
        // DWORD usri1_flags; LPWSTR usri1_script_path; }: 56 bytes on 64-bit Windows.
        final UserInfo1 user = new UserInfo1();
        assertEquals(56, user.size());
        assertOffsets(user::offsetOf, Map.of("usri1_name", 0, "usri1_password", 8, "usri1_password_age", 16, "usri1_priv", 20,
            "usri1_home_dir", 24, "usri1_comment", 32, "usri1_flags", 40, "usri1_script_path", 48));
        user.usri1_name = "n";
        user.write();
        assertEquals("n", user.getPointer().getPointer(0).getWideString(0), "NetUserAdd's strings are wide");
    }

    @Test
    void shouldMatchTheSdkConstants()
    {
        // lmaccess.h: #define UF_SCRIPT 0x0001, #define UF_DONT_EXPIRE_PASSWD 0x10000, #define USER_PRIV_USER 1
        assertEquals(0x0001, LocalUser.UF_SCRIPT);
        assertEquals(0x10000, LocalUser.UF_DONT_EXPIRE_PASSWD);
        assertEquals(1, LMAccess.USER_PRIV_USER);
        // lmerr.h: #define NERR_Success 0
        assertEquals(0, LMErr.NERR_Success);
        // winbase.h: #define LOGON_WITH_PROFILE 0x00000001, #define LOGON_NETCREDENTIALS_ONLY 0x00000002: 0 is neither
        assertEquals(0, LocalUser.LOGON_WITHOUT_PROFILE);
        // winbase.h: #define CREATE_UNICODE_ENVIRONMENT 0x00000400, #define STARTF_USESHOWWINDOW 0x00000001
        assertEquals(0x400, WinBase.CREATE_UNICODE_ENVIRONMENT);
        assertEquals(0x1, WinBase.STARTF_USESHOWWINDOW);
        // winuser.h: #define SW_HIDE 0
        assertEquals(0, LocalUser.SW_HIDE);
        // winerror.h
        assertEquals(5, LocalUser.ERROR_ACCESS_DENIED);
        assertEquals(1058, LocalUser.ERROR_SERVICE_DISABLED);
        assertEquals(1060, LocalUser.ERROR_SERVICE_DOES_NOT_EXIST);
        assertEquals(1327, LocalUser.ERROR_ACCOUNT_RESTRICTION);
        assertEquals(1385, LocalUser.ERROR_LOGON_TYPE_NOT_GRANTED);
    }

    @Test
    void shouldMakeShortUniqueNamesAndComplexPasswords()
    {
        final SecureRandom random = new SecureRandom();
        final String name = LocalUser.newName(random);
        assertTrue(name.matches("ipct[0-9a-f]{12}") && name.length() <= LocalUser.MAX_NAME_LENGTH, name);
        assertNotEquals(name, LocalUser.newName(random));
        for (int i = 0; i < 200; i++)
        {
            final String password = LocalUser.newPassword(random, name);
            assertEquals(LocalUser.PASSWORD_LENGTH, password.length());
            assertTrue(password.chars().anyMatch(Character::isUpperCase), password);
            assertTrue(password.chars().anyMatch(Character::isLowerCase), password);
            assertTrue(password.chars().anyMatch(Character::isDigit), password);
            assertTrue(password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)), password);
            assertFalse(LocalUser.sharesThreeCharacters(password, name), password + " " + name);
        }
        assertTrue(LocalUser.sharesThreeCharacters("xxIPCtyy", "ipct0123"), "case is ignored");
        assertFalse(LocalUser.sharesThreeCharacters("xxIPyy", "ipct0123"));
    }

    @Test
    void shouldQuoteArgumentsAsTheCRuntimeSplitsThem()
    {
        assertEquals("\"C:\\Program Files\\Java\\bin\\java.exe\" -cp a;b ipc.Main",
            LocalUser.commandLine(List.of("C:\\Program Files\\Java\\bin\\java.exe", "-cp", "a;b", "ipc.Main")));
        assertEquals("\"\" x", LocalUser.commandLine(List.of("", "x")), "an empty argument must survive");
        assertEquals("\"a\\\"b\"", LocalUser.commandLine(List.of("a\"b")));
        assertEquals("\"C:\\dir with space\\\\\"", LocalUser.commandLine(List.of("C:\\dir with space\\")),
            "a trailing backslash must not escape the closing quote");
        assertEquals("C:\\a\\b\\", LocalUser.commandLine(List.of("C:\\a\\b\\")), "unquoted backslashes are literal");
        assertEquals("\"a\\\\\\\"b c\"", LocalUser.commandLine(List.of("a\\\"b c")));
        final Random random = new Random(10);
        final String alphabet = "ab \t\"\\";
        for (int i = 0; i < 2000; i++)
        {
            final List<String> arguments = new ArrayList<>();
            for (int a = random.nextInt(4) + 1; a > 0; a--)
            {
                final StringBuilder argument = new StringBuilder();
                for (int c = random.nextInt(8); c > 0; c--)
                {
                    argument.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                arguments.add(argument.toString());
            }
            assertEquals(arguments, split(LocalUser.commandLine(arguments)), LocalUser.commandLine(arguments));
        }
    }

    @Test
    void shouldBuildASortedUtf16EnvironmentBlock()
    {
        final Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TMP", "C:\\t");
        environment.put("Path", "C:\\w");
        environment.put("SystemRoot", "C:\\Windows");
        assertEquals("Path=C:\\w\0SystemRoot=C:\\Windows\0TMP=C:\\t\0\0", LocalUser.environmentText(environment));
        final Memory block = LocalUser.environmentBlock(environment);
        final String text = LocalUser.environmentText(environment);
        assertEquals(text.length() * 2L, block.size());
        assertEquals(text, new String(block.getByteArray(0, (int)block.size()), StandardCharsets.UTF_16LE));
    }

    @Test
    void shouldSkipOnlyForWhatTheMachineForbids()
    {
        for (final int error : new int[] {1058, 1060, 1327, 1385})
        {
            assertTrue(LocalUser.refusalReason(error).contains("error=" + error));
        }
        // Access denied, a wrong password, a bad parameter: failures of the test, never a skip.
        for (final int error : new int[] {5, 1326, 87, 2})
        {
            assertNull(LocalUser.refusalReason(error));
        }
    }

    private static void assertOffsets(final ToIntFunction<String> offsetOf, final Map<String, Integer> offsets)
    {
        offsets.forEach((field, offset) -> assertEquals(offset.intValue(), offsetOf.applyAsInt(field), field));
    }

    /** jna-platform's STARTUPINFO, with its field offsets readable. */
    private static final class StartupInfo extends WinBase.STARTUPINFO
    {
        int offsetOf(final String field)
        {
            return fieldOffset(field);
        }
    }

    /** jna-platform's PROCESS_INFORMATION, with its field offsets readable. */
    private static final class ProcessInformation extends WinBase.PROCESS_INFORMATION
    {
        int offsetOf(final String field)
        {
            return fieldOffset(field);
        }
    }

    /** jna-platform's USER_INFO_1, with its field offsets readable. */
    private static final class UserInfo1 extends LMAccess.USER_INFO_1
    {
        int offsetOf(final String field)
        {
            return fieldOffset(field);
        }
    }

    /**
     * Splits a command line as the Microsoft C runtime does ("Parsing C command-line arguments"): white space
     * separates arguments outside quotes; {@code 2n} backslashes before a quote give {@code n} and the quote
     * delimits, {@code 2n+1} give {@code n} and a literal quote; other backslashes are literal.
     */
    private static List<String> split(final String line)
    {
        final List<String> arguments = new ArrayList<>();
        StringBuilder current = null;
        boolean quoted = false;
        int i = 0;
        while (i < line.length())
        {
            final char c = line.charAt(i);
            if (!quoted && (c == ' ' || c == '\t'))
            {
                if (null != current)
                {
                    arguments.add(current.toString());
                    current = null;
                }
                i++;
                continue;
            }
            current = null == current ? new StringBuilder() : current;
            if (c == '\\')
            {
                int backslashes = 0;
                while (i < line.length() && line.charAt(i) == '\\')
                {
                    backslashes++;
                    i++;
                }
                if (i < line.length() && line.charAt(i) == '"')
                {
                    current.append("\\".repeat(backslashes / 2));
                    if (backslashes % 2 == 1)
                    {
                        current.append('"');
                        i++;
                    }
                }
                else
                {
                    current.append("\\".repeat(backslashes));
                }
                continue;
            }
            if (c == '"')
            {
                quoted = !quoted;
            }
            else
            {
                current.append(c);
            }
            i++;
        }
        if (null != current)
        {
            arguments.add(current.toString());
        }
        return arguments;
    }
}
