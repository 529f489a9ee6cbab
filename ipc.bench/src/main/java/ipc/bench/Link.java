package ipc.bench;

import java.io.IOException;

/**
 * One end of a two-process connection of one transport, reduced to what the scenarios need: messages whose first
 * eight bytes are a sequence number. Each benchmark JVM uses exactly one implementation, so calls stay monomorphic.
 */
interface Link extends AutoCloseable
{
    /**
     * The sequence number of the message that ends a time-capped phase: the echo server stops echoing, the stream
     * receiver stops receiving and acknowledges. Real sequence numbers start at 0 and only grow.
     */
    long END = -1;

    /**
     * Sends one message, waiting (as the transport waits) until it is accepted.
     *
     * @param sequence written into the first eight bytes.
     * @param length   message length, at least eight.
     * @throws Exception on any transport failure.
     */
    void send(long sequence, int length) throws Exception;

    /**
     * Receives the next message, waiting as the transport waits.
     *
     * @param length the length it must have.
     * @return its sequence number.
     * @throws Exception on a transport failure or a message of another length.
     */
    long receive(int length) throws Exception;

    /**
     * Receives at least one message and as many more as are ready without waiting, verifying each sequence number,
     * up to and including an {@link #END} message.
     *
     * @param expected the sequence number the next message must carry.
     * @param length   the length each must have.
     * @return the sequence number expected after those received; or, if an {@link #END} message came,
     *         {@code ~next} (negative) where {@code next} is the sequence number that would have followed the last
     *         real message, that is the number of real messages of the phase.
     * @throws Exception on a transport failure or a message out of sequence.
     */
    default long receiveBatch(final long expected, final int length) throws Exception
    {
        final long sequence = receive(length);
        if (sequence == END)
        {
            return ~expected;
        }
        if (sequence != expected)
        {
            throw new IllegalStateException("out of sequence: expected=" + expected + " received=" + sequence);
        }
        return expected + 1;
    }

    @Override
    void close() throws IOException;

    /**
     * Fails with a message naming both lengths.
     *
     * @param expected the length the scenario sends.
     * @param actual   the length received.
     */
    static void checkLength(final int expected, final int actual)
    {
        if (expected != actual)
        {
            throw new IllegalStateException("wrong message length: expected=" + expected + " received=" + actual);
        }
    }
}
