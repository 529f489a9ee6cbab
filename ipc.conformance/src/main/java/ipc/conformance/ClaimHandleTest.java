package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import ipc.api.IpcClaim;

/**
 * Zero-copy claims are handles of their own: a stale one cannot disturb a later claim, and only the claiming
 * thread finishes a claim.
 */
@HostSuite
class ClaimHandleTest
{
    @Test
    void shouldIgnoreTheCloseOfACommittedClaimMadeAfterALaterClaim() throws Exception
    {
        TestEnvironment.withPair("claim", (client, accepted) ->
        {
            final IpcClaim first = client.claim(1, Duration.ofSeconds(1));
            first.buffer().put(0, (byte)1);
            first.commit();
            final IpcClaim second = client.claim(1, Duration.ofSeconds(1));
            assertNotSame(first, second);
            first.close();
            second.buffer().put(0, (byte)2);
            second.commit();
            assertThrows(IllegalStateException.class, first::commit);
            assertArrayEquals(new byte[] {1}, accepted.receive(Duration.ofSeconds(5)));
            assertArrayEquals(new byte[] {2}, accepted.receive(Duration.ofSeconds(5)));
        });
    }

    @Test
    void shouldRefuseToFinishAClaimFromAnotherThread() throws Exception
    {
        TestEnvironment.withPair("claim", (client, accepted) ->
        {
            final IpcClaim claim = client.claim(3, Duration.ofSeconds(1));
            final ExecutionException failure = assertThrows(ExecutionException.class,
                () -> CompletableFuture.runAsync(claim::commit, command -> new Thread(command).start()).get());
            assertThrows(IllegalStateException.class, () -> { throw failure.getCause(); });
            claim.buffer().put(new byte[] {7, 8, 9});
            claim.commit();
            assertArrayEquals(new byte[] {7, 8, 9}, accepted.receive(Duration.ofSeconds(5)));
        });
    }
}
