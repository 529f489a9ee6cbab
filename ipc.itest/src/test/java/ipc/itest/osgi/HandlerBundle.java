package ipc.itest.osgi;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

import ipc.itest.handler.HandlerBundleJar;

/**
 * Installs a bundle of its own holding an echo handler component ({@link HandlerBundleJar}), so that a test can
 * stop it.
 */
final class HandlerBundle
{
    private HandlerBundle()
    {
    }

    /**
     * Installs (not starts) the bundle.
     *
     * @param serverName the {@code ipc.server.name} of its component.
     * @return the installed bundle; the caller uninstalls it.
     */
    static Bundle install(final String serverName) throws IOException, BundleException
    {
        return Services.context().installBundle("itest:handler:" + serverName,
            new ByteArrayInputStream(HandlerBundleJar.build(serverName)));
    }
}
