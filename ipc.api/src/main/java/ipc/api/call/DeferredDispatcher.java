package ipc.api.call;

/**
 * The dispatcher {@link IpcCalls#dispatcher(String)} returns: a name until the first client is made on it, when the
 * implementation found from that client's channel starts the thread. Thread-safe.
 */
final class DeferredDispatcher implements CallDispatcher
{
    private final String name;
    private CallDispatcher delegate;
    private boolean closed;

    DeferredDispatcher(final String name)
    {
        this.name = name;
    }

    /** The running dispatcher, started by the provider on first use. */
    synchronized CallDispatcher resolve(final CallProvider provider)
    {
        if (closed)
        {
            throw new IllegalStateException("call dispatcher closed: name=" + name);
        }
        if (null == delegate)
        {
            delegate = provider.dispatcher(name);
        }
        return delegate;
    }

    @Override
    public synchronized int clientCount()
    {
        return null == delegate ? 0 : delegate.clientCount();
    }

    @Override
    public synchronized boolean isOpen()
    {
        return !closed;
    }

    @Override
    public void close()
    {
        final CallDispatcher running;
        synchronized (this)
        {
            closed = true;
            running = delegate;
        }
        if (null != running)
        {
            running.close();
        }
    }

    @Override
    public String toString()
    {
        return "CallDispatcher{name=" + name + ", delegate=" + delegate + '}';
    }
}
