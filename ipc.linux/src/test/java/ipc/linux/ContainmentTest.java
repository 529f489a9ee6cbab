package ipc.linux;

import static org.junit.jupiter.api.Assertions.assertNotEquals;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.IpcOptions;
import ipc.conformance.ServerArena;
import ipc.linux.jna.Fcntl;
import ipc.linux.jna.LibC;

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

    /** The socket file of an arena's server: what the raw attackers of this class connect to. */
    private static String socketPath(final ServerArena arena)
    {
        return TestEnvironment.socketDirectory().resolve(arena.name + ".sock").toString();
    }
}
