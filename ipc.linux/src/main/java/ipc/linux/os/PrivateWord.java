package ipc.linux.os;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ipc.api.IpcException;

/**
 * A 32-bit word in native memory private to this process, for a thread that sleeps on it among other words
 * ({@link FutexVector}, with {@code processPrivate}): other threads of the process wake it with {@link #bump()},
 * which changes the word and then wakes it, so a sleeper that read the word before the change never sleeps through
 * it (the kernel compares the word atomically with going to sleep).
 */
public final class PrivateWord
{
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final int offset;
    private final long address;

    /** A word holding 0. */
    public PrivateWord()
    {
        buffer = ByteBuffer.allocateDirect(2 * Integer.BYTES).order(ByteOrder.nativeOrder());
        final long base = NativeScratch.addressOf(buffer);
        // A futex word is 4-byte aligned.
        offset = (int)((Integer.BYTES - (base & (Integer.BYTES - 1))) & (Integer.BYTES - 1));
        address = base + offset;
    }

    /**
     * The word's address.
     *
     * @return the address, 4-byte aligned.
     */
    public long address()
    {
        return address;
    }

    /**
     * Reads the word.
     *
     * @return its value.
     */
    public int get()
    {
        return (int)INT.getVolatile(buffer, offset);
    }

    /**
     * Changes the word and wakes the threads sleeping on it. Any thread.
     *
     * @throws IpcException if the kernel refuses the wake.
     */
    public void bump() throws IpcException
    {
        INT.getAndAdd(buffer, offset, 1);
        FutexVector.wakePrivate(address);
    }
}
