package ipc.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ipc.api.IpcTransport;

/**
 * What every end-to-end test of this package shares: one transport, one private socket directory per test run
 * (so runs never meet each other, the OSGi itest, or a real user's servers), unique server names, and the
 * process's descriptor and mapping counts used to prove that nothing leaks.
 */
final class TestEnvironment
{
    static final IpcTransport TRANSPORT = new LinuxTransport();

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Path SOCKET_DIRECTORY = createSocketDirectory();

    static
    {
        openJdkSingletonDescriptors();
    }

    private TestEnvironment()
    {
    }

    /** The socket directory of this run; the system property points at it from the first use of this class. */
    static Path socketDirectory()
    {
        return SOCKET_DIRECTORY;
    }

    /** A server name nobody else uses in this run. */
    static String uniqueName(final String prefix)
    {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    private static Path createSocketDirectory()
    {
        try
        {
            final Path directory = Files.createTempDirectory("ipct",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            System.setProperty(SocketDirectory.PROPERTY, directory.toString());
            return directory;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Connects a client to an accept-mode server of this process: the handshake runs in {@code accept}, so the
     * connect runs on another thread. Returns {client, server side}; the caller closes both.
     */
    static ipc.api.IpcChannel[] connectPair(final ipc.api.IpcServer server, final ipc.api.IpcOptions options)
        throws Exception
    {
        final java.util.concurrent.CompletableFuture<ipc.api.IpcChannel> client =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try
                {
                    return TRANSPORT.connect(server.name(), options);
                }
                catch (final ipc.api.IpcException ex)
                {
                    throw new java.util.concurrent.CompletionException(ex);
                }
            });
        final ipc.api.IpcChannel accepted;
        try
        {
            accepted = server.accept(java.time.Duration.ofSeconds(10));
        }
        catch (final ipc.api.IpcException ex)
        {
            client.handle((channel, failure) -> {
                if (null != channel)
                {
                    channel.close();
                }
                return null;
            });
            throw ex;
        }
        return new ipc.api.IpcChannel[] {client.get(10, java.util.concurrent.TimeUnit.SECONDS), accepted};
    }

    /**
     * The JDK keeps one socket open for the JVM's life from the first use of an NIO file channel (the pre-close
     * descriptor of {@code sun.nio.ch.FileDispatcherImpl}, a socketpair end). Take it before any test counts
     * descriptors, so that it never reads as a leak of the test that happens to use NIO first.
     */
    private static void openJdkSingletonDescriptors()
    {
        try (java.nio.channels.FileChannel ignored = java.nio.channels.FileChannel.open(Path.of("/dev/null")))
        {
            // Opening is the point.
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Entries of a directory, sorted by name. */
    static List<String> list(final Path directory)
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** This process's open file descriptors. */
    static long openFileDescriptors()
    {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.count();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Lines of {@code /proc/self/maps} that map a memfd: the shared segments this process holds. */
    static long memfdMappings()
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.filter(line -> line.contains("memfd:")).count();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Threads of this process whose name starts with {@code ipc-}: the library's own threads. */
    static long ipcThreads()
    {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ipc-")).count();
    }

    /**
     * Polls a condition that has no event to wait for (a count settling after the kernel or another thread
     * released something), for at most {@code timeoutMillis}.
     */
    static boolean eventually(final java.util.function.BooleanSupplier condition, final long timeoutMillis)
    {
        final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        return true;
    }

    /** A test body given both ends of one connection. */
    @FunctionalInterface
    interface PairTest
    {
        void run(ipc.api.IpcChannel client, ipc.api.IpcChannel server) throws Exception;
    }

    /**
     * Binds a fresh accept-mode server with default options, connects a client of this process to it, runs the
     * body, and closes everything.
     */
    static void withPair(final String prefix, final PairTest body) throws Exception
    {
        try (ipc.api.IpcServer server = TRANSPORT.bind(uniqueName(prefix), ipc.api.IpcOptions.defaults()))
        {
            final ipc.api.IpcChannel[] pair = connectPair(server, ipc.api.IpcOptions.defaults());
            try (ipc.api.IpcChannel client = pair[0]; ipc.api.IpcChannel accepted = pair[1])
            {
                body.run(client, accepted);
            }
        }
    }
}
