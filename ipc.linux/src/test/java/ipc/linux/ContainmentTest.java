package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcException;
import ipc.api.IpcOptions;
import ipc.conformance.ServerArena;
import ipc.linux.jna.Fcntl;
import ipc.linux.jna.LibC;
import ipc.linux.os.Futex;
import ipc.linux.os.SharedMemory;
import ipc.shared.ring.Direction;
import ipc.shared.ring.RecordDescriptor;
import ipc.shared.wait.WaitProtocol;

/**
 * Containment (DESIGN.md section 6) against the attack only a Linux peer can make: a doorbell whose blocking mode the
 * client changes (with an eventfd the client would share the server's file description). The attacks made through
 * the API are in the shared suite ({@link ipc.conformance.ContainmentTest}), and so are those a raw peer of any
 * backend can make (forged records, fragments and positions, a shrunk segment, a closed doorbell, a flood of
 * handshakes, a silent client, a scribbler: {@code ipc.conformance.RawPeerContainmentTest}, run here through
 * {@link LinuxBackendProbe}). A server serves every client with one thread, so no single peer may
 * block, crash or starve it. Each test attacks a live serving server while honest clients echo beside it (a
 * {@link ServerArena}), then asserts that the honest clients saw no error and no slow reply, that a new client is
 * served, that the attacking connection was closed with a reason where it broke the protocol, and that nothing was
 * left behind.
 */
@EnabledOnOs(OS.LINUX)
class ContainmentTest
{
    private static final IpcOptions OPTIONS = ServerArena.OPTIONS;

    @Test
    void shouldNotLetAClientMakeItsDoorbellBlock() throws Exception
    {
        try (ServerArena arena = new ServerArena("doorbell", OPTIONS, ServerArena::echo, 2);
             HostileClient attacker = HostileClient.welcomed(socketPath(arena)).ready())
        {
            // With an eventfd doorbell the client shares the server's file description: it could clear O_NONBLOCK,
            // ring, and take the count back itself, so that the server's read finds nothing and blocks forever.
            assertNotEquals(-1, LibC.fcntl(attacker.doorbell, Fcntl.F_SETFL, 0));
            for (int i = 0; i < 2_000; i++)
            {
                attacker.ringDoorbell();
                attacker.takeBackRing();
            }
            arena.assertHonestClientsUnharmed();
            arena.assertDispatcherAlive();
            arena.assertNewClientServed();
        }
    }

    @Test
    void shouldNotLetAClientThatScribblesOnItsWaitWordStallTheOthers() throws Exception
    {
        try (ServerArena arena = new ServerArena("word", OPTIONS, ServerArena::echo, 2);
             HostileClient attacker = HostileClient.welcomed(socketPath(arena)).ready())
        {
            // The dispatcher sleeps on this word among others (futex_waitv, when the connection was active last). The
            // attacker stores what the protocol never does and takes announcements back, and wakes the word, all the
            // time the honest clients run: the dispatcher may spin on its account, never stall or fail.
            final int word = attacker.layout.readerWaitOffset(Direction.CLIENT_TO_SERVER);
            final long address = SharedMemory.address(attacker.segment) + word;
            final int[] scribbles = {WaitProtocol.WAITING_ON_WORD, WaitProtocol.IDLE, WaitProtocol.WAITING, -1, 7};
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong wakes = new AtomicLong();
            final Thread scribbler = new Thread(() ->
            {
                for (int i = 0; !stop.get(); i++)
                {
                    attacker.segment.putInt(word, scribbles[i % scribbles.length]);
                    try
                    {
                        Futex.futexWake(address, Integer.MAX_VALUE);
                        wakes.incrementAndGet();
                    }
                    catch (final IpcException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }
            }, "scribbler");
            scribbler.start();
            try
            {
                arena.assertHonestClientsUnharmed();
                arena.assertDispatcherAlive();
                arena.assertNewClientServed();
            }
            finally
            {
                stop.set(true);
                scribbler.join(10_000);
            }
            assertTrue(wakes.get() > 100, "the attack ran: wakes=" + wakes);
        }
    }

    @Test
    void shouldServeAClientOfAnOlderProtocolMinorThatOnlyRingsTheDoorbell() throws Exception
    {
        try (ServerArena arena = new ServerArena("old-minor", OPTIONS, ServerArena::echo, 1);
             HostileClient old = HostileClient.welcomed(socketPath(arena), (short)1).ready())
        {
            final int word = old.layout.readerWaitOffset(Direction.CLIENT_TO_SERVER);
            final int replies = old.layout.tailOffset(Direction.SERVER_TO_CLIENT);
            final int record = RecordDescriptor.HEADER_LENGTH + Long.BYTES;
            for (int request = 0; request < 10; request++)
            {
                // Between requests the dispatcher stops spinning and arms this connection: a client of protocol
                // minor 1 wakes a reader only when its word says WAITING (the doorbell), never WAITING_ON_WORD.
                assertTrue(TestEnvironment.eventually(() -> old.segment.getInt(word) != WaitProtocol.IDLE, 5_000),
                    "the dispatcher never armed the connection");
                assertEquals(WaitProtocol.WAITING, old.segment.getInt(word), "armed on the doorbell");
                final long position = (long)request * record;
                old.segment.putLong(old.dataOffset() + (int)position + RecordDescriptor.HEADER_LENGTH, request);
                old.putRecord((int)position, RecordDescriptor.MESSAGE, record);
                old.publishTail(position + record);
                VarHandle.fullFence();
                if (old.segment.getInt(word) == WaitProtocol.WAITING)
                {
                    old.segment.putInt(word, WaitProtocol.IDLE);
                    old.ringDoorbell();
                }
                final long answered = position + record;
                assertTrue(TestEnvironment.eventually(() -> old.segment.getLong(replies) >= answered, 5_000),
                    "request " + request + " of the older client was never answered");
            }
            arena.assertHonestClientsUnharmed();
        }
    }

    /** The socket file of an arena's server: what the raw attackers of this class connect to. */
    private static String socketPath(final ServerArena arena)
    {
        return TestEnvironment.socketDirectory().resolve(arena.name + ".sock").toString();
    }
}
