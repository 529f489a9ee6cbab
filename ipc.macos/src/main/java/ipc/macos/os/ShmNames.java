package ipc.macos.os;

import java.util.Random;

import ipc.macos.jna.Mman;

/**
 * Names of POSIX shared memory objects: {@value #PREFIX} and random characters of {@value #ALPHABET}, exactly
 * {@link Mman#PSHMNAMLEN} characters in all, leading {@code '/'} included (a longer name fails with
 * {@code ENAMETOOLONG}). 26 random characters of 36 give about 134 bits: a collision with a live object is
 * practically impossible, and {@code O_EXCL} turns one into a retry rather than a shared segment.
 */
public final class ShmNames
{
    /** The prefix, with the leading slash. */
    public static final String PREFIX = "/ipc-";
    /** The characters of the random part. */
    public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** The length of every name. */
    public static final int LENGTH = Mman.PSHMNAMLEN;

    private ShmNames()
    {
    }

    /**
     * A new random name.
     *
     * @param random the source of randomness (a {@link java.security.SecureRandom} in production).
     * @return a name of {@link #LENGTH} characters.
     */
    public static String next(final Random random)
    {
        final StringBuilder name = new StringBuilder(LENGTH).append(PREFIX);
        while (name.length() < LENGTH)
        {
            name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return name.toString();
    }
}
