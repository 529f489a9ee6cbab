package ipc.windows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import ipc.api.IpcException;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Selectable;
import ipc.windows.os.CompletionPort;
import ipc.windows.os.CompletionQueue;
import ipc.windows.os.Timeouts;

/**
 * An I/O completion port watching any number of {@link PortSelectable}s with one thread: every selectable keeps one
 * overlapped operation pending (a pipe read, or the listener's {@code ConnectNamedPipe}); its completion, when the
 * peer writes, connects or dies, queues a packet carrying the operation's {@code OVERLAPPED} address.
 *
 * <h2>Level-triggered on top of completions</h2>
 * A packet only says "look at this operation". A selectable is reported ready while its operation is complete and
 * unconsumed ({@link PortSelectable#isReady()}), in every {@link #select} until its owner consumed the result and
 * started the next operation. So a stale packet (for a consumed operation, or for memory since reused) reports
 * nothing, and a selectable left unconsumed keeps being reported, as the SPI requires. Operations that complete
 * without a packet are {@linkplain #hint hinted} by their selectable.
 */
final class WindowsMultiplexer implements Multiplexer
{
    private static final int MAX_EVENTS = 256;

    /** A watched selectable and its key. */
    private static final class Registration
    {
        final PortSelectable selectable;
        final long key;

        Registration(final PortSelectable selectable, final long key)
        {
            this.selectable = selectable;
            this.key = key;
        }
    }

    private final CompletionQueue port;
    private final Map<Long, Registration> byOverlapped = new HashMap<>();
    private final Map<PortSelectable, Registration> bySelectable = new IdentityHashMap<>();
    private final LinkedHashSet<Registration> candidates = new LinkedHashSet<>();
    private final ArrayList<Registration> reporting = new ArrayList<>();
    private boolean closed;

    WindowsMultiplexer() throws IpcException
    {
        this(new CompletionPort(MAX_EVENTS));
    }

    /** On a given port (tests pass one that needs no Windows). */
    WindowsMultiplexer(final CompletionQueue port)
    {
        this.port = port;
    }

    @Override
    public void register(final Selectable selectable, final long key) throws IpcException
    {
        if (!(selectable instanceof PortSelectable))
        {
            throw new IpcException("not a Windows selectable: " + selectable);
        }
        final PortSelectable watched = (PortSelectable)selectable;
        final Registration registration = new Registration(watched, key);
        final Registration previous = bySelectable.put(watched, registration);
        if (null != previous)
        {
            candidates.remove(previous);
        }
        byOverlapped.put(watched.overlapped(), registration);
        try
        {
            watched.attach(this);
        }
        catch (final IpcException | RuntimeException ex)
        {
            bySelectable.remove(watched);
            byOverlapped.remove(watched.overlapped());
            throw ex;
        }
        if (watched.isReady())
        {
            candidates.add(registration);
        }
    }

    @Override
    public void unregister(final Selectable selectable)
    {
        final Registration registration = bySelectable.remove(selectable);
        if (null != registration)
        {
            byOverlapped.remove(registration.selectable.overlapped());
            candidates.remove(registration);
            registration.selectable.detach();
        }
    }

    @Override
    public int select(final long timeoutNanos, final ReadyHandler handler) throws IpcException
    {
        recheckCandidates();
        final int millis = candidates.isEmpty() ? Timeouts.toMillis(timeoutNanos) : 0;
        int count = port.dequeue(millis);
        while (count > 0)
        {
            for (int i = 0; i < count; i++)
            {
                final long overlapped = port.overlapped(i);
                if (overlapped != 0)
                {
                    final Registration registration = byOverlapped.get(overlapped);
                    if (null != registration)
                    {
                        candidates.add(registration);
                    }
                }
            }
            count = count == port.capacity() ? port.dequeue(0) : 0;
        }
        recheckCandidates();
        reporting.clear();
        for (final Registration registration : candidates)
        {
            reporting.add(registration);
        }
        int reported = 0;
        for (final Registration registration : reporting)
        {
            // The handler may unregister this or another selectable: report only those still registered.
            if (bySelectable.get(registration.selectable) == registration)
            {
                handler.onReady(registration.key, registration.selectable.isHungUp());
                reported++;
            }
        }
        reporting.clear();
        return reported;
    }

    private void recheckCandidates()
    {
        candidates.removeIf(registration -> !registration.selectable.isReady());
    }

    @Override
    public synchronized void wakeup()
    {
        if (!closed)
        {
            port.post(0);
        }
    }

    /**
     * Makes the next {@link #select} look at an operation that completed without queuing a packet. Any thread; a
     * no-op after close.
     *
     * @param overlapped the operation's address.
     */
    synchronized void hint(final long overlapped)
    {
        if (!closed)
        {
            port.post(overlapped);
        }
    }

    /**
     * Associates a handle with the port; a no-op after close.
     *
     * @param handle an overlapped handle.
     * @throws IpcException if the OS refuses.
     */
    synchronized void associate(final long handle) throws IpcException
    {
        if (!closed)
        {
            port.associate(handle);
        }
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            for (final Registration registration : bySelectable.values())
            {
                registration.selectable.detach();
            }
            bySelectable.clear();
            byOverlapped.clear();
            candidates.clear();
            port.close();
        }
    }

    @Override
    public String toString()
    {
        return "windows-multiplexer{" + port + "}";
    }
}
