package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ipc.api.IpcChannel;
import ipc.api.IpcClosedException;
import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.api.IpcProtocolException;
import ipc.api.IpcTimeoutException;

/**
 * Containment (DESIGN.md section 6) against what any client can do through the API: a server serves every client
 * with one thread, so no single peer may block, crash or starve it. Each test attacks a live serving server while
 * honest clients echo beside it (a {@link ServerArena}), then asserts that the honest clients saw no error and no
 * slow reply, that a new client is served, that the attacking connection was closed with a reason, and that
 * nothing was left behind. The attacks that need a raw peer (forged segments, doorbells) are
 * {@link RawPeerContainmentTest}'s; those only one OS allows stay in that backend's module.
 */
@HostSuite
class ContainmentTest
{
    private static final IpcOptions OPTIONS = ServerArena.OPTIONS;

    @Test
    void shouldCloseAClientThatNeverReadsItsRepliesWithoutStallingTheOthers() throws Exception
    {
        try (ServerArena arena = new ServerArena("unread", OPTIONS, ServerArena::echo, 2))
        {
            final List<Throwable> attackerErrors = new ArrayList<>();
            final IpcOptions attackerOptions = IpcOptions.builder().sendTimeout(Duration.ofMillis(100)).build();
            try (IpcChannel attacker = TestEnvironment.TRANSPORT.connect(arena.name, attackerOptions))
            {
                // Requests until its own ring is full (the server stopped reading it) or it was closed: never a read.
                final byte[] request = new byte[1024];
                for (int i = 0; i < 200 && attackerErrors.isEmpty(); i++)
                {
                    try
                    {
                        attacker.send(request);
                    }
                    catch (final IpcTimeoutException | IpcClosedException ex)
                    {
                        attackerErrors.add(ex);
                    }
                }
                arena.assertClosedWith(IpcClosedException.class, "does not read its replies");
            }
            assertEquals(1, attackerErrors.size(), "the attacker's ring filled: the server stopped reading it");
            arena.assertHonestClientsUnharmed();
            arena.assertDispatcherAlive();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseHandlerFails() throws Exception
    {
        try (ServerArena arena = new ServerArena("handler-error", OPTIONS, (channel, message) ->
        {
            if (message.remaining() == 3)
            {
                throw new AssertionError("a handler's error");
            }
            if (message.remaining() == 5)
            {
                recurse(0);
            }
            channel.send(message);
        }, 2))
        {
            for (final int length : new int[] {3, 5})
            {
                try (IpcChannel attacker = TestEnvironment.TRANSPORT.connect(arena.name, IpcOptions.defaults()))
                {
                    attacker.send(new byte[length]);
                    assertThrows(IpcException.class, () -> attacker.receive(Duration.ofSeconds(5)));
                }
            }
            arena.assertClosedWith(IpcProtocolException.class, "AssertionError");
            arena.assertClosedWith(IpcProtocolException.class, "StackOverflowError");
            arena.assertHonestClientsUnharmed();
            arena.assertDispatcherAlive();
            arena.assertNewClientServed();
        }
    }

    private static int recurse(final int depth)
    {
        return recurse(depth + 1) + 1;
    }
}
