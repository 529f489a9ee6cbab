package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.sun.jna.Native;

import ipc.api.IpcException;
import ipc.api.IpcPeerClosedException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.Fcntl;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Poll;
import ipc.linux.jna.Socket;
import ipc.linux.os.Posix;
import ipc.linux.os.SharedMemory;
import ipc.linux.os.TestNatives;
import ipc.shared.ring.Direction;
import ipc.shared.ring.SegmentLayout;
import ipc.shared.spi.WakeSignal;

/**
 * The server's inbound doorbell is a descriptor whose other end the client holds (issue 8, item 4: a client cleared
 * {@code O_NONBLOCK} on the eventfd they shared and the dispatcher's read blocked forever). Whatever the client does
 * with its end, the server's drain and await never block past their timeout, do bounded work, and report a closed
 * end instead of reading as ready for ever.
 */
@EnabledOnOs(OS.LINUX)
class DoorbellContainmentTest
{
    private static final SegmentLayout LAYOUT = SegmentLayout.forCapacity(4096);

    @Test
    @Timeout(30)
    void shouldNotLetAClientThatClearsONonBlockMakeTheServersDrainOrAwaitBlock() throws Exception
    {
        try (LinuxConnection server = LinuxConnection.create(LAYOUT))
        {
            final int clientEnd = dup((int)server.handlesForPeer()[1]);
            server.handlesSent();
            // The hostile client's move: its end (and, with an eventfd, the server's too) becomes blocking.
            Posix.setNonBlocking(clientEnd, false);
            final WakeSignal doorbell = server.readerSignal(Direction.CLIENT_TO_SERVER);
            try
            {
                final CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(doorbell::drain);
                try
                {
                    assertTrue(drained.get(2, TimeUnit.SECONDS));
                }
                catch (final TimeoutException ex)
                {
                    throw new AssertionError("the server's drain blocked: the client controls its blocking mode", ex);
                }
                final long start = System.nanoTime();
                final CompletableFuture<Void> awaited = CompletableFuture.runAsync(() -> awaitQuietly(doorbell, 50));
                try
                {
                    awaited.get(2, TimeUnit.SECONDS);
                }
                catch (final TimeoutException ex)
                {
                    throw new AssertionError("the server's await(50 ms) blocked", ex);
                }
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
            }
            finally
            {
                // Ends a drain stuck in read() (the eventfd doorbell this test was written against).
                writeEightBytes(clientEnd);
                writeEightBytes(clientEnd);
                Posix.closeQuietly(clientEnd);
            }
        }
    }

    @Test
    @Timeout(30)
    void shouldReportAClientEndClosedAfterDeliveringItsPendingRing() throws Exception
    {
        try (LinuxConnection server = LinuxConnection.create(LAYOUT))
        {
            final int clientEnd = dup((int)server.handlesForPeer()[1]);
            server.handlesSent();
            final WakeSignal doorbell = server.readerSignal(Direction.CLIENT_TO_SERVER);
            assertTrue(doorbell.drain(), "nothing pending is no close");

            // A ring and then a close: the ring is reported first (the caller reads the ring it announced) ...
            writeEightBytes(clientEnd);
            Posix.close(clientEnd);
            assertTrue(doorbell.drain());
            // ... then the close, for every later call.
            assertFalse(doorbell.drain(), "drain did not report the closed client end");
            assertFalse(doorbell.drain());
            final long start = System.nanoTime();
            assertThrows(IpcPeerClosedException.class, () -> doorbell.await(TimeUnit.SECONDS.toNanos(5)));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "await waited out its timeout");
        }
    }

    @Test
    @Timeout(30)
    void shouldLetTheTransportsPeerGoneWakeEndAWaitWhoseDoorbellClosed() throws Exception
    {
        try (LinuxConnection server = LinuxConnection.create(LAYOUT))
        {
            final int clientEnd = dup((int)server.handlesForPeer()[1]);
            server.handlesSent();
            final WakeSignal doorbell = server.readerSignal(Direction.CLIENT_TO_SERVER);
            // A dying client: its doorbell end and its control channel close together; the transport sees the
            // latter and wakes local waiters, which must then read the channel's state, not a doorbell failure.
            Posix.close(clientEnd);
            doorbell.wake();
            final long start = System.nanoTime();
            doorbell.await(TimeUnit.SECONDS.toNanos(5));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
            assertFalse(doorbell.drain());
        }
    }

    @Test
    @Timeout(30)
    void shouldReportAClientEndShutDownForWriting() throws Exception
    {
        try (LinuxConnection server = LinuxConnection.create(LAYOUT))
        {
            final int clientEnd = dup((int)server.handlesForPeer()[1]);
            server.handlesSent();
            try
            {
                assertEquals(0, TestNatives.shutdown(clientEnd, TestNatives.SHUT_WR));
                final WakeSignal doorbell = server.readerSignal(Direction.CLIENT_TO_SERVER);
                assertFalse(doorbell.drain(), "drain did not report the shut-down client end");
                assertThrows(IpcPeerClosedException.class, () -> doorbell.await(TimeUnit.SECONDS.toNanos(5)));
            }
            finally
            {
                Posix.closeQuietly(clientEnd);
            }
        }
    }

    @Test
    @Timeout(30)
    void shouldDrainAFloodWithBoundedWorkPerCall() throws Exception
    {
        try (LinuxConnection server = LinuxConnection.create(LAYOUT))
        {
            final int clientEnd = dup((int)server.handlesForPeer()[1]);
            server.handlesSent();
            try
            {
                final long flooded = flood(clientEnd);
                assertTrue(flooded >= 64 * 1024, "flooded only " + flooded + " bytes");
                final WakeSignal doorbell = server.readerSignal(Direction.CLIENT_TO_SERVER);
                final int serverEnd = (int)doorbell.selectable().selectHandle();
                int calls = 0;
                long slowestNanos = 0;
                while (Posix.poll(serverEnd, Poll.POLLIN, 0) != 0)
                {
                    final long start = System.nanoTime();
                    assertTrue(doorbell.drain());
                    slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
                    calls++;
                    assertTrue(calls <= flooded, "drain makes no progress");
                }
                // At most 4 reads of 256 bytes per call: the flood takes many calls, each one short.
                assertTrue(calls >= flooded / 1024, "calls=" + calls + " flooded=" + flooded);
                assertTrue(slowestNanos < TimeUnit.MILLISECONDS.toNanos(100), "slowest drain " + slowestNanos + " ns");
            }
            finally
            {
                Posix.closeQuietly(clientEnd);
            }
        }
    }

    @Test
    @Timeout(30)
    void shouldLetTheClientRingTheDoorbellWhenItWakesTheServersWriter() throws Exception
    {
        try (LinuxConnection server = LinuxConnection.create(LAYOUT))
        {
            final int memFd = dup((int)server.handlesForPeer()[0]);
            final int clientEnd = dup((int)server.handlesForPeer()[1]);
            server.handlesSent();
            try (LinuxConnection client = LinuxConnection.attach(LAYOUT, memFd, clientEnd))
            {
                final WakeSignal doorbell = server.readerSignal(Direction.CLIENT_TO_SERVER);
                final int serverEnd = (int)doorbell.selectable().selectHandle();
                assertEquals(0, Posix.poll(serverEnd, Poll.POLLIN, 0));

                // Data for the server: the client rings its reader.
                client.readerSignal(Direction.CLIENT_TO_SERVER).wake();
                assertEquals(Poll.POLLIN, Posix.poll(serverEnd, Poll.POLLIN, 1000));
                assertTrue(doorbell.drain());
                assertEquals(0, Posix.poll(serverEnd, Poll.POLLIN, 0));

                // Room for the server's outbound ring (back-pressure): the futex wake also rings the doorbell.
                client.writerSignal(Direction.SERVER_TO_CLIENT).wake();
                assertEquals(Poll.POLLIN, Posix.poll(serverEnd, Poll.POLLIN, 1000));
                assertTrue(doorbell.drain());

                // The client's end is not a selectable of the client, nor is the server's writer futex one.
                assertNull(client.readerSignal(Direction.CLIENT_TO_SERVER).selectable());
                assertNull(server.writerSignal(Direction.SERVER_TO_CLIENT).selectable());
                assertNotNull(doorbell.selectable());
            }
            // The client closed its end: the server learns it.
            assertFalse(server.readerSignal(Direction.CLIENT_TO_SERVER).drain());
        }
    }

    @Test
    @Timeout(30)
    void shouldWakeALocalWaiterOnTheServersOwnEnd() throws Exception
    {
        try (LinuxConnection server = LinuxConnection.create(LAYOUT))
        {
            final int clientEnd = dup((int)server.handlesForPeer()[1]);
            server.handlesSent();
            try
            {
                final WakeSignal doorbell = server.readerSignal(Direction.CLIENT_TO_SERVER);
                // A wake that comes before the wait is not lost: the next await returns at once.
                doorbell.wake();
                final long early = System.nanoTime();
                doorbell.await(TimeUnit.SECONDS.toNanos(10));
                assertTrue(System.nanoTime() - early < TimeUnit.SECONDS.toNanos(2), "early wake lost");

                // A receiver of this process blocked on the doorbell is woken by a close in this process.
                final long start = System.nanoTime();
                final CompletableFuture<Long> awaited = CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        doorbell.await(TimeUnit.SECONDS.toNanos(10));
                        return System.nanoTime();
                    }
                    catch (final IpcException ex)
                    {
                        throw new CompletionException(ex);
                    }
                });
                Thread.sleep(100);
                doorbell.wake();
                final long woken = awaited.get(5, TimeUnit.SECONDS);
                assertTrue(woken - start < TimeUnit.SECONDS.toNanos(2), "local wake took " + (woken - start) + " ns");
                // The local wake sent nothing to the client.
                final ByteBuffer probe = ByteBuffer.allocateDirect(8);
                assertEquals(-1, LibC.recv(clientEnd, SharedMemory.address(probe), 8, Socket.MSG_DONTWAIT));
                assertEquals(Errno.EAGAIN, Native.getLastError());
            }
            finally
            {
                Posix.closeQuietly(clientEnd);
            }
        }
    }

    private static void awaitQuietly(final WakeSignal signal, final long millis)
    {
        try
        {
            signal.await(TimeUnit.MILLISECONDS.toNanos(millis));
        }
        catch (final IpcException ex)
        {
            throw new CompletionException(ex);
        }
    }

    /** What a raw client may write to its end: eight bytes with write(2), as an eventfd ring would be. */
    private static void writeEightBytes(final int fd)
    {
        final ByteBuffer one = ByteBuffer.allocateDirect(8).order(java.nio.ByteOrder.nativeOrder()).putLong(0, 1L);
        LibC.write(fd, SharedMemory.address(one), 8);
    }

    /** Writes to a non-blocking end until its buffer is full. */
    private static long flood(final int fd)
    {
        final ByteBuffer chunk = ByteBuffer.allocateDirect(4096);
        long total = 0;
        while (true)
        {
            final long sent = LibC.send(fd, SharedMemory.address(chunk), chunk.capacity(),
                Socket.MSG_DONTWAIT | Socket.MSG_NOSIGNAL);
            if (sent < 0)
            {
                assertEquals(Errno.EAGAIN, Native.getLastError());
                return total;
            }
            total += sent;
        }
    }

    private static int dup(final int fd)
    {
        final int copy = LibC.fcntl(fd, Fcntl.F_DUPFD_CLOEXEC, 0);
        assertTrue(copy >= 0, "dup failed: errno=" + Native.getLastError());
        return copy;
    }
}
