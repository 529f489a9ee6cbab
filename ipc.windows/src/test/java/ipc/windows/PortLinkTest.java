package ipc.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import ipc.api.IpcException;

/**
 * A handle belongs to one completion port for life (CreateIoCompletionPort documentation): the link associates it
 * once, refuses a second port, knows a handle the listener associated already, and stops hinting once detached.
 */
class PortLinkTest
{
    private final FakeCompletionPort port = new FakeCompletionPort();
    private final WindowsMultiplexer multiplexer = new WindowsMultiplexer(port);

    @Test
    void shouldAssociateOnce() throws IpcException
    {
        final PortLink link = new PortLink();
        assertTrue(link.attach(multiplexer, 42));
        assertFalse(link.attach(multiplexer, 42), "re-registration with the same port");
        assertEquals(List.of(42L), port.associated);
    }

    @Test
    void shouldRefuseASecondPort() throws IpcException
    {
        final PortLink link = new PortLink();
        link.attach(multiplexer, 42);
        final WindowsMultiplexer other = new WindowsMultiplexer(new FakeCompletionPort());
        assertThrows(IpcException.class, () -> link.attach(other, 42));
    }

    @Test
    void shouldNotAssociateAnInheritedHandleAgain() throws IpcException
    {
        final PortLink link = new PortLink();
        link.inherit(multiplexer);
        assertFalse(link.attach(multiplexer, 42));
        assertEquals(List.of(), port.associated);
        link.associateMore(43);
        assertEquals(List.of(43L), port.associated, "a listener's next instance joins the same port");
    }

    @Test
    void shouldHintOnlyWhileWatched() throws IpcException
    {
        final PortLink link = new PortLink();
        link.hint(0x100);
        assertTrue(port.packets.isEmpty(), "not watched yet");
        link.attach(multiplexer, 42);
        link.hint(0x100);
        assertEquals(List.of(0x100L), List.copyOf(port.packets));
        link.detach();
        link.hint(0x200);
        assertEquals(1, port.packets.size(), "detached: the multiplexer may be closing");
    }

    @Test
    void shouldNeitherAssociateNorPostAfterTheMultiplexerClosed() throws IpcException
    {
        final PortLink link = new PortLink();
        link.attach(multiplexer, 42);
        multiplexer.close();
        link.associateMore(43);
        link.hint(0x100);
        assertEquals(List.of(42L), port.associated);
        assertTrue(port.packets.isEmpty());
    }
}
