package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import com.sun.jna.Native;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcProtocolException;
import ipc.linux.jna.Errno;
import ipc.linux.jna.Fcntl;
import ipc.linux.jna.LibC;
import ipc.linux.jna.Mman;
import ipc.linux.jna.Socket;
import ipc.linux.os.Posix;
import ipc.shared.ring.SegmentLayout;

/**
 * A segment whose size the peer can change turns every access past its new end into SIGBUS in the reader's thread
 * (issue 8: a client's {@code ftruncate} killed the server's dispatcher). The server seals the size of the memfds it
 * creates before sending them; a client tells the transport whether the segment it received is sealed.
 */
@EnabledOnOs(OS.LINUX)
class SegmentSealingTest
{
    private static final SegmentLayout LAYOUT = SegmentLayout.forCapacity(64 * 1024);
    private static final int SIZE_SEALS = Fcntl.F_SEAL_SHRINK | Fcntl.F_SEAL_GROW;

    @Test
    void shouldSealTheSizeOfTheSegmentTheServerSends() throws Exception
    {
        try (LinuxConnection server = LinuxConnection.create(LAYOUT))
        {
            final int memFd = (int)server.handlesForPeer()[0];
            final int seals = LibC.fcntl(memFd, Fcntl.F_GET_SEALS, 0);
            assertEquals(SIZE_SEALS | Fcntl.F_SEAL_SEAL, seals & (SIZE_SEALS | Fcntl.F_SEAL_SEAL),
                "seals=0x" + Integer.toHexString(seals));

            // What the hostile client of issue 8 did, and its opposite: both refused by the kernel.
            assertEquals(-1, LibC.ftruncate(memFd, 4096), "the segment could be shrunk");
            assertEquals(Errno.EPERM, Native.getLastError());
            assertEquals(-1, LibC.ftruncate(memFd, LAYOUT.segmentLength() * 2L), "the segment could be grown");
            assertEquals(Errno.EPERM, Native.getLastError());
            // F_SEAL_SEAL: nobody can add F_SEAL_WRITE to make the server's writes fail.
            assertEquals(-1, LibC.fcntl(memFd, Fcntl.F_ADD_SEALS, Fcntl.F_SEAL_WRITE));
            assertEquals(Errno.EPERM, Native.getLastError());

            // A client that receives it (here a duplicate descriptor) sees the seals.
            try (LinuxConnection client = LinuxConnection.attach(LAYOUT, dup(memFd), peerDoorbell(server)))
            {
                assertTrue(client.sizeSealed());
            }
        }
    }

    @Test
    void shouldReportAMemfdWithoutSealsAsUnsealed() throws Exception
    {
        final int memFd = LibC.memfd_create("unsealed", Mman.MFD_CLOEXEC);
        assertTrue(memFd >= 0);
        assertEquals(0, LibC.ftruncate(memFd, LAYOUT.segmentLength()));
        try (LinuxConnection client = LinuxConnection.attach(LAYOUT, memFd, socketEnd()))
        {
            assertFalse(client.sizeSealed(), "a memfd without seals reported as sealed");
        }
    }

    @Test
    void shouldReportAMemfdSealedAgainstGrowingOnlyAsUnsealed() throws Exception
    {
        final int memFd = LibC.memfd_create("grow-only", Mman.MFD_CLOEXEC | Mman.MFD_ALLOW_SEALING);
        assertTrue(memFd >= 0);
        assertEquals(0, LibC.ftruncate(memFd, LAYOUT.segmentLength()));
        assertEquals(0, LibC.fcntl(memFd, Fcntl.F_ADD_SEALS, Fcntl.F_SEAL_GROW));
        try (LinuxConnection client = LinuxConnection.attach(LAYOUT, memFd, socketEnd()))
        {
            assertFalse(client.sizeSealed(), "a segment that can still shrink reported as sealed");
        }
    }

    @Test
    void shouldRefuseASegmentThatIsNoRegularFile() throws Exception
    {
        // A socket where the memfd should be: refused before anything maps it.
        final int notAFile = socketEnd();
        final int doorbell = socketEnd();
        final IpcProtocolException ex = assertThrows(IpcProtocolException.class,
            () -> LinuxConnection.attach(LAYOUT, notAFile, doorbell));
        assertTrue(ex.getMessage().contains("segment is not a regular file"), ex.getMessage());
        assertFalse(isOpen(notAFile), "refused descriptor left open");
        assertFalse(isOpen(doorbell), "refused descriptor left open");
    }

    @Test
    void shouldRefuseToListenForOtherUidsWhenSegmentsCannotBeSealed() throws Exception
    {
        final LinuxPlatform unsealable = new LinuxPlatform(false);
        final IpcOptions others = IpcOptions.builder().allowPeerUid(Posix.getuid() + 1L).build();
        final IpcException ex = assertThrows(IpcException.class,
            () -> unsealable.listen(TestEnvironment.uniqueName("unsealable"), others));
        assertTrue(ex.getMessage().contains("memfd_create"), ex.getMessage());
        // Same-uid servers still work with the fallback: such a peer could harm us anyway.
        unsealable.listen(TestEnvironment.uniqueName("unsealable"), IpcOptions.defaults()).close();
    }

    private static int dup(final int fd)
    {
        final int copy = LibC.fcntl(fd, Fcntl.F_DUPFD_CLOEXEC, 0);
        assertTrue(copy >= 0, "dup failed: errno=" + Native.getLastError());
        return copy;
    }

    private static int peerDoorbell(final LinuxConnection server)
    {
        return dup((int)server.handlesForPeer()[1]);
    }

    /** One end of a fresh socketpair (the other end is closed at once). */
    private static int socketEnd()
    {
        final int[] pair = new int[2];
        assertEquals(0, LibC.socketpair(Socket.AF_UNIX, Socket.SOCK_STREAM | Socket.SOCK_CLOEXEC, 0, pair));
        Posix.closeQuietly(pair[1]);
        return pair[0];
    }

    private static boolean isOpen(final int fd)
    {
        return LibC.fcntl(fd, Fcntl.F_GETFD, 0) >= 0;
    }
}
