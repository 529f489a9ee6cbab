package ipc.windows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.LMAccess;
import com.sun.jna.platform.win32.LMErr;
import com.sun.jna.platform.win32.Netapi32;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.ptr.IntByReference;

/**
 * A throwaway local Windows user for tests: created with a random password ({@code NetUserAdd}), able to run a
 * process ({@code CreateProcessWithLogonW}), deleted on {@link #close()} ({@code NetUserDel}). The calls are
 * {@code jna-platform}'s own bindings ({@code Netapi32}, {@code Advapi32}, {@code Kernel32}) with its
 * {@code STARTUPINFO}, {@code PROCESS_INFORMATION} and {@code USER_INFO_1} structures, whose layouts, and the
 * constants added here, {@code LocalUserTest} checks against the SDK on every build. The parts that make no call
 * (names, passwords, command lines, environment blocks, which refusals mean "this machine does not allow it") are
 * static and tested there too; the calls themselves run only on Windows.
 */
final class LocalUser implements AutoCloseable
{
    /** lmaccess.h: {@code #define UF_SCRIPT 0x0001}, required in {@code usri1_flags} by {@code NetUserAdd} level 1. */
    static final int UF_SCRIPT = 0x0001;
    /** lmaccess.h: {@code #define UF_DONT_EXPIRE_PASSWD 0x10000}. */
    static final int UF_DONT_EXPIRE_PASSWD = 0x10000;
    /**
     * winbase.h: {@code dwLogonFlags} 0, neither {@code LOGON_WITH_PROFILE} (1) nor {@code LOGON_NETCREDENTIALS_ONLY}
     * (2): no profile is created or loaded, so nothing of the user stays on disk.
     */
    static final int LOGON_WITHOUT_PROFILE = 0;
    /** winuser.h: {@code #define SW_HIDE 0}. */
    static final int SW_HIDE = 0;
    /** winerror.h: {@code ERROR_ACCESS_DENIED 5L}. */
    static final int ERROR_ACCESS_DENIED = 5;
    /** winerror.h: {@code ERROR_SERVICE_DISABLED 1058L} (the Secondary Logon service is disabled). */
    static final int ERROR_SERVICE_DISABLED = 1058;
    /** winerror.h: {@code ERROR_SERVICE_DOES_NOT_EXIST 1060L} (no Secondary Logon service). */
    static final int ERROR_SERVICE_DOES_NOT_EXIST = 1060;
    /** winerror.h: {@code ERROR_ACCOUNT_RESTRICTION 1327L} (a policy forbids this logon). */
    static final int ERROR_ACCOUNT_RESTRICTION = 1327;
    /** winerror.h: {@code ERROR_LOGON_TYPE_NOT_GRANTED 1385L} (the user may not log on locally here). */
    static final int ERROR_LOGON_TYPE_NOT_GRANTED = 1385;

    /** The longest SAM account name (User Name, lmcons.h {@code LM20_UNLEN 20}). */
    static final int MAX_NAME_LENGTH = 20;
    /** Password length: far above any complexity policy's minimum, far below {@code PWLEN} (256). */
    static final int PASSWORD_LENGTH = 24;

    private static final String NAME_PREFIX = "ipct";
    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String DIGITS = "23456789";
    private static final String SYMBOLS = "!#%+-=?@_";
    private static final String ALL = UPPER + LOWER + DIGITS + SYMBOLS;

    private final String name;
    private final String password;

    private LocalUser(final String name, final String password)
    {
        this.name = name;
        this.password = password;
    }

    /** This machine does not let the test create a user or log one on; the message says why. */
    static final class RefusedException extends Exception
    {
        private static final long serialVersionUID = 1L;

        RefusedException(final String reason)
        {
            super(reason);
        }
    }

    /**
     * Creates a local user of the Users group with a random name and password ({@code NetUserAdd}, level 1).
     *
     * @param random the source of the name and password.
     * @return the user; close it to delete it.
     * @throws RefusedException if this process may not create users (not an administrator).
     */
    static LocalUser create(final SecureRandom random) throws RefusedException
    {
        final String name = newName(random);
        final String password = newPassword(random, name);
        final LMAccess.USER_INFO_1 info = new LMAccess.USER_INFO_1();
        info.usri1_name = name;
        info.usri1_password = password;
        info.usri1_priv = LMAccess.USER_PRIV_USER;
        info.usri1_comment = "throwaway user of the ipc.windows tests";
        info.usri1_flags = UF_SCRIPT | UF_DONT_EXPIRE_PASSWD;
        final IntByReference parameterError = new IntByReference();
        final int status = Netapi32.INSTANCE.NetUserAdd(null, 1, info, parameterError);
        if (status == ERROR_ACCESS_DENIED)
        {
            throw new RefusedException("creating a local user needs an administrator: NetUserAdd status=" + status);
        }
        if (status != LMErr.NERR_Success)
        {
            throw new IllegalStateException("NetUserAdd failed: status=" + status + " parameter=" +
                parameterError.getValue() + " name=" + name);
        }
        return new LocalUser(name, password);
    }

    /** The user's account name. */
    String name()
    {
        return name;
    }

    /**
     * Runs a program as this user and waits for it ({@code CreateProcessWithLogonW} without a profile, hidden, with
     * {@code lpDesktop} {@code NULL}: this process's window station and desktop, which, as the function's Remarks on
     * learn.microsoft.com describe it, the call opens to the user; not verified here. A process that cannot use them
     * fails to start with {@code STATUS_DLL_INIT_FAILED}, 0xC0000142, as its exit code).
     *
     * @param application   the program's full path.
     * @param arguments     its arguments, {@code argv[0]} first.
     * @param environment   its whole environment.
     * @param directory     its working directory.
     * @param timeoutMillis how long to wait before it is terminated and this fails.
     * @return its exit code.
     * @throws RefusedException if this machine does not let the user log on (see {@link #refusalReason(int)}).
     */
    int run(final String application, final List<String> arguments, final Map<String, String> environment,
        final String directory, final int timeoutMillis) throws RefusedException
    {
        final WinBase.STARTUPINFO startup = new WinBase.STARTUPINFO();
        startup.dwFlags = WinBase.STARTF_USESHOWWINDOW;
        startup.wShowWindow = new WinDef.WORD(SW_HIDE);
        final WinBase.PROCESS_INFORMATION process = new WinBase.PROCESS_INFORMATION();
        final Memory block = environmentBlock(environment);
        if (!Advapi32.INSTANCE.CreateProcessWithLogonW(name, ".", password, LOGON_WITHOUT_PROFILE, application,
            commandLine(arguments), WinBase.CREATE_UNICODE_ENVIRONMENT, block, directory, startup, process))
        {
            final int error = Native.getLastError();
            final String reason = refusalReason(error);
            if (null != reason)
            {
                throw new RefusedException(reason);
            }
            throw new IllegalStateException("CreateProcessWithLogonW failed: error=" + error + " user=" + name +
                " application=" + application + (error == ERROR_ACCESS_DENIED ?
                " (can the user read the program, the class path and the directory?)" : ""));
        }
        try
        {
            if (Kernel32.INSTANCE.WaitForSingleObject(process.hProcess, timeoutMillis) != WinBase.WAIT_OBJECT_0)
            {
                Kernel32.INSTANCE.TerminateProcess(process.hProcess, 1);
                throw new AssertionError("the process of user " + name + " did not end within " + timeoutMillis +
                    " ms: pid=" + process.dwProcessId);
            }
            final IntByReference exitCode = new IntByReference();
            if (!Kernel32.INSTANCE.GetExitCodeProcess(process.hProcess, exitCode))
            {
                throw new IllegalStateException("GetExitCodeProcess failed: error=" + Native.getLastError());
            }
            return exitCode.getValue();
        }
        finally
        {
            Kernel32.INSTANCE.CloseHandle(process.hThread);
            Kernel32.INSTANCE.CloseHandle(process.hProcess);
        }
    }

    /** Deletes the user ({@code NetUserDel}); fails the test if it cannot, so no user is left unnoticed. */
    @Override
    public void close()
    {
        final int status = Netapi32.INSTANCE.NetUserDel(null, name);
        if (status != LMErr.NERR_Success)
        {
            throw new IllegalStateException("NetUserDel failed, delete the user by hand: status=" + status +
                " name=" + name);
        }
    }

    /**
     * A fresh account name: {@value #NAME_PREFIX} and 12 hex digits, 16 characters (at most
     * {@value #MAX_NAME_LENGTH}).
     */
    static String newName(final SecureRandom random)
    {
        final byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return NAME_PREFIX + HexFormat.of().formatHex(bytes);
    }

    /**
     * A password that meets Windows' complexity rule ("Password must meet complexity requirements": characters of at
     * least three of upper case, lower case, digits and symbols, and no run of three or more characters of the account
     * name): {@value #PASSWORD_LENGTH} characters with at least one of each of the four kinds.
     */
    static String newPassword(final SecureRandom random, final String accountName)
    {
        while (true)
        {
            final char[] password = new char[PASSWORD_LENGTH];
            final String[] kinds = {UPPER, LOWER, DIGITS, SYMBOLS};
            for (int i = 0; i < password.length; i++)
            {
                final String kind = i < kinds.length ? kinds[i] : ALL;
                password[i] = kind.charAt(random.nextInt(kind.length()));
            }
            for (int i = password.length - 1; i > 0; i--)
            {
                final int j = random.nextInt(i + 1);
                final char swap = password[i];
                password[i] = password[j];
                password[j] = swap;
            }
            final String candidate = new String(password);
            if (!sharesThreeCharacters(candidate, accountName))
            {
                return candidate;
            }
        }
    }

    static boolean sharesThreeCharacters(final String password, final String accountName)
    {
        final String lower = password.toLowerCase(Locale.ROOT);
        final String account = accountName.toLowerCase(Locale.ROOT);
        for (int i = 0; i + 3 <= account.length(); i++)
        {
            if (lower.contains(account.substring(i, i + 3)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * A command line that the Microsoft C runtime (and so the Java launcher) splits back into exactly these
     * arguments ("Parsing C command-line arguments", learn.microsoft.com): an argument with no space, tab or quote is
     * left as is; any other is quoted, a quote inside it is escaped with a backslash, and the backslashes before a
     * quote (or before the closing quote) are doubled.
     */
    static String commandLine(final List<String> arguments)
    {
        final StringBuilder line = new StringBuilder();
        for (final String argument : arguments)
        {
            if (line.length() > 0)
            {
                line.append(' ');
            }
            if (!argument.isEmpty() && argument.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"'))
            {
                line.append(argument);
                continue;
            }
            line.append('"');
            int backslashes = 0;
            for (int i = 0; i < argument.length(); i++)
            {
                final char c = argument.charAt(i);
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }
                line.append("\\".repeat(c == '"' ? 2 * backslashes + 1 : backslashes)).append(c);
                backslashes = 0;
            }
            line.append("\\".repeat(2 * backslashes)).append('"');
        }
        return line.toString();
    }

    /**
     * An environment block for {@code CREATE_UNICODE_ENVIRONMENT}: {@code name=value} strings in UTF-16LE, each
     * ended by a NUL, the block by one more, sorted by name without regard to case (CreateProcessW, "Changing
     * Environment Variables", learn.microsoft.com).
     */
    static Memory environmentBlock(final Map<String, String> environment)
    {
        final byte[] bytes = environmentText(environment).getBytes(StandardCharsets.UTF_16LE);
        final Memory block = new Memory(bytes.length);
        block.write(0, bytes, 0, bytes.length);
        return block;
    }

    /** {@link #environmentBlock}'s characters. */
    static String environmentText(final Map<String, String> environment)
    {
        final Map<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sorted.putAll(environment);
        final StringBuilder text = new StringBuilder();
        sorted.forEach((key, value) -> text.append(key).append('=').append(value).append('\0'));
        return text.append('\0').toString();
    }

    /**
     * Whether an error of {@code CreateProcessWithLogonW} means that this machine does not let a user log on this
     * way (a policy, a disabled Secondary Logon service), as opposed to a failure of the test.
     *
     * @return the reason, or {@code null} for any other error.
     */
    static String refusalReason(final int error)
    {
        return switch (error)
        {
            case ERROR_SERVICE_DISABLED, ERROR_SERVICE_DOES_NOT_EXIST ->
                "the Secondary Logon service (seclogon) is not available: CreateProcessWithLogonW error=" + error;
            case ERROR_ACCOUNT_RESTRICTION, ERROR_LOGON_TYPE_NOT_GRANTED ->
                "a policy of this machine forbids the new user to log on: CreateProcessWithLogonW error=" + error;
            default -> null;
        };
    }
}
