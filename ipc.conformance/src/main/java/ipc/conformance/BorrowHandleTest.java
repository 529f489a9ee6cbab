package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcClosedException;
import ipc.api.IpcMessage;

/**
 * Borrowed messages are handles of their own: a stale one, closed again after the next borrow, releases nothing
 * and reads nothing (as {@link ClaimHandleTest} proves for claims).
 */
@HostSuite
class BorrowHandleTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    @Timeout(30)
    void shouldIgnoreTheCloseOfAReleasedBorrowMadeAfterTheNextBorrow() throws Exception
    {
        TestEnvironment.withPair("borrow", (client, accepted) ->
        {
            client.send(new byte[] {1});
            client.send(new byte[] {2, 2});
            client.send(new byte[] {3, 3, 3});
            final IpcMessage first = accepted.receiveBorrowed(WAIT);
            assertEquals(1, first.buffer().get(first.buffer().position()));
            first.close();
            final IpcMessage second = accepted.receiveBorrowed(WAIT);
            // The stale handle: its close must not release the second message, its view must not show it.
            first.close();
            assertThrows(IllegalStateException.class, first::buffer);
            assertEquals(2, second.length());
            assertEquals(2, second.buffer().get(second.buffer().position()));
            // The second message is still borrowed: nobody else may receive meanwhile.
            assertThrows(IllegalStateException.class, () -> accepted.receive(Duration.ZERO));
            second.close();
            assertArrayEquals(new byte[] {3, 3, 3}, accepted.receive(WAIT));
        });
    }

    @Test
    @Timeout(30)
    void shouldNotLetAStaleHandleReleaseAMuchLaterBorrow() throws Exception
    {
        TestEnvironment.withPair("borrow", (client, accepted) ->
        {
            final int count = 5;
            for (int i = 0; i < count; i++)
            {
                client.send(new byte[] {(byte)i});
            }
            final IpcMessage[] handles = new IpcMessage[count - 1];
            for (int i = 0; i < count - 1; i++)
            {
                handles[i] = accepted.receiveBorrowed(WAIT);
                assertEquals(i, handles[i].buffer().get(handles[i].buffer().position()));
                handles[i].close();
            }
            final IpcMessage last = accepted.receiveBorrowed(WAIT);
            for (final IpcMessage stale : handles)
            {
                stale.close();
            }
            assertEquals(count - 1, last.buffer().get(last.buffer().position()));
            assertThrows(IllegalStateException.class, () -> accepted.receive(Duration.ZERO));
            last.close();
            last.close();
        });
    }

    @Test
    @Timeout(30)
    void shouldReportTheCloseToAReceiveAfterCloseWithAMessageStillBorrowed() throws Exception
    {
        TestEnvironment.withPair("borrow", (client, accepted) ->
        {
            client.send(new byte[] {1});
            final IpcMessage borrowed = accepted.receiveBorrowed(WAIT);
            accepted.close();
            // Before: IllegalStateException, "a borrowed message is not released", hiding the close.
            assertThrows(IpcClosedException.class, () -> accepted.receive(Duration.ZERO));
            borrowed.close();
        });
    }
}
