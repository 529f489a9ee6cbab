package ipc.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

import ipc.api.IpcTransport;
import ipc.macos.jna.OsSync;
import ipc.macos.jna.ULock;
import ipc.macos.os.WaitMechanism;

/**
 * The wait mechanism is reported through the public API ({@link IpcTransport#waitMechanism()}), as the selection
 * made it: here with the C library's symbols faked, so it runs on every OS and loads no native code.
 */
class TransportWaitMechanismTest
{
    @Test
    void shouldReportTheMechanismTheSelectionChose()
    {
        assertEquals("os_sync", reported(Set.of(OsSync.WAIT_SYMBOL, OsSync.WAKE_SYMBOL, ULock.WAIT2_SYMBOL,
            ULock.WAKE_SYMBOL), null));
        assertEquals("ulock", reported(Set.of(ULock.WAIT2_SYMBOL, ULock.WAKE_SYMBOL), null));
        assertEquals("socketpair", reported(Set.of(), null));
        assertEquals("socketpair", reported(Set.of(OsSync.WAIT_SYMBOL, OsSync.WAKE_SYMBOL), "socketpair"));
    }

    private static String reported(final Set<String> exported, final String forced)
    {
        final IpcTransport transport = new MacTransport(() -> WaitMechanism.select(exported::contains, forced));
        try
        {
            return transport.waitMechanism();
        }
        finally
        {
            ((MacTransport)transport).deactivate();
        }
    }
}
