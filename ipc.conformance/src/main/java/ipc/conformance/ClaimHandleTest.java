package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ipc.api.IpcClaim;
import ipc.api.IpcClosedException;

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

    @Test
    void shouldRefuseASendOrClaimOnTheThreadThatHoldsAClaimAndANegativeLength() throws Exception
    {
        TestEnvironment.withPair("claim", (client, accepted) ->
        {
            assertThrows(IllegalArgumentException.class, () -> client.claim(-1, Duration.ofSeconds(1)));
            final IpcClaim claim = client.claim(1, Duration.ofSeconds(1));
            // Before, each waited for this very thread's claim until its timeout, then blamed "other senders".
            assertThrows(IllegalStateException.class, () -> client.send(new byte[] {1}));
            assertThrows(IllegalStateException.class, () -> client.claim(1, Duration.ofSeconds(10)));
            claim.buffer().put(0, (byte)5);
            claim.commit();
            assertArrayEquals(new byte[] {5}, accepted.receive(Duration.ofSeconds(5)));
        });
    }

    @Test
    void shouldEndASendWaitingForAnotherThreadsClaimWhenTheChannelCloses() throws Exception
    {
        TestEnvironment.withPair("claim", (client, accepted) ->
        {
            final CompletableFuture<IpcClaim> claimed = new CompletableFuture<>();
            final CompletableFuture<Void> done = new CompletableFuture<>();
            final Thread holder = new Thread(() ->
            {
                try
                {
                    claimed.complete(client.claim(8, Duration.ofSeconds(1)));
                    done.get();
                }
                catch (final Exception ex)
                {
                    claimed.completeExceptionally(ex);
                }
            });
            holder.start();
            final IpcClaim held = claimed.get(5, TimeUnit.SECONDS);
            final CompletableFuture<Throwable> sent = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    client.send(java.nio.ByteBuffer.wrap(new byte[] {1}), Duration.ofSeconds(60));
                    return null;
                }
                catch (final Exception ex)
                {
                    return ex;
                }
            }, command -> new Thread(command).start());
            client.close();
            // Before, the sender waited for the claim's lock to the end of its 60 s.
            assertInstanceOf(IpcClosedException.class, sent.get(WakeBound.VALUE.toMillis(), TimeUnit.MILLISECONDS));
            done.complete(null);
            holder.join();
            assertNotNull(held);
        });
    }
}
