package ipc.linux;

import java.lang.System.Logger.Level;
import java.util.concurrent.locks.LockSupport;

import ipc.api.IpcException;
import ipc.linux.jna.Poll;
import ipc.linux.os.Epoll;
import ipc.linux.os.EventFd;
import ipc.linux.os.FutexVector;
import ipc.linux.os.Posix;
import ipc.linux.os.PrivateWord;
import ipc.shared.spi.Multiplexer;
import ipc.shared.spi.Selectable;

/**
 * {@code epoll}, level-triggered, plus an eventfd of its own for {@link #wakeup()}, which any thread may call, also
 * after (or while) another one closes the multiplexer.
 *
 * <h2>Sleeping on words too</h2>
 * Where the kernel has {@code futex_waitv} (Linux 5.16), {@link #select(long, ReadyHandler, long[], int, int)} sleeps
 * on up to 127 wait words of connections and on a private control word at once, so that a client's futex wake on
 * its word wakes the dispatcher directly. What only epoll sees (a new client, a hang-up, the doorbell of a connection
 * not armed on its word) reaches it through a helper thread: it blocks in {@code poll} on the epoll descriptor
 * itself (readable while epoll has events, which poll does not consume), bumps the control word, and looks again
 * only once the dispatcher has looked at epoll and is about to sleep on the words again (level-triggered readiness
 * stays until consumed). {@link #wakeup()} bumps the control word itself. The helper starts at the first such select
 * and ends with {@link #close()}, before the descriptors are closed; if it fails, word selects look at epoll
 * themselves every {@value #HELPERLESS_LOOK_NANOS} ns.
 */
final class LinuxMultiplexer implements Multiplexer
{
    private static final System.Logger LOGGER = System.getLogger(LinuxMultiplexer.class.getName());
    private static final long WAKEUP_KEY = -1;
    private static final int MAX_EVENTS = 256;
    /** How often a word select looks at epoll itself if the helper that watches it failed. */
    private static final long HELPERLESS_LOOK_NANOS = 10_000_000L;
    private static final int HANG_UP = ipc.linux.jna.Epoll.EPOLLHUP | ipc.linux.jna.Epoll.EPOLLERR |
        ipc.linux.jna.Epoll.EPOLLRDHUP;

    private final Epoll epoll;
    private final int wakeupFd;
    /** {@code futex_waitv} is there; the words set and the control word are then used by the selecting thread. */
    private final boolean words;
    private final FutexVector vector;
    private final PrivateWord control;
    /**
     * Bumped by the selecting thread each time it is about to sleep in a word select, after its own look at epoll:
     * tells a waiting helper that what it reported was taken and that its report is wanted again.
     */
    private volatile int wordSelects;
    private volatile boolean helperWaiting;
    /** A word select has run: wake-ups bump the control word from then on. */
    private volatile boolean wordSelecting;
    private volatile boolean helperStop;
    /** The helper ended on an error: word selects look at epoll themselves, often. */
    private volatile boolean helperFailed;
    private volatile Thread helper;
    /** The last look at epoll drained this multiplexer's own wake-up (selecting thread only). */
    private boolean wokenUp;
    /**
     * Guards {@link #closed} and the life of {@link #wakeupFd}: {@link #wakeup()} and {@link #close()} exclude each
     * other.
     */
    private final Object lifecycle = new Object();
    private boolean closed;

    LinuxMultiplexer() throws IpcException
    {
        epoll = new Epoll(MAX_EVENTS);
        int fd = -1;
        try
        {
            fd = EventFd.create();
            epoll.add(fd, ipc.linux.jna.Epoll.EPOLLIN, WAKEUP_KEY);
        }
        catch (final IpcException ex)
        {
            Posix.closeQuietly(fd);
            epoll.close();
            throw ex;
        }
        wakeupFd = fd;
        words = FutexVector.isSupported();
        vector = words ? new FutexVector() : null;
        control = words ? new PrivateWord() : null;
    }

    @Override
    public int maxWords()
    {
        // One word of the set is the control word.
        return words ? FutexVector.MAX_WORDS - 1 : 0;
    }

    @Override
    public int select(final long timeoutNanos, final ReadyHandler handler, final long[] wordAddresses,
        final int count, final int expected) throws IpcException
    {
        if (!words)
        {
            throw new UnsupportedOperationException("futex_waitv is not available on this kernel");
        }
        if (count < 0 || count > maxWords())
        {
            throw new IllegalArgumentException("words out of range: count=" + count + " maxWords=" + maxWords());
        }
        // Read before epoll is looked at: a readiness the helper reports after this look changes the word, so the
        // wait below does not sleep through it.
        if (!wordSelecting)
        {
            // Before the control word is read: see wakeup().
            wordSelecting = true;
        }
        final int seen = control.get();
        wokenUp = false;
        final int reported = select(0, handler);
        if (reported > 0 || wokenUp)
        {
            // A wake-up drained by this look may have bumped the control word before it was read: it is taken
            // here, or the wait below would sleep through it.
            return NO_WORD;
        }
        startHelper();
        wordSelects++;
        // Dekker with the helper: it sets helperWaiting, then reads wordSelects.
        if (helperWaiting)
        {
            LockSupport.unpark(helper);
        }
        vector.clear();
        vector.add(control.address(), seen, true);
        for (int i = 0; i < count; i++)
        {
            vector.add(wordAddresses[i], expected, false);
        }
        final boolean helperless = helperFailed;
        final long wait = !helperless ? timeoutNanos :
            timeoutNanos < 0 ? HELPERLESS_LOOK_NANOS : Math.min(timeoutNanos, HELPERLESS_LOOK_NANOS);
        final int result = vector.await(wait < 0 ? -1 : wait);
        if (helperless || control.get() != seen)
        {
            select(0, handler);
        }
        if (result > 0)
        {
            return result - 1;
        }
        // A mismatch may be any word's. A fault is a word whose page is gone: the dispatcher unmaps a segment only
        // after it let go of the connection, so only a client that truncated an unsealed segment causes one; the
        // caller looks at every connection, and that one's own look at its word fails and closes it alone.
        return result == FutexVector.MISMATCH || result == FutexVector.FAULT || result == FutexVector.INTERRUPTED ?
            ANY_WORD : NO_WORD;
    }

    /** As if the helper had failed (for tests): word selects look at epoll themselves. */
    void failHelper()
    {
        helperFailed = true;
    }

    private void startHelper()
    {
        if (null == helper && !helperFailed)
        {
            // Named after the selecting thread (a server's dispatcher): its helper.
            final Thread thread = new Thread(this::watchEpoll, Thread.currentThread().getName() + "-epoll");
            thread.setDaemon(true);
            try
            {
                thread.start();
                helper = thread;
            }
            catch (final OutOfMemoryError ex)
            {
                // No thread to be had: word selects look at epoll themselves, often.
                helperFailed = true;
                LOGGER.log(Level.ERROR, "cannot start the epoll watch; word selects look at epoll every " +
                    HELPERLESS_LOOK_NANOS / 1_000_000 + " ms: " + ex);
            }
        }
    }

    /** The helper: tells a thread sleeping in a word select that epoll has something to report. */
    private void watchEpoll()
    {
        try
        {
            while (!helperStop)
            {
                final int round = wordSelects;
                if (0 == Posix.poll(epoll.fd(), Poll.POLLIN, -1) || helperStop)
                {
                    // A signal, or closing.
                    continue;
                }
                // Wakes the selecting thread if it sleeps on the words (harmless if it does not).
                control.bump();
                // Readiness stays until epoll_wait takes it: look again only once the selecting thread has looked
                // at epoll and is about to sleep on the words again, so an event costs this thread one wake-up at
                // most, however long the selecting thread stays busy.
                helperWaiting = true;
                while (wordSelects == round && !helperStop)
                {
                    LockSupport.park(this);
                }
                helperWaiting = false;
            }
        }
        catch (final IpcException | RuntimeException | Error ex)
        {
            // Whatever ends this thread: the word selects must not go on relying on it.
            helperFailed = true;
            LOGGER.log(Level.ERROR, "epoll watch failed; word selects now look at epoll every " +
                HELPERLESS_LOOK_NANOS / 1_000_000 + " ms", ex);
            try
            {
                control.bump();
            }
            catch (final IpcException bumpFailed)
            {
                LOGGER.log(Level.ERROR, "control word wake failed: " + bumpFailed.getMessage());
            }
        }
    }

    @Override
    public void register(final Selectable selectable, final long key) throws IpcException
    {
        epoll.add((int)selectable.selectHandle(), ipc.linux.jna.Epoll.EPOLLIN | ipc.linux.jna.Epoll.EPOLLRDHUP, key);
    }

    @Override
    public void unregister(final Selectable selectable)
    {
        try
        {
            epoll.remove((int)selectable.selectHandle());
        }
        catch (final IpcException ex)
        {
            LOGGER.log(Level.DEBUG, () -> "epoll remove failed: " + ex.getMessage());
        }
    }

    @Override
    public int select(final long timeoutNanos, final ReadyHandler handler) throws IpcException
    {
        final int count = epoll.wait(Posix.toMillis(timeoutNanos));
        int reported = 0;
        for (int i = 0; i < count; i++)
        {
            final long key = epoll.eventData(i);
            if (key == WAKEUP_KEY)
            {
                EventFd.drain(wakeupFd);
                wokenUp = true;
                continue;
            }
            handler.onReady(key, (epoll.eventFlags(i) & HANG_UP) != 0);
            reported++;
        }
        return reported;
    }

    /**
     * Wakes a thread blocked in {@link #select}; a no-op once closed. Mutually exclusive with {@link #close()}: the
     * wake-up descriptor's number returns to the process when it is closed and may by then be a peer's socket, a
     * memfd or an application's file, which a late wake-up must never write to.
     */
    @Override
    public void wakeup()
    {
        synchronized (lifecycle)
        {
            if (closed)
            {
                return;
            }
            try
            {
                EventFd.signal(wakeupFd);
                // Only a multiplexer that has slept on words needs the bump (a peer watcher's never does). A word
                // select that starts after this read found the flag unset sees the eventfd in its first look.
                if (wordSelecting)
                {
                    control.bump();
                }
            }
            catch (final IpcException ex)
            {
                LOGGER.log(Level.ERROR, "multiplexer wakeup failed: " + ex.getMessage());
            }
        }
    }

    @Override
    public void close()
    {
        final Thread watcher;
        synchronized (lifecycle)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            watcher = helper;
            helperStop = true;
            try
            {
                // Makes the epoll descriptor readable, which ends the helper's poll.
                EventFd.signal(wakeupFd);
            }
            catch (final IpcException ex)
            {
                LOGGER.log(Level.ERROR, "multiplexer wakeup failed: " + ex.getMessage());
            }
        }
        if (null != watcher && watcher != Thread.currentThread())
        {
            LockSupport.unpark(watcher);
            try
            {
                // The helper polls the epoll descriptor: it must be gone before the number can be reused.
                watcher.join(10_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lifecycle)
        {
            epoll.close();
            Posix.closeQuietly(wakeupFd);
        }
    }
}
