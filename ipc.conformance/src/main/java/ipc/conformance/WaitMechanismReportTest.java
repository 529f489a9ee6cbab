package ipc.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import ipc.api.IpcPlatform;
import ipc.api.IpcTransport;

/**
 * The host transport names the primitive its rings wait on ({@link IpcTransport#waitMechanism()}): one of those its
 * platform's backend documents, never the interface's {@code unknown}.
 */
@HostSuite
class WaitMechanismReportTest
{
    /** The mechanisms each backend documents (README, "What works where"). */
    private static final Map<IpcPlatform, Set<String>> DOCUMENTED = Map.of(
        IpcPlatform.LINUX, Set.of("futex"),
        IpcPlatform.MACOS, Set.of("os_sync", "ulock", "socketpair"),
        IpcPlatform.WINDOWS, Set.of("event"));

    @Test
    void shouldNameADocumentedMechanism()
    {
        final IpcTransport transport = TestEnvironment.TRANSPORT;
        final String mechanism = transport.waitMechanism();
        assertTrue(DOCUMENTED.getOrDefault(transport.platform(), Set.of()).contains(mechanism),
            "platform=" + transport.platform() + " waitMechanism=" + mechanism);
    }
}
