package ipc.macos.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.sun.jna.Native;

import ipc.api.IpcProtocolException;
import ipc.macos.jna.Errno;
import ipc.macos.jna.Event;
import ipc.macos.jna.Fcntl;
import ipc.macos.jna.LibC;
import ipc.macos.jna.LibCVariadic;
import ipc.macos.jna.Poll;
import ipc.shared.posix.ReceivedMessage;

/**
 * The macOS wrappers against the real kernel: shared memory, descriptor passing, peer identity, doorbells, kqueue
 * and the address waits. Needs a Mac (the CI workflow's macOS job); never run on the Linux machines this was written
 * on.
 */
@EnabledOnOs(OS.MAC)
class MacPrimitivesTest
{
    @Test
    void shouldCreateAnUnlinkedSharedMemoryObjectSizedOnce() throws Exception
    {
        final int fd = SharedMemory.create(100_000);
        try
        {
            final FileStatus status = Posix.fstat(fd);
            assertTrue(status.isPosixSharedMemory(), "type bits of a POSIX shm descriptor: " + status);
            assertTrue(status.size() >= 100_000 && status.size() <= 100_000 + SharedMemory.MAX_PAGE_SIZE, "" + status);
            assertNull(SharedMemory.checkReceived(fd, 100_000));
            assertTrue(SharedMemory.checkReceived(fd, 200_000).contains("segment size does not match"));
            // xnu allows one ftruncate per object's life.
            assertEquals(-1, LibC.ftruncate(fd, 50_000));
            assertEquals(Errno.EINVAL, Native.getLastError());
            final ByteBuffer mapping = SharedMemory.map(fd, 100_000);
            mapping.putLong(99_992, 42L);
            assertEquals(42L, mapping.getLong(99_992));
            SharedMemory.unmap(mapping);
        }
        finally
        {
            Posix.closeQuietly(fd);
        }
    }

    @Test
    void shouldPassDescriptorsCloseOnExecAndCloseTheExtras() throws Exception
    {
        final int[] pair = UnixSocket.socketPair();
        final int[] passed = UnixSocket.socketPair();
        try
        {
            final ByteBuffer frame = ByteBuffer.allocateDirect(4).putInt(7).flip();
            assertEquals(4, UnixSocket.sendMessage(pair[0], frame, new int[] {passed[0], passed[1]}));
            final int[] received = new int[2];
            final ReceivedMessage message = UnixSocket.receiveMessage(pair[1], ByteBuffer.allocate(16), received, 2);
            assertEquals(4, message.bytes());
            assertEquals(2, message.fdCount());
            for (final int fd : received)
            {
                assertEquals(Fcntl.FD_CLOEXEC, LibCVariadic.INSTANCE.fcntl(fd, Fcntl.F_GETFD) & Fcntl.FD_CLOEXEC);
                assertTrue(Posix.fstat(fd).isSocket());
                Posix.closeQuietly(fd);
            }

            frame.rewind();
            UnixSocket.sendMessage(pair[0], frame, new int[] {passed[0], passed[1]});
            final int[] one = new int[1];
            assertThrows(IpcProtocolException.class,
                () -> UnixSocket.receiveMessage(pair[1], ByteBuffer.allocate(16), one, 1));
        }
        finally
        {
            for (final int fd : new int[] {pair[0], pair[1], passed[0], passed[1]})
            {
                Posix.closeQuietly(fd);
            }
        }
    }

    @Test
    void shouldReportThePeersPidAndUid() throws Exception
    {
        final int[] pair = UnixSocket.socketPair();
        try
        {
            final PeerCredentials peer = UnixSocket.peerCredentials(pair[0]);
            assertEquals(ProcessHandle.current().pid(), peer.pid());
            assertEquals(Posix.getuid(), peer.uid());
        }
        finally
        {
            Posix.closeQuietly(pair[0]);
            Posix.closeQuietly(pair[1]);
        }
    }

    @Test
    void shouldKeepRingsUntilDrainedAndSeeTheOtherEndClose() throws Exception
    {
        final int[] pair = UnixSocket.socketPair();
        try
        {
            assertTrue(UnixSocket.drainRings(pair[1]), "nothing pending");
            assertTrue(UnixSocket.ring(pair[0]));
            assertTrue(UnixSocket.ring(pair[0]));
            assertTrue((UnixSocket.poll(pair[1], Poll.POLLIN, 1000) & Poll.POLLIN) != 0);
            assertTrue(UnixSocket.drainRings(pair[1]));
            assertEquals(0, UnixSocket.poll(pair[1], Poll.POLLIN, 0));
            Posix.closeQuietly(pair[0]);
            assertFalse(UnixSocket.drainRings(pair[1]), "end of stream");
            assertFalse(UnixSocket.ring(pair[1]), "EPIPE without SIGPIPE");
        }
        finally
        {
            Posix.closeQuietly(pair[0]);
            Posix.closeQuietly(pair[1]);
        }
    }

    @Test
    void shouldReportReadinessAndEndOfStreamThroughKqueue() throws Exception
    {
        final int[] pair = UnixSocket.socketPair();
        try (KQueue kqueue = new KQueue(8))
        {
            kqueue.addRead(pair[1], 77L);
            assertEquals(0, kqueue.await(0));
            UnixSocket.ring(pair[0]);
            assertEquals(1, kqueue.await(1_000_000_000L));
            assertEquals(77L, kqueue.eventData(0));
            assertEquals(pair[1], kqueue.eventIdent(0));
            assertEquals(1, kqueue.await(0), "level-triggered: still ready until drained");
            UnixSocket.drainRings(pair[1]);
            assertEquals(0, kqueue.await(0));
            Posix.closeQuietly(pair[0]);
            assertEquals(1, kqueue.await(1_000_000_000L));
            assertTrue((kqueue.eventFlags(0) & Event.EV_EOF) != 0);
            kqueue.disableRead(pair[1]);
            assertEquals(0, kqueue.await(0), "disabled after the end of stream");
            kqueue.removeRead(pair[1]);
        }
        finally
        {
            Posix.closeQuietly(pair[0]);
            Posix.closeQuietly(pair[1]);
        }
    }

    @Test
    void shouldWaitAndWakeOnASharedWordWithEachAvailableMechanism() throws Exception
    {
        for (final WaitMechanism mechanism : new WaitMechanism[] {WaitMechanism.OS_SYNC, WaitMechanism.ULOCK})
        {
            if (mechanism == WaitMechanism.OS_SYNC && !WaitMechanism.isExported("os_sync_wake_by_address_any"))
            {
                continue;
            }
            final int fd = SharedMemory.create(4096);
            final ByteBuffer mapping = SharedMemory.map(fd, 4096);
            Posix.closeQuietly(fd);
            try
            {
                final long word = SharedMemory.address(mapping) + 128;
                assertEquals(AddressWait.TIMED_OUT, AddressWait.await(mechanism, word, 0, 1_000_000L),
                    mechanism + ": the word holds the expected value, so it sleeps until the timeout");
                mapping.putInt(128, 1);
                assertEquals(AddressWait.WOKEN, AddressWait.await(mechanism, word, 0, 1_000_000_000L),
                    mechanism + ": the word differs, so it returns at once");
                mapping.putInt(128, 0);
                final CountDownLatch waiting = new CountDownLatch(1);
                final AtomicInteger outcome = new AtomicInteger(-1);
                final Thread waiter = new Thread(() ->
                {
                    waiting.countDown();
                    try
                    {
                        outcome.set(AddressWait.await(mechanism, word, 0, 10_000_000_000L));
                    }
                    catch (final Exception ex)
                    {
                        outcome.set(-2);
                    }
                });
                waiter.start();
                assertTrue(waiting.await(5, TimeUnit.SECONDS));
                Thread.sleep(100);
                mapping.putInt(128, 1);
                AddressWait.wake(mechanism, word);
                waiter.join(5_000);
                assertFalse(waiter.isAlive(), mechanism + ": the waiter was not woken");
                assertEquals(AddressWait.WOKEN, outcome.get(), mechanism.toString());
                AddressWait.wake(mechanism, word);
            }
            finally
            {
                SharedMemory.unmap(mapping);
            }
        }
    }
}
