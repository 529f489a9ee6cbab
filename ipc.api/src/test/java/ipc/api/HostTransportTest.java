package ipc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class HostTransportTest
{
    private static ServiceLoader<IpcTransport> loader()
    {
        return ServiceLoader.load(IpcTransport.class, HostTransportTest.class.getClassLoader());
    }

    @Test
    void shouldPickTheHostsProviderWithoutInitializingOthers() throws Exception
    {
        final IpcTransport transport = HostTransport.find(IpcPlatform.LINUX, loader());
        assertEquals(FakeTransports.Linux.class, transport.getClass());
        assertSame(transport, HostTransport.find(IpcPlatform.LINUX, loader()), "one instance per provider class");
        assertFalse(FakeTransports.MACOS_INITIALIZED.get(), "the macOS provider was initialized");
    }

    @Test
    void shouldNameTheHostAndTheProvidersSeenWhenNoneFits()
    {
        final IpcUnsupportedPlatformException ex = assertThrows(IpcUnsupportedPlatformException.class,
            () -> HostTransport.find(IpcPlatform.WINDOWS, loader()));
        assertTrue(ex.getMessage().contains("host=WINDOWS"), ex.getMessage());
        assertTrue(ex.getMessage().contains("FakeTransports$Unannotated=unannotated"), ex.getMessage());
        assertFalse(FakeTransports.MACOS_INITIALIZED.get(), "the macOS provider was initialized");
    }

    @Test
    void shouldSayWhyTheHostsProviderCouldNotBeCreated(@TempDir final Path services) throws Exception
    {
        // A class loader that adds one provider, for WINDOWS, whose constructor fails with a cause chain that loops.
        final Path file = services.resolve("META-INF/services/" + IpcTransport.class.getName());
        Files.createDirectories(file.getParent());
        Files.writeString(file, FakeTransports.Failing.class.getName() + System.lineSeparator());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {services.toUri().toURL()},
            HostTransportTest.class.getClassLoader()))
        {
            final IpcUnsupportedPlatformException ex = assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThrows(IpcUnsupportedPlatformException.class,
                    () -> HostTransport.find(IpcPlatform.WINDOWS, ServiceLoader.load(IpcTransport.class, loader))));
            assertTrue(ex.getMessage().startsWith("cannot load the IPC transport for host=WINDOWS"), ex.getMessage());
            assertTrue(ex.getMessage().contains("FakeTransports$Failing could not be instantiated"), ex.getMessage());
            // The provider's own reason, which ServiceLoader's message leaves out.
            assertTrue(ex.getMessage().contains("no fake-native in java.library.path") ||
                ex.getMessage().contains("binding failed"), ex.getMessage());
        }
    }

    @Test
    void shouldFindTheHostThroughTheStaticLookup() throws Exception
    {
        final IpcPlatform host = IpcPlatform.host();
        if (host == IpcPlatform.LINUX)
        {
            assertEquals(IpcPlatform.LINUX, IpcTransport.forHost(HostTransportTest.class.getClassLoader()).platform());
        }
        else
        {
            // Only the Linux fake is annotated for a platform that the lookup accepts.
            assertThrows(IpcUnsupportedPlatformException.class,
                () -> IpcTransport.forHost(HostTransportTest.class.getClassLoader()));
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "needs a lookup that succeeds, and among this module's fake " +
        "providers only the Linux one is annotated for a platform the host lookup accepts")
    void shouldRememberTheLastLookupOnlyForItsOwnClassLoader() throws Exception
    {
        final ClassLoader loader = HostTransportTest.class.getClassLoader();
        final IpcTransport first = IpcTransport.forHost(loader);
        assertSame(first, IpcTransport.forHost(loader), "a second lookup must not create another transport");
        // A loader that sees no provider at all: the remembered answer is not for it.
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null))
        {
            assertThrows(IpcUnsupportedPlatformException.class, () -> IpcTransport.forHost(empty));
        }
        assertSame(first, IpcTransport.forHost(loader));
    }

    @Test
    void shouldMapOsNames() throws IpcUnsupportedPlatformException
    {
        assertEquals(IpcPlatform.fromOsName(System.getProperty("os.name")), IpcPlatform.host());
        assertEquals(IpcPlatform.LINUX, IpcPlatform.fromOsName("Linux"));
        assertEquals(IpcPlatform.MACOS, IpcPlatform.fromOsName("Mac OS X"));
        assertEquals(IpcPlatform.MACOS, IpcPlatform.fromOsName("Darwin"));
        assertEquals(IpcPlatform.WINDOWS, IpcPlatform.fromOsName("Windows 11"));
        assertNull(IpcPlatform.fromOsName("FreeBSD"));
        assertEquals("MacOSX", IpcPlatform.MACOS.osgiOsName());
    }

    @Test
    void shouldNameTheOsWhenUnsupported()
    {
        final String saved = System.getProperty("os.name");
        System.setProperty("os.name", "Plan9");
        try
        {
            final IpcUnsupportedPlatformException ex = assertThrows(IpcUnsupportedPlatformException.class,
                IpcPlatform::host);
            assertTrue(ex.getMessage().contains("os.name=Plan9"), ex.getMessage());
        }
        finally
        {
            System.setProperty("os.name", saved);
        }
    }
}
