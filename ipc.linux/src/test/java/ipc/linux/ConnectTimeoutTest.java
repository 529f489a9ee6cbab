package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcTimeoutException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Socket;
import ipc.linux.jna.Un;
import ipc.linux.os.Posix;
import ipc.linux.os.UnixSocket;

/**
 * A client's connect honours its timeout: a server whose backlog is full (it stopped accepting, or is flooded) makes
 * a blocking AF_UNIX {@code connect} wait forever; the client must give up at its deadline instead.
 */
@EnabledOnOs(OS.LINUX)
class ConnectTimeoutTest
{
    /** The addresses handed to connect as raw pointers, kept reachable for the test's duration. */
    private static final List<Un.sockaddr_un> ADDRESSES = new CopyOnWriteArrayList<>();

    private static final long TIMEOUT_MILLIS = 200;

    @Test
    void shouldTimeOutConnectingToAServerWhoseBacklogIsFull() throws Exception
    {
        final String name = TestEnvironment.uniqueName("backlog");
        final String path = TestEnvironment.socketDirectory().resolve(name + ".sock").toString();
        final int listener = UnixSocket.listen(path, 0);
        final List<Integer> queued = new ArrayList<>();
        CompletableFuture<Object> outcome = null;
        try
        {
            // A listener that never accepts, its queue filled by non-blocking connects until the kernel says EAGAIN.
            while (true)
            {
                final int fd = LibC.socket(Socket.AF_UNIX, Socket.SOCK_STREAM | Socket.SOCK_NONBLOCK |
                    Socket.SOCK_CLOEXEC, 0);
                assertTrue(fd >= 0, "socket failed: errno=" + Native.getLastError());
                if (LibC.connect(fd, address(path), addressLength(path)) < 0)
                {
                    final int errno = Native.getLastError();
                    Posix.closeQuietly(fd);
                    assertTrue(errno == Errno.EAGAIN, "expected EAGAIN on a full backlog: errno=" + errno);
                    break;
                }
                queued.add(fd);
                assertTrue(queued.size() < 1000, "the backlog never filled");
            }

            final long start = System.nanoTime();
            outcome = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return new LinuxPlatform().connect(name, TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS));
                }
                catch (final IpcException ex)
                {
                    throw new CompletionException(ex);
                }
            });
            final Throwable failure;
            try
            {
                outcome.get(10 * TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                throw new AssertionError("connected to a server whose backlog is full");
            }
            catch (final TimeoutException ex)
            {
                throw new AssertionError("connect(" + TIMEOUT_MILLIS + " ms) still blocked after " +
                    10 * TIMEOUT_MILLIS + " ms", ex);
            }
            catch (final ExecutionException ex)
            {
                failure = ex.getCause();
            }
            final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(IpcTimeoutException.class, failure, String.valueOf(failure));
            assertTrue(failure.getMessage().contains("timeoutMillis=" + TIMEOUT_MILLIS), failure.getMessage());
            assertTrue(elapsedMillis >= TIMEOUT_MILLIS - 10 && elapsedMillis < 2 * TIMEOUT_MILLIS + 100,
                "gave up after " + elapsedMillis + " ms, timeout " + TIMEOUT_MILLIS + " ms");
        }
        finally
        {
            // Closing the listener also ends a connect that would otherwise block forever (ECONNREFUSED).
            Posix.closeQuietly(listener);
            Posix.unlink(path);
            queued.forEach(Posix::closeQuietly);
            if (null != outcome)
            {
                outcome.handle((channel, ex) ->
                {
                    if (channel instanceof AutoCloseable)
                    {
                        try
                        {
                            ((AutoCloseable)channel).close();
                        }
                        catch (final Exception ignore)
                        {
                            // Test cleanup only.
                        }
                    }
                    return null;
                });
            }
        }
    }

    @Test
    void shouldStillReportANameNobodyListensOnAsClosed() throws Exception
    {
        final String name = TestEnvironment.uniqueName("nobody");
        final long start = System.nanoTime();
        final IpcException missing = org.junit.jupiter.api.Assertions.assertThrows(IpcClosedException.class,
            () -> new LinuxPlatform().connect(name, TimeUnit.SECONDS.toNanos(5)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "no retries for ENOENT: " + missing);

        // A socket file left behind by a dead server: ECONNREFUSED, at once.
        final String path = TestEnvironment.socketDirectory().resolve(name + ".sock").toString();
        Posix.closeQuietly(UnixSocket.listen(path, 1));
        try
        {
            final long refusedStart = System.nanoTime();
            org.junit.jupiter.api.Assertions.assertThrows(IpcClosedException.class,
                () -> new LinuxPlatform().connect(name, TimeUnit.SECONDS.toNanos(5)));
            assertTrue(System.nanoTime() - refusedStart < TimeUnit.SECONDS.toNanos(1), "no retries for ECONNREFUSED");
        }
        finally
        {
            Posix.unlink(path);
        }
    }

    private static long address(final String path)
    {
        final Un.sockaddr_un address = new Un.sockaddr_un();
        address.sun_family = Socket.AF_UNIX;
        final byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, address.sun_path, 0, bytes.length);
        address.write();
        ADDRESSES.add(address);
        return Pointer.nativeValue(address.getPointer());
    }

    private static int addressLength(final String path)
    {
        return 2 + path.getBytes(StandardCharsets.UTF_8).length + 1;
    }
}
