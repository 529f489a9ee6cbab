package ipc.linux;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import ipc.api.ForPlatform;
import ipc.api.IpcPlatform;
import ipc.api.IpcTransport;
import ipc.shared.transport.SharedTransport;

/**
 * The Linux {@link IpcTransport}: registered as an OSGi service by Declarative Services (the bundle resolves only on
 * Linux), and provided to {@link java.util.ServiceLoader} on the module path and class path.
 */
@ForPlatform(IpcPlatform.LINUX)
@Component(service = IpcTransport.class, property = IpcTransport.PLATFORM_PROPERTY + "=LINUX")
public final class LinuxTransport extends SharedTransport
{
    /**
     * Creates the transport; no native code runs until the first bind or connect. Public for
     * {@link java.util.ServiceLoader}.
     */
    @Activate
    public LinuxTransport()
    {
        super(new LinuxPlatform());
    }

    /** {@inheritDoc} Always {@code futex}: FutexSignal: FUTEX_WAIT/FUTEX_WAKE on the wait words. */
    @Override
    public String waitMechanism()
    {
        return "futex";
    }

    @Deactivate
    void deactivate()
    {
        shutdown();
    }
}
