package ipc.macos;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import ipc.api.ForPlatform;
import ipc.api.IpcPlatform;
import ipc.api.IpcTransport;
import ipc.macos.os.WaitMechanism;
import ipc.shared.transport.SharedTransport;

/**
 * The macOS {@link IpcTransport}: registered as an OSGi service by Declarative Services (the bundle resolves only on
 * macOS), and provided to {@link java.util.ServiceLoader} on the module path and class path.
 */
@ForPlatform(IpcPlatform.MACOS)
@Component(service = IpcTransport.class, property = IpcTransport.PLATFORM_PROPERTY + "=MACOS")
public final class MacTransport extends SharedTransport
{
    /**
     * Creates the transport; no native code runs until the first bind or connect. Public for
     * {@link java.util.ServiceLoader}.
     */
    @Activate
    public MacTransport()
    {
        super(new MacPlatform());
    }

    /**
     * Which primitive this process uses to sleep on and wake the rings' wait words: {@code os_sync} (macOS 14.4+),
     * {@code ulock} (private API, older systems) or {@code socketpair}. Chosen once per process, on first use;
     * calling this makes the choice, which looks symbols up in the C library (native code, macOS only).
     *
     * @return the mechanism's name.
     */
    public static String waitMechanism()
    {
        return WaitMechanism.current().propertyValue();
    }

    @Deactivate
    void deactivate()
    {
        shutdown();
    }
}
