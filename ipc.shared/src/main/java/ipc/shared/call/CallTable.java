package ipc.shared.call;

import java.util.ArrayList;
import java.util.List;

/**
 * The pending calls of a client by correlation id: an open-addressing table with linear probing on primitive ids, so
 * that a lookup on every reply neither boxes the id nor allocates a node.
 *
 * <p>Ids are positive ({@code 0} marks a free slot) and spread by Fibonacci hashing, so the sequential ids of one
 * client and any ids a hostile server names alike find their slot in a few probes. The table doubles when half full
 * and halves when an eighth full (not below {@value #MIN_CAPACITY} slots), so a burst of calls in flight does not pin
 * its memory. A removal shifts the following entries of its probe run back, leaving no tombstones. Not thread-safe:
 * the client guards it with its lock.
 */
final class CallTable
{
    /** The smallest table, a power of two. */
    static final int MIN_CAPACITY = 16;
    private static final long FIBONACCI = 0x9E3779B97F4A7C15L;

    private long[] ids;
    private ClientCall[] calls;
    private int mask;
    private int shift;
    private int size;

    CallTable()
    {
        allocate(MIN_CAPACITY);
    }

    /**
     * The call with this id.
     *
     * @param id any id (a peer's, possibly hostile).
     * @return the call, or {@code null} if none is pending with that id.
     */
    ClientCall get(final long id)
    {
        if (id <= 0)
        {
            return null;
        }
        for (int i = slot(id); ; i = (i + 1) & mask)
        {
            final long key = ids[i];
            if (key == id)
            {
                return calls[i];
            }
            if (0 == key)
            {
                return null;
            }
        }
    }

    /**
     * Adds a call under an id not in the table.
     *
     * @param id   a positive id, not present.
     * @param call the call.
     */
    void put(final long id, final ClientCall call)
    {
        if (id <= 0)
        {
            throw new IllegalArgumentException("call ids are positive: id=" + id);
        }
        if (size + 1 > (mask + 1) >>> 1)
        {
            rehash((mask + 1) << 1);
        }
        int i = slot(id);
        while (0 != ids[i])
        {
            if (ids[i] == id)
            {
                throw new IllegalStateException("call id already pending: id=" + id);
            }
            i = (i + 1) & mask;
        }
        ids[i] = id;
        calls[i] = call;
        size++;
    }

    /**
     * Removes the call with this id.
     *
     * @param id any id.
     * @return the call removed, or {@code null} if none was pending with that id.
     */
    ClientCall remove(final long id)
    {
        if (id <= 0)
        {
            return null;
        }
        int hole = slot(id);
        while (ids[hole] != id)
        {
            if (0 == ids[hole])
            {
                return null;
            }
            hole = (hole + 1) & mask;
        }
        final ClientCall removed = calls[hole];
        // Move back every later entry of the run whose home slot does not lie between the hole and itself.
        for (int i = (hole + 1) & mask; 0 != ids[i]; i = (i + 1) & mask)
        {
            final int home = slot(ids[i]);
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                ids[hole] = ids[i];
                calls[hole] = calls[i];
                hole = i;
            }
        }
        ids[hole] = 0;
        calls[hole] = null;
        size--;
        if (mask + 1 > MIN_CAPACITY && size < (mask + 1) >>> 3)
        {
            rehash((mask + 1) >>> 1);
        }
        return removed;
    }

    /**
     * The number of calls.
     *
     * @return the size.
     */
    int size()
    {
        return size;
    }

    /**
     * The slots of the table now (for tests of its growth and shrinking).
     *
     * @return a power of two.
     */
    int capacity()
    {
        return mask + 1;
    }

    /**
     * The calls, in no particular order.
     *
     * @return a new list.
     */
    List<ClientCall> values()
    {
        final List<ClientCall> values = new ArrayList<>(size);
        for (final ClientCall call : calls)
        {
            if (null != call)
            {
                values.add(call);
            }
        }
        return values;
    }

    /** Removes every call and returns to the smallest table. */
    void clear()
    {
        allocate(MIN_CAPACITY);
        size = 0;
    }

    private int slot(final long id)
    {
        return (int)((id * FIBONACCI) >>> shift);
    }

    private void rehash(final int capacity)
    {
        final long[] oldIds = ids;
        final ClientCall[] oldCalls = calls;
        allocate(capacity);
        for (int i = 0; i < oldIds.length; i++)
        {
            if (0 != oldIds[i])
            {
                int j = slot(oldIds[i]);
                while (0 != ids[j])
                {
                    j = (j + 1) & mask;
                }
                ids[j] = oldIds[i];
                calls[j] = oldCalls[i];
            }
        }
    }

    private void allocate(final int capacity)
    {
        ids = new long[capacity];
        calls = new ClientCall[capacity];
        mask = capacity - 1;
        shift = Long.SIZE - Integer.numberOfTrailingZeros(capacity);
    }
}
