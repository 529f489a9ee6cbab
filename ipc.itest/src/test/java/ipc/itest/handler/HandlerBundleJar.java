package ipc.itest.handler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Builds a bundle holding {@link EchoComponent} as a Declarative Services component that provides
 * {@link ipc.api.IpcHandler} with {@code ipc.server.name} set: what a user's bundle looks like. Used inside the
 * framework (installed from the bytes) and from outside it (written to a file that Karaf installs).
 */
public final class HandlerBundleJar
{
    private HandlerBundleJar()
    {
    }

    /**
     * The bundle's bytes.
     *
     * @param serverName the {@code ipc.server.name} of its component; also part of its symbolic name.
     * @return a jar.
     * @throws IOException if this class's own class file cannot be read.
     */
    public static byte[] build(final String serverName) throws IOException
    {
        final Manifest manifest = new Manifest();
        final Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "ipc.itest.handler." + serverName);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", "ipc.api;version=\"[1.0,2)\"");
        main.putValue("Service-Component", "OSGI-INF/echo.xml");

        final String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" +
            "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"ipc.itest.handler.echo\">\n" +
            "  <implementation class=\"" + EchoComponent.class.getName() + "\"/>\n" +
            "  <property name=\"ipc.server.name\" value=\"" + serverName + "\"/>\n" +
            "  <service><provide interface=\"ipc.api.IpcHandler\"/></service>\n" +
            "</scr:component>\n";

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest))
        {
            jar.putNextEntry(new JarEntry("OSGI-INF/echo.xml"));
            jar.write(component.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry(EchoComponent.class.getName().replace('.', '/') + ".class"));
            try (InputStream in = EchoComponent.class.getResourceAsStream(EchoComponent.class.getSimpleName() + ".class"))
            {
                if (null == in)
                {
                    throw new IOException("class file not found: " + EchoComponent.class.getName());
                }
                in.transferTo(jar);
            }
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }
}
