package ipc.macos;

import java.util.function.Supplier;

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
    private final Supplier<WaitMechanism> mechanism;

    /**
     * Creates the transport; no native code runs until the first bind or connect. Public for
     * {@link java.util.ServiceLoader}.
     */
    @Activate
    public MacTransport()
    {
        this(WaitMechanism::current);
    }

    /** A transport that reports the mechanism a supplier chooses: tests fake the C library's symbols with it. */
    MacTransport(final Supplier<WaitMechanism> mechanism)
    {
        super(new MacPlatform());
        this.mechanism = mechanism;
    }

    /**
     * {@inheritDoc} The first call makes the process's choice, which looks symbols up in the C library (native code,
     * macOS only) and logs it at DEBUG.
     */
    @Override
    public String waitMechanism()
    {
        return mechanism.get().propertyValue();
    }

    @Deactivate
    void deactivate()
    {
        shutdown();
    }
}
