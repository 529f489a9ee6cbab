package ipc.shared.spi;

/**
 * Something a {@link Multiplexer} can watch for readiness: a file descriptor, or a Windows handle.
 */
public interface Selectable
{
    /**
     * The native handle the multiplexer watches.
     *
     * @return an fd or a HANDLE value.
     */
    long selectHandle();
}
