package ipc.conformance;

import static ipc.conformance.TestEnvironment.TRANSPORT;
import static ipc.conformance.TestEnvironment.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ipc.api.IpcChannel;
import ipc.api.IpcClaim;
import ipc.api.IpcMessage;
import ipc.api.IpcMessageTooLargeException;
import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.api.IpcPeerClosedException;
import ipc.api.IpcServer;
import ipc.api.IpcStats;

/** Messages between this JVM and a second one: whole, in order, exactly once, of every size the channel allows. */
@HostSuite
class CrossProcessMessagingTest
{
    private static final Duration CHILD_START = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    @Timeout(60)
    void shouldAnswerRequestsFromAnotherProcess() throws Exception
    {
        final String name = uniqueName("requests");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults());
            ChildJvm child = ChildJvm.start("requests", "requests", name, "5000"))
        {
            try (IpcChannel channel = server.accept(CHILD_START))
            {
                assertEquals(child.pid(), channel.peer().pid(), "peer pid from the kernel");
                assertEquals(ownUid(), channel.peer().uid(), "peer uid from the kernel (IpcPeer.UNKNOWN on Windows)");
                int answered = 0;
                final ByteBuffer request = ByteBuffer.allocate(1024);
                try
                {
                    while (true)
                    {
                        request.clear();
                        channel.receive(request, WAIT);
                        request.flip();
                        channel.send(Messages.answer(request));
                        answered++;
                    }
                }
                catch (final IpcPeerClosedException expected)
                {
                    // The client closed after its last answer.
                }
                assertEquals(5000, answered);
                assertEquals(5000, channel.stats().messagesReceived());
                assertEquals(5000, channel.stats().messagesSent());
            }
            assertEquals(0, child.awaitExit(20_000), child.output());
            child.awaitLine("OK requests=5000", 1_000);
        }
    }

    @Test
    @Timeout(120)
    void shouldDeliverAMillionMessagesWithoutLossDuplicationReorderingOrCorruption() throws Exception
    {
        final long count = 1_000_000;
        final String name = uniqueName("stream");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults());
            ChildJvm child = ChildJvm.start("stream", "stream", name, Long.toString(count)))
        {
            try (IpcChannel channel = server.accept(CHILD_START))
            {
                final ByteBuffer buffer = ByteBuffer.allocateDirect(Messages.MAX_LENGTH);
                long bytes = 0;
                final long start = System.nanoTime();
                for (long sequence = 0; sequence < count; sequence++)
                {
                    buffer.clear();
                    bytes += channel.receive(buffer, WAIT);
                    buffer.flip();
                    Messages.verify(buffer, sequence);
                }
                final long nanos = System.nanoTime() - start;
                final IpcStats stats = channel.stats();
                System.out.printf("stream: %d messages, %d bytes in %d ms: %.0f msg/s, %.1f MB/s; receiver %s%n",
                    count, bytes, nanos / 1_000_000, count * 1e9 / nanos, bytes * 1e3 / nanos, stats);
                assertEquals(count, stats.messagesReceived());
                assertEquals(bytes, stats.bytesReceived());
                assertTrue(stats.fragmentsReceived() > 0, "large messages must have travelled in fragments");

                channel.send("done".getBytes(StandardCharsets.US_ASCII));
                // Nothing after the last message: the next receive sees the client's close.
                assertThrows(IpcPeerClosedException.class, () -> channel.receive(buffer.clear(), WAIT));
            }
            assertEquals(0, child.awaitExit(20_000), child.output());
        }
    }

    @Test
    @Timeout(60)
    void shouldCarryEverySizeUpToTheMaximumAndRefuseLargerOnes() throws Exception
    {
        final int maxMessageSize = 300_000;
        final String name = uniqueName("sizes");
        final IpcOptions options = IpcOptions.builder().maxMessageSize(maxMessageSize).build();
        try (IpcServer server = TRANSPORT.bind(name, options);
            ChildJvm child = ChildJvm.start("mirror", "mirror", name))
        {
            try (IpcChannel channel = server.accept(CHILD_START))
            {
                assertEquals(maxMessageSize, channel.maxMessageSize());
                final int ring = IpcOptions.DEFAULT_RING_CAPACITY;
                final int claimMax = channel.maxClaimLength();
                final int[] sizes = {0, 1, 2, 7, 8, 9, claimMax - 1, claimMax, claimMax + 1, ring - 1, ring, ring + 1,
                    3 * ring + 5, maxMessageSize - 1, maxMessageSize};
                for (final int size : sizes)
                {
                    final byte[] message = Messages.payload(size, size);
                    channel.send(message);
                    assertArrayEquals(message, channel.receive(WAIT), "size=" + size);
                }

                final IpcMessageTooLargeException tooLarge = assertThrows(IpcMessageTooLargeException.class,
                    () -> channel.send(new byte[maxMessageSize + 1]));
                assertTrue(tooLarge.getMessage().contains("length=" + (maxMessageSize + 1)), tooLarge.getMessage());
                final ByteBuffer partial = ByteBuffer.wrap(new byte[maxMessageSize + 1]);
                assertThrows(IpcMessageTooLargeException.class, () -> channel.send(partial));
                assertEquals(0, partial.position(), "a refused buffer is left untouched");

                // Still usable, and nothing of the refused message reached the peer.
                final byte[] after = Messages.payload(1000, 42);
                channel.send(after);
                assertArrayEquals(after, channel.receive(WAIT));

                // A message that does not fit the caller's buffer stays first in line.
                final byte[] big = Messages.payload(5000, 5);
                channel.send(big);
                final ByteBuffer small = ByteBuffer.allocate(100);
                assertThrows(IpcMessageTooLargeException.class, () -> channel.receive(small, WAIT));
                assertEquals(0, small.position());
                final ByteBuffer enough = ByteBuffer.allocate(8000);
                assertEquals(5000, channel.receive(enough, WAIT));
                assertArrayEquals(big, java.util.Arrays.copyOf(enough.array(), 5000));

                final IpcStats stats = channel.stats();
                assertEquals(sizes.length + 2, stats.messagesSent(), stats.toString());
                assertTrue(stats.fragmentsSent() > 0 && stats.fragmentsReceived() > 0, stats.toString());
            }
            assertEquals(0, child.awaitExit(20_000), child.output());
            child.awaitLine("MIRRORED count=" + 17, 1_000);
        }
    }

    @Test
    @Timeout(60)
    void shouldClaimAndBorrowAcrossProcesses() throws Exception
    {
        final String name = uniqueName("zero-copy");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults());
            ChildJvm child = ChildJvm.start("mirror-zero-copy", "mirror-zero-copy", name))
        {
            try (IpcChannel channel = server.accept(CHILD_START))
            {
                final int claimMax = channel.maxClaimLength();
                assertThrows(IpcMessageTooLargeException.class, () -> channel.claim(claimMax + 1, WAIT));

                // An aborted claim publishes nothing; the channel goes on.
                try (IpcClaim aborted = channel.claim(64, WAIT))
                {
                    aborted.buffer().put(new byte[64]);
                    aborted.abort();
                    assertThrows(IllegalStateException.class, aborted::commit);
                }
                final int messages = 20_000;
                for (int i = 0; i < messages; i++)
                {
                    final int length = i % 1000 == 999 ? claimMax : i % 300;
                    try (IpcClaim claim = channel.claim(length, WAIT))
                    {
                        final ByteBuffer room = claim.buffer();
                        assertEquals(length, room.remaining());
                        room.put(Messages.payload(length, i));
                        claim.commit();
                    }
                    try (IpcMessage reply = channel.receiveBorrowed(WAIT))
                    {
                        assertEquals(length, reply.length());
                        final byte[] body = new byte[length];
                        reply.buffer().get(body);
                        assertArrayEquals(Messages.payload(length, i), body, "message " + i);
                    }
                }
                // A fragmented message is borrowed from the reassembly buffer.
                final byte[] large = Messages.payload(200_000, 7);
                channel.send(large);
                try (IpcMessage reply = channel.receiveBorrowed(WAIT))
                {
                    final byte[] body = new byte[reply.length()];
                    reply.buffer().get(body);
                    assertArrayEquals(large, body);
                    assertTrue(reply.buffer().isReadOnly());
                }
                assertEquals(messages + 1, channel.stats().messagesReceived());
            }
            assertEquals(0, child.awaitExit(20_000), child.output());
            final String report = child.awaitLine("MIRRORED", 1_000);
            assertTrue(report.contains("count=" + 20_001) && report.contains("claimed=" + 20_000), report);
        }
    }

    /**
     * Several threads send on one channel, half through {@code send}, half through claim/commit, with
     * fragmented messages among them: every message arrives whole, and each thread's messages in its order.
     */
    @Test
    @Timeout(60)
    void shouldKeepConcurrentSendersMessagesWholeAndInOrder() throws Exception
    {
        final int threads = 4;
        final int perThread = 50_000;
        final String name = uniqueName("senders");
        try (IpcServer server = TRANSPORT.bind(name, IpcOptions.defaults()))
        {
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final long[] received = new long[threads];
            final Thread receiver = new Thread(() -> {
                try (IpcChannel channel = server.accept(WAIT))
                {
                    final ByteBuffer buffer = ByteBuffer.allocate(200_000);
                    final int[] next = new int[threads];
                    for (long n = 0; n < (long)threads * perThread; n++)
                    {
                        buffer.clear();
                        final int length = channel.receive(buffer, WAIT);
                        final int thread = buffer.getInt(0);
                        final int sequence = buffer.getInt(4);
                        if (sequence != next[thread])
                        {
                            throw new AssertionError("thread " + thread + " sequence=" + sequence + " expected=" +
                                next[thread]);
                        }
                        next[thread]++;
                        if (length != concurrentLength(sequence))
                        {
                            throw new AssertionError("thread " + thread + " sequence=" + sequence + " length=" +
                                length);
                        }
                        for (int i = 8; i < length; i++)
                        {
                            if (buffer.get(i) != (byte)(thread * 17 + sequence + i))
                            {
                                throw new AssertionError("interleaved or corrupt: thread " + thread + " sequence=" +
                                    sequence + " byte=" + i);
                            }
                        }
                        received[thread]++;
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }, "receiver");
            receiver.start();
            try (IpcChannel channel = TRANSPORT.connect(name, IpcOptions.defaults()))
            {
                final List<Thread> senders = new ArrayList<>();
                for (int t = 0; t < threads; t++)
                {
                    final int thread = t;
                    senders.add(new Thread(() -> {
                        try
                        {
                            for (int sequence = 0; sequence < perThread; sequence++)
                            {
                                final int length = concurrentLength(sequence);
                                final byte[] message = new byte[length];
                                final ByteBuffer body = ByteBuffer.wrap(message);
                                body.putInt(0, thread).putInt(4, sequence);
                                for (int i = 8; i < length; i++)
                                {
                                    message[i] = (byte)(thread * 17 + sequence + i);
                                }
                                if (thread % 2 == 1 && length <= channel.maxClaimLength())
                                {
                                    try (IpcClaim claim = channel.claim(length, WAIT))
                                    {
                                        claim.buffer().put(message);
                                        claim.commit();
                                    }
                                }
                                else
                                {
                                    channel.send(message);
                                }
                            }
                        }
                        catch (final Throwable ex)
                        {
                            failure.compareAndSet(null, ex);
                        }
                    }, "sender-" + t));
                }
                senders.forEach(Thread::start);
                for (final Thread sender : senders)
                {
                    sender.join(50_000);
                }
                receiver.join(50_000);
                if (null != failure.get())
                {
                    throw new AssertionError("concurrent send failed", failure.get());
                }
                for (int t = 0; t < threads; t++)
                {
                    assertEquals(perThread, received[t], "messages of thread " + t);
                }
                assertEquals((long)threads * perThread, channel.stats().messagesSent());
            }
        }
    }

    private static int concurrentLength(final int sequence)
    {
        return sequence % 997 == 0 ? 100_000 + sequence % 64 : 8 + sequence % 120;
    }

    /**
     * This process's uid as the peer should report it: on Unix the owner of a file this process creates (the JDK's
     * {@code unix:uid} attribute), on Windows {@link IpcPeer#UNKNOWN}, as {@link IpcPeer} documents.
     */
    private static long ownUid() throws java.io.IOException
    {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("unix"))
        {
            return IpcPeer.UNKNOWN;
        }
        final java.nio.file.Path probe = java.nio.file.Files.createTempFile("ipc-uid", ".probe");
        try
        {
            return Integer.toUnsignedLong((Integer)java.nio.file.Files.getAttribute(probe, "unix:uid"));
        }
        finally
        {
            java.nio.file.Files.delete(probe);
        }
    }
}
