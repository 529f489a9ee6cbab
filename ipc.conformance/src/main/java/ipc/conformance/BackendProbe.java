package ipc.conformance;

import java.util.ServiceLoader;

import ipc.api.IpcException;
import ipc.api.IpcPlatform;

/**
 * What the suite needs from the host backend beyond {@code ipc.api}, supplied by that backend's test tree through
 * {@link ServiceLoader} ({@code META-INF/services/ipc.conformance.BackendProbe}): the backend's own primitives, so
 * that a test can act as a raw peer ({@link RawClient}: crafted control frames, a segment scribbled on, a doorbell
 * closed), and the counts of OS handles a backend-neutral module cannot read itself.
 *
 * <p>Exactly one probe per backend module; {@link #host()} picks the one whose platform is the host's. The suite
 * fails, never skips, when the host backend's module runs it without a probe.
 */
public interface BackendProbe
{
    /**
     * The platform this probe serves.
     *
     * @return the platform.
     */
    IpcPlatform platform();

    /**
     * A fresh instance of the backend's primitives ({@code ipc.shared.spi.Platform}), the same class its transport is
     * built on. Typed {@code Object}, like every signature here kept to JDK types: the backend's test classes are
     * compiled into its module, which reads this class path module but cannot name {@code ipc.shared} types through
     * it ({@link RawClient} casts; at run time every module is on the class path).
     *
     * @return the backend's {@code ipc.shared.spi.Platform}.
     */
    Object primitives();

    /**
     * Client side, without any of the checks an honest client makes: maps the segment received with a WELCOME and
     * keeps the doorbell this client rings. Takes ownership of the handles.
     *
     * @param segmentLength the segment's length, as the WELCOME announced it.
     * @param handles       the handles received with it, in the backend's order.
     * @return the raw attachment.
     * @throws IpcException if the OS refuses.
     */
    RawSegment attach(long segmentLength, long[] handles) throws IpcException;

    /**
     * Why this OS has no call that a client could use to shrink a segment it was sent, or {@code null} if it has
     * one ({@link RawSegment#shrink()} then tries it).
     *
     * @return the reason, or {@code null}.
     */
    String noShrinkCall();

    /**
     * What this backend's client says when it refuses a WELCOME whose segment is shorter than the WELCOME announces
     * (a mapping of it would fault on first touch): a fragment of the refusal's message.
     *
     * @return the fragment.
     */
    String shortSegmentRefusal();

    /**
     * What this backend's client says when it refuses a WELCOME that carries, where its doorbell should be, a handle
     * of another kind (the segment's): a fragment of the refusal's message.
     *
     * @return the fragment.
     */
    String foreignDoorbellRefusal();

    /**
     * The process's open OS handles, where the backend's test tree counts them with native calls (Windows:
     * {@code GetProcessHandleCount}); -1 where {@link HostResources} counts descriptors by itself.
     *
     * @return the count, or -1.
     */
    default long processHandles()
    {
        return -1;
    }

    /**
     * The probe of the host's backend, if the class path holds one.
     *
     * @return the probe, or {@code null}.
     */
    static BackendProbe host()
    {
        final IpcPlatform host = IpcPlatform.fromOsName(System.getProperty("os.name", ""));
        for (final BackendProbe probe : ServiceLoader.load(BackendProbe.class, BackendProbe.class.getClassLoader()))
        {
            if (probe.platform() == host)
            {
                return probe;
            }
        }
        return null;
    }

    /**
     * The probe of the host's backend; fails the calling test if there is none.
     *
     * @return the probe.
     */
    static BackendProbe require()
    {
        final BackendProbe probe = host();
        if (null == probe)
        {
            throw new AssertionError("no ipc.conformance.BackendProbe for this host on the class path: the backend " +
                "module's test tree must provide one: os.name=" + System.getProperty("os.name"));
        }
        return probe;
    }
}
