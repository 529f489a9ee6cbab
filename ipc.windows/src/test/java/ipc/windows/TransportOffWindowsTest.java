package ipc.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import ipc.api.ForPlatform;
import ipc.api.IpcOptions;
import ipc.api.IpcPeer;
import ipc.api.IpcPlatform;
import ipc.api.IpcTransport;
import ipc.api.IpcUnsupportedPlatformException;

/**
 * On another OS the transport can be constructed, is found and labelled as Windows's, and fails with a clear
 * error at first use. Had any of it touched the Windows bindings, loading {@code kernel32} here would have thrown
 * an {@link UnsatisfiedLinkError} (an {@code Error}, which these assertions would not catch) instead.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "it checks the Windows backend off Windows, where no native code "
    + "may load; on Windows the backend's own tests and the shared suite run it for real")
class TransportOffWindowsTest
{
    @Test
    void shouldDeclareItsPlatformWithoutNativeCode()
    {
        final WindowsTransport transport = new WindowsTransport();
        assertEquals(IpcPlatform.WINDOWS, transport.platform());
        assertEquals(IpcPlatform.WINDOWS, WindowsTransport.class.getAnnotation(ForPlatform.class).value());
        assertEquals(IpcPeer.UNKNOWN, new WindowsPlatform().uid(), "Windows users are SIDs, not uids");
        assertEquals(WindowsConnection.HANDLE_COUNT, new WindowsPlatform().handlesPerConnection());
    }

    @Test
    void shouldBeAServiceProvider()
    {
        boolean found = false;
        for (final ServiceLoader.Provider<IpcTransport> provider : ServiceLoader.load(IpcTransport.class).stream()
            .toList())
        {
            found |= provider.type() == WindowsTransport.class;
        }
        assertTrue(found, "META-INF/services names WindowsTransport");
    }

    @Test
    void shouldRefuseToBindOrConnectOffWindows()
    {
        final WindowsTransport transport = new WindowsTransport();
        try
        {
            assertThrows(IpcUnsupportedPlatformException.class, () -> transport.bind("x", IpcOptions.defaults()));
            assertThrows(IpcUnsupportedPlatformException.class, () -> transport.connect("x", IpcOptions.defaults()));
        }
        finally
        {
            transport.deactivate();
        }
    }

    @Test
    void shouldRefuseAllowedPeerUidsWithAClearError() throws Exception
    {
        final IpcOptions options = IpcOptions.defaults().toBuilder().allowPeerUid(1000).build();
        final IpcUnsupportedPlatformException refused = assertThrows(IpcUnsupportedPlatformException.class,
            () -> new WindowsPlatform().listen("x", options));
        assertTrue(refused.getMessage().contains("allowedPeerUids"), refused.getMessage());
    }
}
