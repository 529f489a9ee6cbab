package ipc.windows;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import ipc.api.ForPlatform;
import ipc.api.IpcPlatform;
import ipc.api.IpcTransport;
import ipc.shared.transport.SharedTransport;

/**
 * The Windows {@link IpcTransport}: registered as an OSGi service by Declarative Services (the bundle resolves only
 * on Windows), and provided to {@link java.util.ServiceLoader} on the module path and class path.
 */
@ForPlatform(IpcPlatform.WINDOWS)
@Component(service = IpcTransport.class, property = IpcTransport.PLATFORM_PROPERTY + "=WINDOWS")
public final class WindowsTransport extends SharedTransport
{
    /**
     * Creates the transport; no native code runs until the first bind or connect. Public for
     * {@link java.util.ServiceLoader}.
     */
    @Activate
    public WindowsTransport()
    {
        super(new WindowsPlatform());
    }

    /** {@inheritDoc} Always {@code event}: one auto-reset event per wait word. */
    @Override
    public String waitMechanism()
    {
        return "event";
    }

    @Deactivate
    void deactivate()
    {
        shutdown();
    }
}
