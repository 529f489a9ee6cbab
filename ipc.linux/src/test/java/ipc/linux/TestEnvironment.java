package ipc.linux;

import java.nio.file.Path;
import java.util.List;

import ipc.api.IpcChannel;
import ipc.api.IpcOptions;
import ipc.api.IpcServer;
import ipc.api.IpcTransport;
import ipc.conformance.HostResources;

/**
 * The shared suite's environment ({@link ipc.conformance.TestEnvironment}) as the Linux-only tests of this package
 * use it: the same socket directory and names, this package's own {@link LinuxTransport}, and the Linux counts of
 * descriptors and memfd mappings.
 */
final class TestEnvironment
{
    static final IpcTransport TRANSPORT = new LinuxTransport();

    static
    {
        // The suite's environment first: it creates the socket directory, points the property at it, and takes
        // the JDK's lifelong descriptors before anything is counted.
        ipc.conformance.TestEnvironment.socketDirectory();
    }

    private TestEnvironment()
    {
    }

    /** The socket directory of this run, shared with the suite. */
    static Path socketDirectory()
    {
        return ipc.conformance.TestEnvironment.socketDirectory();
    }

    /** A server name nobody else uses in this run. */
    static String uniqueName(final String prefix)
    {
        return ipc.conformance.TestEnvironment.uniqueName(prefix);
    }

    /** Connects a client to an accept-mode server of this process; returns {client, server side}. */
    static IpcChannel[] connectPair(final IpcServer server, final IpcOptions options) throws Exception
    {
        return ipc.conformance.TestEnvironment.connectPair(server, options);
    }

    /** Entries of a directory, sorted by name. */
    static List<String> list(final Path directory)
    {
        return ipc.conformance.TestEnvironment.list(directory);
    }

    /** This process's open file descriptors ({@code /proc/self/fd}). */
    static long openFileDescriptors()
    {
        return HostResources.host().openDescriptors();
    }

    /** Lines of {@code /proc/self/maps} that map a memfd: the shared segments this process holds. */
    static long memfdMappings()
    {
        return HostResources.host().segmentMappings();
    }

    /** Polls a condition with no event to wait for, for at most {@code timeoutMillis}. */
    static boolean eventually(final java.util.function.BooleanSupplier condition, final long timeoutMillis)
    {
        return ipc.conformance.TestEnvironment.eventually(condition, timeoutMillis);
    }

    /** Binds a fresh accept-mode server, connects a client of this process to it, runs the body, closes all. */
    static void withPair(final String prefix, final ipc.conformance.TestEnvironment.PairTest body) throws Exception
    {
        ipc.conformance.TestEnvironment.withPair(prefix, body);
    }
}
