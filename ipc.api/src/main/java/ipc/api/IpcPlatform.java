package ipc.api;

import java.util.Locale;

/**
 * The operating systems the IPC platform has a backend for.
 */
public enum IpcPlatform
{
    /** Linux: memfd segments, futex waits, eventfd doorbells, Unix domain sockets. */
    LINUX("Linux"),
    /** macOS: shm_open segments, os_sync_wait_on_address or ulock waits, kqueue, Unix domain sockets. */
    MACOS("MacOSX"),
    /** Windows: file mappings, events, named pipes. */
    WINDOWS("Windows");

    private final String osgiOsName;

    IpcPlatform(final String osgiOsName)
    {
        this.osgiOsName = osgiOsName;
    }

    /**
     * The name OSGi uses for this operating system in {@code osgi.native.osname}.
     *
     * @return the OSGi name, for example {@code "Linux"}.
     */
    public String osgiOsName()
    {
        return osgiOsName;
    }

    /**
     * The platform of the running JVM.
     *
     * @return the host's platform.
     * @throws IpcUnsupportedPlatformException if the operating system has no backend; the message names it.
     */
    public static IpcPlatform host() throws IpcUnsupportedPlatformException
    {
        final String osName = System.getProperty("os.name", "");
        final IpcPlatform platform = fromOsName(osName);
        if (null == platform)
        {
            throw new IpcUnsupportedPlatformException(
                "no IPC backend for this operating system: os.name=" + osName + " os.arch=" + System.getProperty("os.arch"));
        }
        return platform;
    }

    /**
     * Maps a value of the {@code os.name} system property to a platform.
     *
     * @param osName the value of {@code os.name}.
     * @return the platform, or {@code null} if none matches.
     */
    public static IpcPlatform fromOsName(final String osName)
    {
        final String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("linux"))
        {
            return LINUX;
        }
        if (name.startsWith("mac") || name.startsWith("darwin"))
        {
            return MACOS;
        }
        if (name.startsWith("windows"))
        {
            return WINDOWS;
        }
        return null;
    }
}
