package ipc.itest.client;

/**
 * The messages of the echo tests, the same in both processes: sizes from empty to larger than one ring
 * record, and content that depends on the message's index and on each byte's position, so that a message
 * delivered out of order, truncated or mixed with another one is detected.
 */
public final class Payloads
{
    /** How many messages one echo run sends. */
    public static final int COUNT = 64;

    private static final int[] SIZES = {0, 1, 7, 64, 1000, 4096, 65_000, 200_000};

    private Payloads()
    {
    }

    /**
     * The message of a given index.
     *
     * @param index from 0 to {@link #COUNT} - 1.
     * @return a new array.
     */
    public static byte[] message(final int index)
    {
        final byte[] message = new byte[SIZES[index % SIZES.length] + index];
        for (int i = 0; i < message.length; i++)
        {
            message[i] = (byte)(index * 31 + i * 7 + (i >>> 8));
        }
        return message;
    }
}
