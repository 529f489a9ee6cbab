package ipc.macos.os;

import java.util.Random;

/**
 * The child of {@link ShmNameLifetimeTest}: creates and closes segments with names from a seeded source, reporting
 * every hundred, until it is killed.
 */
public final class ShmCreatorMain
{
    private ShmCreatorMain()
    {
    }

    /**
     * Runs until killed.
     *
     * @param args the seed.
     * @throws Exception if a segment cannot be created.
     */
    public static void main(final String[] args) throws Exception
    {
        final Random random = new Random(Long.parseLong(args[0]));
        for (int created = 1; ; created++)
        {
            Posix.closeQuietly(SharedMemory.create(16_384, random));
            if (created % 100 == 0)
            {
                System.out.println("created " + created);
                System.out.flush();
            }
        }
    }
}
