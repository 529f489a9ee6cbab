package ipc.shared.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The client's table of pending calls against {@link HashMap} as the model: random puts, gets and removes (which
 * exercise the backward shift of probe runs that wrap around the end of the table), growth and shrinking, and hostile
 * ids.
 */
class CallTableTest
{
    @Test
    void agreesWithAMapUnderRandomOperations()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final CallTable table = new CallTable();
        final Map<Long, ClientCall> model = new HashMap<>();
        long nextId = 1;
        for (int step = 0; step < 400_000; step++)
        {
            final int op = random.nextInt(10);
            if (op < 4 || model.isEmpty())
            {
                // Mostly sequential ids, as a client issues them, with jumps that crowd the same slots.
                final long id = random.nextInt(8) == 0 ? nextId + random.nextInt(1 << 20) : nextId;
                nextId = id + 1;
                final ClientCall call = new Call();
                table.put(id, call);
                model.put(id, call);
            }
            else if (op < 8)
            {
                final long id = random.nextBoolean() ? pick(model, random) : 1 + random.nextLong(nextId + 8);
                assertSame(model.remove(id), table.remove(id), "remove id=" + id);
            }
            else
            {
                final long id = random.nextBoolean() ? pick(model, random) : 1 + random.nextLong(nextId + 8);
                assertSame(model.get(id), table.get(id), "get id=" + id);
            }
            assertEquals(model.size(), table.size());
        }
        for (final Map.Entry<Long, ClientCall> entry : model.entrySet())
        {
            assertSame(entry.getValue(), table.get(entry.getKey()));
        }
        assertEquals(model.size(), table.values().size());
    }

    @Test
    void growsForABurstAndShrinksAfterIt()
    {
        final CallTable table = new CallTable();
        for (long id = 1; id <= 100_000; id++)
        {
            table.put(id, new Call());
        }
        assertEquals(262_144, table.capacity(), "half full at most");
        for (long id = 1; id <= 100_000; id++)
        {
            table.remove(id);
        }
        assertEquals(0, table.size());
        assertEquals(CallTable.MIN_CAPACITY, table.capacity(), "a drained burst gives its memory back");
    }

    @Test
    void hostileIdsFindNothing()
    {
        final CallTable table = new CallTable();
        table.put(7, new Call());
        assertNull(table.get(0));
        assertNull(table.get(-7));
        assertNull(table.get(Long.MAX_VALUE));
        assertNull(table.remove(Long.MIN_VALUE));
        assertEquals(1, table.size());
        assertThrows(IllegalArgumentException.class, () -> table.put(0, new Call()));
        assertThrows(IllegalStateException.class, () -> table.put(7, new Call()));
    }

    @Test
    void clearEmptiesAndShrinks()
    {
        final CallTable table = new CallTable();
        for (long id = 1; id <= 1000; id++)
        {
            table.put(id, new Call());
        }
        table.clear();
        assertEquals(0, table.size());
        assertNull(table.get(5));
        assertEquals(CallTable.MIN_CAPACITY, table.capacity());
    }

    private static long pick(final Map<Long, ClientCall> model, final SplittableRandom random)
    {
        if (model.isEmpty())
        {
            return 1;
        }
        int skip = random.nextInt(Math.min(model.size(), 16));
        for (final long id : model.keySet())
        {
            if (skip-- == 0)
            {
                return id;
            }
        }
        throw new AssertionError();
    }

    /** A call with no behaviour: the table only stores it. */
    private static final class Call extends ClientCall
    {
        Call()
        {
            super(1);
        }

        @Override
        void fire()
        {
        }

        @Override
        void recordFailure(final Throwable failure)
        {
        }

        @Override
        void failNow(final Throwable failure)
        {
        }
    }
}
