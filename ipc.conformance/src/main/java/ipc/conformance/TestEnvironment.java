package ipc.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ipc.api.IpcException;
import ipc.api.IpcPlatform;
import ipc.api.IpcTransport;

/**
 * What every end-to-end test of the suite shares: the host's transport ({@link IpcTransport#forHost()}), one
 * private socket directory per test run (so runs never meet each other, the OSGi itest, or a real user's servers;
 * Windows' named pipes have no directory and ignore it), unique server names, and the process's descriptor and
 * mapping counts ({@link HostResources}) used to prove that nothing leaks.
 */
public final class TestEnvironment
{
    /**
     * The system property the Unix backends take their socket directory from (both read the same name); child
     * JVMs get it on their command line.
     */
    public static final String SOCKET_DIRECTORY_PROPERTY = "ipc.socketDirectory";

    /** The host's transport, the one the suite tests. */
    public static final IpcTransport TRANSPORT = hostTransport();

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
    public static Path socketDirectory()
    {
        return SOCKET_DIRECTORY;
    }

    /**
     * Whether a bound name is a socket file {@code <name>.sock} (with its {@code <name>.lock}) in the socket
     * directory: on Linux and macOS; Windows names are named pipes.
     */
    public static boolean hasSocketFiles()
    {
        return IpcPlatform.WINDOWS != IpcPlatform.fromOsName(System.getProperty("os.name", ""));
    }

    /** A server name nobody else uses in this run. */
    public static String uniqueName(final String prefix)
    {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    private static Path createSocketDirectory()
    {
        final Path directory = privateDirectory("ipct");
        System.setProperty(SOCKET_DIRECTORY_PROPERTY, directory.toString());
        return directory;
    }

    /**
     * A new temporary directory only this user may enter (where the file system has POSIX permissions), short
     * enough to be a socket directory: on macOS {@code sun_path} holds 104 bytes and {@code $TMPDIR}
     * ({@code /var/folders/...}) eats about half, so it is made under {@code /tmp} there.
     */
    public static Path privateDirectory(final String prefix)
    {
        try
        {
            final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            final FileAttribute<?>[] ownerOnly = posix ?
                new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))} :
                new FileAttribute<?>[0];
            return IpcPlatform.MACOS == IpcPlatform.fromOsName(System.getProperty("os.name", "")) ?
                Files.createTempDirectory(Path.of("/tmp"), prefix, ownerOnly) :
                Files.createTempDirectory(prefix, ownerOnly);
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
    public static ipc.api.IpcChannel[] connectPair(final ipc.api.IpcServer server, final ipc.api.IpcOptions options)
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
     * descriptors, so that it never reads as a leak of the test that happens to use NIO first. (Not on Windows,
     * where nothing counts descriptors and there is no {@code /dev/null}.)
     */
    private static void openJdkSingletonDescriptors()
    {
        if (IpcPlatform.WINDOWS == IpcPlatform.fromOsName(System.getProperty("os.name", "")))
        {
            return;
        }
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
    public static List<String> list(final Path directory)
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

    /** This process's open file descriptors, where the host counts them ({@link HostResources}), else 0. */
    public static long openFileDescriptors()
    {
        return HostResources.host().openDescriptors();
    }

    /** The shared segments this process maps, where the host counts them ({@link HostResources}), else 0. */
    public static long segmentMappings()
    {
        return HostResources.host().segmentMappings();
    }

    /** Threads of this process whose name starts with {@code ipc-}: the library's own threads. */
    public static long ipcThreads()
    {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ipc-")).count();
    }

    /**
     * The names of the live threads of this process whose name starts with {@code ipc-} (the library's own
     * threads), read from the JVM's thread management bean.
     */
    public static java.util.Set<String> ipcThreadNames()
    {
        final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        final java.util.Set<String> names = new java.util.TreeSet<>();
        for (final java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds()))
        {
            if (null != info && info.getThreadName().startsWith("ipc-"))
            {
                names.add(info.getThreadName());
            }
        }
        return names;
    }

    /**
     * Polls a condition that has no event to wait for (a count settling after the kernel or another thread
     * released something), for at most {@code timeoutMillis}.
     */
    public static boolean eventually(final java.util.function.BooleanSupplier condition, final long timeoutMillis)
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

    /**
     * Loads the native code and starts what the transport keeps for its whole life (the peer watcher with its
     * multiplexer): call it before a test takes a baseline of descriptors, so that the baseline holds only what
     * stays.
     */
    public static void warmUp() throws Exception
    {
        withPair("warm-up", (client, accepted) ->
        {
            client.send(new byte[1]);
            accepted.receive(java.time.Duration.ofSeconds(10));
        });
    }

    /** A test body given both ends of one connection. */
    @FunctionalInterface
    public interface PairTest
    {
        /**
         * The body.
         *
         * @param client the connecting end.
         * @param server the accepted end.
         * @throws Exception to fail the test.
         */
        void run(ipc.api.IpcChannel client, ipc.api.IpcChannel server) throws Exception;
    }

    /**
     * Binds a fresh accept-mode server with default options, connects a client of this process to it, runs the
     * body, and closes everything.
     */
    public static void withPair(final String prefix, final PairTest body) throws Exception
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

    private static IpcTransport hostTransport()
    {
        try
        {
            return IpcTransport.forHost();
        }
        catch (final IpcException ex)
        {
            throw new IllegalStateException("no transport for this host: " + ex.getMessage(), ex);
        }
    }
}
