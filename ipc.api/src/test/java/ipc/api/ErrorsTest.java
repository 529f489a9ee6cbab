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
    void shouldSumStats()
    {
        final IpcStats one = new IpcStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertEquals(new IpcStats(2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22), one.plus(one));
        assertEquals(one, IpcStats.ZERO.plus(one));
    }
}
