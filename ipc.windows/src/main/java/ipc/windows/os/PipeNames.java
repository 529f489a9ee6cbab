package ipc.windows.os;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of the backend's named pipes: {@code \\.\pipe\ipc-<user>-<name>} for a server, where {@code <user>} is the
 * string form of the server user's SID (unique, unlike a user name, and free of backslashes), and
 * {@code \\.\pipe\ipc-<user>-.bell-<random>} for a connection's doorbell (a server name cannot start with a dot, so
 * the two never meet).
 *
 * <p>Rules (CreateNamedPipeW documentation): the whole name is at most 256 characters
 * ({@code MAX_PIPE_NAME_LENGTH}); after {@code \\.\pipe\} any character but a backslash; names are compared
 * without regard to case, so servers {@code Foo} and {@code foo} of one user are the same name on Windows. A SID so
 * long that the name would not fit is replaced by {@code h} and 32 hex digits of its SHA-256.
 */
public final class PipeNames
{
    /** The local pipe namespace. */
    public static final String PREFIX = "\\\\.\\pipe\\";
    /** {@code MAX_PIPE_NAME_LENGTH} (Kernel32) : the longest pipe name, prefix included. */
    public static final int MAX_LENGTH = 256;
    /** Doorbell pipes' infix, after the user: not a valid server name, which cannot start with a dot. */
    public static final String DOORBELL_INFIX = ".bell-";

    private static final String APP = "ipc-";

    private PipeNames()
    {
    }

    /**
     * The pipe of a server name.
     *
     * @param userSid the server user's SID, e.g. {@code S-1-5-21-1-2-3-1001}.
     * @param name    a validated server name (1 to 64 characters of {@code [A-Za-z0-9._-]}).
     * @return the pipe's full name.
     * @throws IllegalArgumentException if the SID or the name break the rules.
     */
    public static String serverPipe(final String userSid, final String name)
    {
        if (name.isEmpty() || name.charAt(0) == '.' || name.indexOf('\\') >= 0)
        {
            throw new IllegalArgumentException("not a server name: name=" + name);
        }
        return fit(userSid, name);
    }

    /**
     * The pipe of a connection's doorbell.
     *
     * @param userSid the server user's SID.
     * @param random  hex digits that make the name unique.
     * @return the pipe's full name.
     */
    public static String doorbellPipe(final String userSid, final String random)
    {
        if (!random.matches("[0-9a-f]{1,64}"))
        {
            throw new IllegalArgumentException("random part must be 1 to 64 lower-case hex digits: random=" + random);
        }
        return fit(userSid, DOORBELL_INFIX + random);
    }

    private static String fit(final String userSid, final String suffix)
    {
        if (!SecurityDescriptors.isSidString(userSid))
        {
            throw new IllegalArgumentException("not a SID string: sid=" + userSid);
        }
        final String full = PREFIX + APP + userSid + "-" + suffix;
        if (full.length() <= MAX_LENGTH)
        {
            return full;
        }
        final String hashed = PREFIX + APP + "h" + sha256Prefix(userSid) + "-" + suffix;
        if (hashed.length() > MAX_LENGTH)
        {
            throw new IllegalArgumentException("pipe name too long: length=" + hashed.length() + " max=" + MAX_LENGTH);
        }
        return hashed;
    }

    private static String sha256Prefix(final String text)
    {
        try
        {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
    }
}
