package ipc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class ErrorsTest
{
    @Test
    void shouldBeCheckedAndTyped()
    {
        final IpcException[] all = {
            new IpcClosedException("a"), new IpcPeerClosedException("b"), new IpcTimeoutException("c"),
            new IpcMessageTooLargeException("d"), new IpcProtocolException("e"), new IpcAccessDeniedException("f"),
            new IpcUnsupportedPlatformException("g"), new IpcAlreadyBoundException("h"),
        };
        for (final IpcException ex : all)
        {
            assertTrue(!RuntimeException.class.isInstance(ex), ex.getClass().getName());
        }
        assertTrue(new IpcPeerClosedException("x") instanceof IpcClosedException,
            "a peer close is a kind of close, so one catch handles both");
    }

    @Test
    void shouldKeepMessageAndCause()
    {
        final IOException cause = new IOException("errno=13");
        final IpcAccessDeniedException ex = new IpcAccessDeniedException("uid=1000 allowed=[0]", cause);
        assertEquals("uid=1000 allowed=[0]", ex.getMessage());
        assertSame(cause, ex.getCause());
    }

    @Test
    void shouldDeriveEachExceptionFromTheRightParent()
    {
        // What a catch clause relies on: every type is an IpcException, and only a peer's close is also a close.
        assertSame(Exception.class, IpcException.class.getSuperclass());
        assertSame(IpcClosedException.class, IpcPeerClosedException.class.getSuperclass());
        for (final Class<?> type : new Class<?>[] {IpcClosedException.class, IpcTimeoutException.class,
            IpcMessageTooLargeException.class, IpcProtocolException.class, IpcAccessDeniedException.class,
            IpcUnsupportedPlatformException.class, IpcAlreadyBoundException.class})
        {
            assertSame(IpcException.class, type.getSuperclass(), type.getName());
        }
    }

    @Test
    void shouldSumDifferentSnapshotsCounterByCounter()
    {
        final IpcStats left = new IpcStats(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024);
        final IpcStats right = new IpcStats(3000, 5000, 7000, 11000, 13000, 17000, 19000, 23000, 29000, 31000,
            37000);
        final IpcStats sum = left.plus(right);
        assertEquals(3001, sum.messagesSent());
        assertEquals(5002, sum.messagesReceived());
        assertEquals(7004, sum.bytesSent());
        assertEquals(11008, sum.bytesReceived());
        assertEquals(13016, sum.fragmentsSent());
        assertEquals(17032, sum.fragmentsReceived());
        assertEquals(19064, sum.wakeupsSent());
        assertEquals(23128, sum.parks());
        assertEquals(29256, sum.spinHits());
        assertEquals(31512, sum.fullRingWaits());
        assertEquals(38024, sum.protocolErrors());
        assertEquals(sum, right.plus(left));
        assertEquals(new IpcStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), IpcStats.ZERO);
    }

    @Test
    void shouldNameTheOsgiOperatingSystems()
    {
        // The values the backends' osgi.native requirements and the itest's filters are written against.
        assertEquals("Linux", IpcPlatform.LINUX.osgiOsName());
        assertEquals("MacOSX", IpcPlatform.MACOS.osgiOsName());
        assertEquals("Windows", IpcPlatform.WINDOWS.osgiOsName());
    }

    @Test
    void shouldSumStats()
    {
        final IpcStats one = new IpcStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertEquals(new IpcStats(2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22), one.plus(one));
        assertEquals(one, IpcStats.ZERO.plus(one));
    }
}
