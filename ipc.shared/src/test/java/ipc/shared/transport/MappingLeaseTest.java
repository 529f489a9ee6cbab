package ipc.shared.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.shared.concurrent.ReleaseStoreLock;

/**
 * The lease's last party unmaps, exactly once, whoever it is. The race that matters: the sender leaves (the send lock's
 * unlock, a release store with no fence, then {@link MappingLease#releaseIfLast()}, as {@code ChannelOutbound} does)
 * at the same moment as the owner detaches, each the other's last party. Without a fence on the sender's side each can
 * read the other as still there (a store-buffering outcome, which x86 allows), and then nobody unmaps.
 */
class MappingLeaseTest
{
    /**
     * Trials of the race: without the fix, 4 of 200,000 leaked on the AMD 2-vCPU VM, so a million show it about 20
     * times, in about a second.
     */
    private static final int TRIALS = 1_000_000;
    private static final ByteBuffer SEGMENT = ByteBuffer.allocateDirect(0);

    @Test
    @Timeout(120)
    void shouldUnmapOnceWhenTheSenderAndTheOwnerLeaveAtTheSameMoment() throws Exception
    {
        final MappingLease[] leases = new MappingLease[TRIALS];
        final CountingResources[] resources = new CountingResources[TRIALS];
        final ReleaseStoreLock[] locks = new ReleaseStoreLock[TRIALS];
        for (int i = 0; i < TRIALS; i++)
        {
            resources[i] = new CountingResources(SEGMENT);
            leases[i] = new MappingLease(resources[i], true);
            locks[i] = new ReleaseStoreLock();
            leases[i].parties(() -> false, locks[i]::isLocked);
            // Closed, and nobody closing any more: the sender and the owner are the last two parties.
            leases[i].beginClose();
            leases[i].endClose();
        }
        // Both threads start each trial together (a spin on a shared counter), so that their exits overlap.
        final AtomicInteger senderAt = new AtomicInteger(-1);
        final AtomicInteger ownerAt = new AtomicInteger(-1);
        final Thread sender = new Thread(() ->
        {
            for (int i = 0; i < TRIALS; i++)
            {
                locks[i].lock();
                senderAt.set(i);
                while (ownerAt.get() < i)
                {
                    Thread.onSpinWait();
                }
                locks[i].unlock();
                leases[i].releaseIfLast();
            }
        }, "sender");
        final Thread owner = new Thread(() ->
        {
            for (int i = 0; i < TRIALS; i++)
            {
                while (senderAt.get() < i)
                {
                    Thread.onSpinWait();
                }
                ownerAt.set(i);
                leases[i].ownerDetached();
            }
        }, "owner");
        sender.start();
        owner.start();
        sender.join();
        owner.join();
        int leaked = 0;
        for (int i = 0; i < TRIALS; i++)
        {
            final int closes = resources[i].closes();
            assertTrue(closes <= 1, "unmapped twice: trial " + i);
            leaked += 1 - closes;
        }
        assertEquals(0, leaked, "leases nobody unmapped, of " + TRIALS);
    }
}
