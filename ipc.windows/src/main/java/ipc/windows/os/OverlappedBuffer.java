package ipc.windows.os;

import java.nio.ByteBuffer;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import ipc.windows.jna.Overlapped;
import ipc.windows.jna.WinNTExt;

/**
 * One overlapped operation's memory: an {@code OVERLAPPED} followed by its data buffer, in one native block that
 * this object owns. The kernel writes both until the operation completes, long after the call that started it
 * returned, so the rules are:
 * <ul>
 *   <li>one operation at a time: {@link #begin()} only when {@link State#IDLE};</li>
 *   <li>the memory is never freed while an operation is {@link State#PENDING}: {@link #release()} then only marks
 *       the buffer, and {@link #complete} frees it once the owner observed the completion (after cancelling it);
 *       an operation whose completion is never observed leaks its block rather than let the kernel write into
 *       freed memory;</li>
 *   <li>the {@code hEvent} is written once, at construction; the event belongs to the owner, who must keep it
 *       open as long as the buffer may be pending.</li>
 * </ul>
 * Not thread-safe: its owner serializes access.
 */
public final class OverlappedBuffer
{
    /** Where an operation stands. */
    public enum State
    {
        /** No operation; the buffer may be reused or freed. */
        IDLE,
        /** Started; the kernel may write the memory at any time. */
        PENDING,
        /** Completed; its result is recorded and its bytes can be read. */
        DONE
    }

    private final Memory memory;
    private final int capacity;
    private State state = State.IDLE;
    private int transferred;
    private int error;
    private boolean released;

    /**
     * Allocates the block.
     *
     * @param capacity the data buffer's size; 0 for operations without data ({@code ConnectNamedPipe}).
     * @param event    the manual-reset event for {@code hEvent}, or 0.
     */
    public OverlappedBuffer(final int capacity, final long event)
    {
        if (capacity < 0)
        {
            throw new IllegalArgumentException("capacity must not be negative: capacity=" + capacity);
        }
        this.capacity = capacity;
        this.memory = new Memory(Overlapped.SIZE + Math.max(8, capacity));
        this.memory.clear();
        this.memory.setLong(Overlapped.H_EVENT_OFFSET, event);
    }

    /**
     * The {@code OVERLAPPED}'s address, which also identifies the operation in completion packets.
     *
     * @return the address.
     */
    public long overlapped()
    {
        return Pointer.nativeValue(memory);
    }

    /**
     * The data buffer's address.
     *
     * @return the address.
     */
    public long data()
    {
        return Pointer.nativeValue(memory) + Overlapped.SIZE;
    }

    /**
     * The data buffer's size.
     *
     * @return bytes.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * The current state.
     *
     * @return the state.
     */
    public State state()
    {
        return state;
    }

    /**
     * Starts an operation: clears the status words and marks the buffer pending. Call right before the function
     * that takes the {@code OVERLAPPED}; if that function fails at once, record it with {@link #complete}.
     *
     * @throws IllegalStateException if an operation is pending or done and not yet {@link #reset()}, or the buffer
     *                               was released.
     */
    public void begin()
    {
        if (released || state != State.IDLE)
        {
            throw new IllegalStateException("overlapped buffer busy: state=" + state + " released=" + released);
        }
        memory.setLong(Overlapped.INTERNAL_OFFSET, WinNTExt.STATUS_PENDING);
        memory.setLong(Overlapped.INTERNAL_HIGH_OFFSET, 0);
        memory.setInt(Overlapped.OFFSET_OFFSET, 0);
        memory.setInt(Overlapped.OFFSET_HIGH_OFFSET, 0);
        state = State.PENDING;
    }

    /**
     * {@code HasOverlappedIoCompleted}: whether the kernel finished the pending operation. Reads the status word
     * only; the result is then fetched with {@code GetOverlappedResult} and recorded with {@link #complete}.
     *
     * @return {@code true} if pending and its status is no longer {@code STATUS_PENDING}.
     */
    public boolean kernelDone()
    {
        return state == State.PENDING && memory.valid() &&
            (int)memory.getLong(Overlapped.INTERNAL_OFFSET) != WinNTExt.STATUS_PENDING;
    }

    /**
     * Records the completion of the pending operation; frees the memory if the buffer was released meanwhile.
     *
     * @param bytes bytes transferred.
     * @param code  0 for success, else the {@code GetLastError()} code of the operation.
     * @throws IllegalStateException if no operation is pending.
     */
    public void complete(final int bytes, final int code)
    {
        if (state != State.PENDING)
        {
            throw new IllegalStateException("no operation pending: state=" + state);
        }
        if (bytes < 0 || bytes > capacity)
        {
            throw new IllegalStateException("transferred out of range: bytes=" + bytes + " capacity=" + capacity);
        }
        transferred = bytes;
        error = code;
        state = State.DONE;
        if (released)
        {
            free();
        }
    }

    /**
     * Bytes the completed operation transferred.
     *
     * @return the count.
     */
    public int transferred()
    {
        return transferred;
    }

    /**
     * The completed operation's error code.
     *
     * @return 0 for success.
     */
    public int error()
    {
        return error;
    }

    /**
     * A view of the bytes the completed operation read.
     *
     * @param from offset of the first byte.
     * @return a buffer over bytes {@code from} to {@link #transferred()}; valid until the next {@link #begin()}.
     */
    public ByteBuffer bytes(final int from)
    {
        if (state != State.DONE || from < 0 || from > transferred)
        {
            throw new IllegalStateException("no bytes: state=" + state + " from=" + from + " transferred=" +
                transferred);
        }
        return memory.getByteBuffer(Overlapped.SIZE + from, transferred - from);
    }

    /**
     * A view of the whole data buffer, to fill before a write.
     *
     * @return the buffer.
     */
    public ByteBuffer writable()
    {
        if (state != State.IDLE)
        {
            throw new IllegalStateException("buffer busy: state=" + state);
        }
        return memory.getByteBuffer(Overlapped.SIZE, capacity);
    }

    /**
     * Makes the buffer idle again after its completion was handled.
     *
     * @throws IllegalStateException if an operation is still pending.
     */
    public void reset()
    {
        if (state == State.PENDING)
        {
            throw new IllegalStateException("operation still pending");
        }
        state = State.IDLE;
        transferred = 0;
        error = 0;
    }

    /**
     * Gives the memory up: freed at once if no operation is pending, else when {@link #complete} records its end.
     *
     * @return {@code true} if freed now.
     */
    public boolean release()
    {
        released = true;
        if (state == State.PENDING)
        {
            return false;
        }
        free();
        return true;
    }

    /**
     * Whether the memory was freed.
     *
     * @return {@code true} once freed.
     */
    public boolean isFreed()
    {
        return !memory.valid();
    }

    private void free()
    {
        if (memory.valid())
        {
            memory.close();
        }
    }
}
