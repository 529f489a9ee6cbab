package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.linux.jna.Errno;
import ipc.linux.os.EventFd;
import ipc.linux.os.LinuxErrors;
import ipc.linux.os.Posix;
import ipc.linux.os.TestNatives;
import ipc.linux.os.UnixSocket;
import ipc.shared.spi.ControlChannel;

/**
 * A listener that cannot take a pending connection for lack of descriptors ({@code EMFILE}/{@code ENFILE} from
 * {@code accept4}) must say so with an exception, not answer "nothing pending": the connection stays queued and the
 * socket readable, so a dispatcher that took the answer at its word would spin at 100 % instead of backing off.
 */
@EnabledOnOs(OS.LINUX)
class AcceptExhaustionTest
{
    @Test
    void shouldReportEmfileFromAcceptAsAnExceptionAndAcceptOnceDescriptorsAreBack() throws Exception
    {
        final String name = TestEnvironment.uniqueName("emfile");
        try (LinuxControlListener listener = LinuxControlListener.bind(TestEnvironment.socketDirectory(), name, false))
        {
            assertNull(listener.accept(), "nothing pending");
            final int client = UnixSocket.connect(listener.address());
            try
            {
                final IpcException exhausted = acceptWithoutFreeDescriptors(listener);
                assertTrue(exhausted.getMessage().startsWith("accept4 failed: errno=24"), exhausted.getMessage());
                assertTrue(listener.awaitPending(0), "the connection stays queued");

                try (ControlChannel accepted = listener.accept())
                {
                    assertNotNull(accepted, "accepted once descriptors are back");
                }
            }
            finally
            {
                Posix.closeQuietly(client);
            }
        }
    }

    @Test
    void shouldMapDescriptorExhaustionToAPlainIpcException()
    {
        for (final int errno : new int[] {Errno.EMFILE, Errno.ENFILE})
        {
            final IpcException ex = LinuxErrors.exception("accept4", errno, "fd=3");
            assertEquals(IpcException.class, ex.getClass(), "not a closed listener: " + ex);
            assertTrue(ex.getMessage().contains("errno=" + errno), ex.getMessage());
        }
        assertTrue(LinuxErrors.exception("accept4", Errno.EBADF, "fd=3") instanceof IpcException);
        assertTrue(!(LinuxErrors.exception("accept4", Errno.EMFILE, null) instanceof IpcClosedException));
    }

    /**
     * Lowers this process's RLIMIT_NOFILE to the lowest free descriptor number for the one accept, so that the
     * kernel has no number to give, and restores it at once.
     */
    private static IpcException acceptWithoutFreeDescriptors(final LinuxControlListener listener) throws Exception
    {
        // Classes are loaded from files: load those of the failure path while descriptors are still there.
        LinuxErrors.exception("accept4", Errno.EMFILE, "preload").getMessage();
        final long[] saved = new long[2];
        assertEquals(0, TestNatives.getrlimit(TestNatives.RLIMIT_NOFILE, saved));
        final int lowestFree = EventFd.create();
        Posix.close(lowestFree);
        assertEquals(0, TestNatives.setrlimit(TestNatives.RLIMIT_NOFILE, new long[] {lowestFree, saved[1]}));
        try
        {
            return assertThrows(IpcException.class, listener::accept);
        }
        finally
        {
            assertEquals(0, TestNatives.setrlimit(TestNatives.RLIMIT_NOFILE, saved));
        }
    }
}
