package ipc.windows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import ipc.windows.os.CompletionQueue;

/** A completion port without Windows, for tests: a queue of {@code OVERLAPPED} addresses. */
final class FakeCompletionPort implements CompletionQueue
{
    final ArrayDeque<Long> packets = new ArrayDeque<>();
    final List<Long> associated = new ArrayList<>();
    final List<Integer> waits = new ArrayList<>();
    final long[] dequeued = new long[4];
    boolean closed;

    @Override
    public void associate(final long handle)
    {
        associated.add(handle);
    }

    @Override
    public boolean post(final long overlapped)
    {
        if (closed)
        {
            throw new AssertionError("posted to a closed port");
        }
        packets.add(overlapped);
        return true;
    }

    @Override
    public int dequeue(final int millis)
    {
        waits.add(millis);
        int count = 0;
        while (count < dequeued.length && !packets.isEmpty())
        {
            dequeued[count++] = packets.poll();
        }
        return count;
    }

    @Override
    public long overlapped(final int index)
    {
        return dequeued[index];
    }

    @Override
    public int capacity()
    {
        return dequeued.length;
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
