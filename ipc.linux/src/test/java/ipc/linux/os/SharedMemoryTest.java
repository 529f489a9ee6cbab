package ipc.linux.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ipc.api.IpcException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class SharedMemoryTest
{
    private static final int SIZE = 64 * 1024;

    @Test
    void shouldShareWritesBetweenTwoMappingsOfOneMemfd() throws Exception
    {
        final long before = FdCount.open();
        final int fd = SharedMemory.create("ipc-test", SIZE);
        assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().startsWith("/memfd:ipc-test"));
        assertEquals(SIZE, SharedMemory.size(fd));
        final ByteBuffer first = SharedMemory.map(fd, SIZE);
        final ByteBuffer second = SharedMemory.map(fd, SIZE);
        assertEquals(SIZE, first.capacity());
        assertEquals(ByteOrder.nativeOrder(), first.order());
        assertNotEquals(SharedMemory.address(first), SharedMemory.address(second));
        assertEquals(0L, second.getLong(SIZE - 8), "new memory reads as zero");
        first.putLong(128, 0x1122334455667788L);
        first.put(SIZE - 1, (byte) 7);
        assertEquals(0x1122334455667788L, second.getLong(128));
        assertEquals(7, second.get(SIZE - 1));
        Posix.close(fd);
        second.putInt(0, 42);
        assertEquals(42, first.getInt(0), "mappings outlive the descriptor");
        SharedMemory.unmap(first);
        SharedMemory.unmap(second);
        assertTrue(FdCount.open() <= before, "descriptors leaked");
    }

    @Test
    void shouldShareMemoryThroughPosixShmFallback() throws Exception
    {
        final long before = FdCount.open();
        final int fd = SharedMemory.openUnlinkedPosixShm();
        assertTrue(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString().contains("(deleted)"),
            "unlinked at once");
        assertEquals(0, SharedMemory.size(fd));
        assertEquals(0, ipc.linux.jna.LibC.ftruncate(fd, SIZE));
        final ByteBuffer first = SharedMemory.map(fd, SIZE);
        final ByteBuffer second = SharedMemory.map(fd, SIZE);
        first.putInt(4096, 99);
        assertEquals(99, second.getInt(4096));
        SharedMemory.unmap(first);
        SharedMemory.unmap(second);
        Posix.close(fd);
        assertTrue(FdCount.open() <= before, "descriptors leaked");
    }

    @Test
    void shouldSealTheSizeOfAMemfdButNotOfTheUnsealablePosixShmFallback() throws Exception
    {
        assertTrue(SharedMemory.sealableSegments(), "this kernel has memfd_create");
        final int memfd = SharedMemory.create("sealed", SIZE);
        final int shm = SharedMemory.openUnlinkedPosixShm();
        try
        {
            assertTrue(SharedMemory.sizeSealed(memfd));
            assertEquals(-1, ipc.linux.jna.LibC.ftruncate(memfd, SIZE / 2));
            assertEquals(SIZE, SharedMemory.size(memfd));
            assertFalse(SharedMemory.sizeSealed(shm), "a POSIX shm object cannot be sealed");
            assertFalse(SharedMemory.sizeSealed(-1));
        }
        finally
        {
            Posix.close(memfd);
            Posix.close(shm);
        }
    }

    @Test
    void shouldRefuseToMapAnInvalidDescriptor()
    {
        final IpcException e = assertThrows(IpcException.class, () -> SharedMemory.map(-1, SIZE));
        assertTrue(e.getMessage().startsWith("mmap failed: errno=9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("x", 0));
    }
}
