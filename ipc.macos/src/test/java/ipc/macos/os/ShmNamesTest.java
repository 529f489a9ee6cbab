package ipc.macos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The shared memory name generator: length (PSHMNAMLEN), alphabet, uniqueness. Pure Java. */
class ShmNamesTest
{
    @Test
    void shouldFitPshmnamlenWithTheLeadingSlash()
    {
        // xnu bsd/sys/posix_shm.h:53 PSHMNAMLEN 31; posix_shm.c pshm_get_name copies at most PSHMNAMLEN + 1 bytes
        // with the NUL: 31 characters, '/' included.
        final Random random = new SecureRandom();
        for (int i = 0; i < 1000; i++)
        {
            final String name = ShmNames.next(random);
            assertTrue(name.length() <= 31, name);
            assertEquals(ShmNames.LENGTH, name.length(), name);
        }
    }

    @Test
    void shouldUseOnlyTheSafeAlphabetAfterTheSlashPrefix()
    {
        final Random random = new Random(42);
        for (int i = 0; i < 1000; i++)
        {
            final String name = ShmNames.next(random);
            assertTrue(name.startsWith("/ipc-"), name);
            assertEquals(1, name.chars().filter(c -> c == '/').count(), "one slash only, leading: " + name);
            for (final char c : name.substring(ShmNames.PREFIX.length()).toCharArray())
            {
                assertTrue(ShmNames.ALPHABET.indexOf(c) >= 0, "character " + c + " in " + name);
            }
        }
    }

    @Test
    void shouldNotRepeatOverManyDraws()
    {
        final Random random = new SecureRandom();
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++)
        {
            assertTrue(seen.add(ShmNames.next(random)), "repeated after " + i + " draws");
        }
    }

    @Test
    void shouldUseEveryCharacterOfTheAlphabet()
    {
        final Random random = new Random(7);
        final Set<Character> used = new HashSet<>();
        for (int i = 0; i < 1000; i++)
        {
            for (final char c : ShmNames.next(random).substring(ShmNames.PREFIX.length()).toCharArray())
            {
                used.add(c);
            }
        }
        assertEquals(ShmNames.ALPHABET.length(), used.size());
    }
}
