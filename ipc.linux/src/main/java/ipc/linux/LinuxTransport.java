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
     * Creates the transport and loads its native bindings (JNA's dispatch library and the C library's functions), so
     * that a host where they cannot load fails here, in {@link IpcTransport#forHost()} or the bundle's activation, and
     * the first bind or connect does not pay for loading them: about half of a new JVM's first connect, 40-50 ms on
     * the 2-vCPU AMD VM (a wall-clock profile of that connect). Public for {@link java.util.ServiceLoader}.
     */
    @Activate
    public LinuxTransport()
    {
        this(new LinuxPlatform());
    }

    private LinuxTransport(final LinuxPlatform platform)
    {
        super(platform);
        // The first native call binds the C library: LibC's static initializer.
        platform.uid();
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
