package ipc.api;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Service providers for the host-selection tests, registered in the test resources' {@code META-INF/services}.
 */
final class FakeTransports
{
    /** Set by {@link MacOs}'s static initializer: proves whether the selection initialized it. */
    static final AtomicBoolean MACOS_INITIALIZED = new AtomicBoolean();

    private FakeTransports()
    {
    }

    abstract static class Base implements IpcTransport
    {
        @Override
        public IpcServer bind(final String name, final IpcOptions options)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public IpcChannel connect(final String name, final IpcOptions options)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public IpcServerStats stats(final String name, final java.time.Duration timeout)
        {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * A Windows provider whose construction fails as a native library that cannot load would, with a cause chain that
     * loops; registered only by {@link HostTransportTest}'s own class loader.
     */
    @ForPlatform(IpcPlatform.WINDOWS)
    public static final class Failing extends Base
    {
        public Failing()
        {
            final UnsatisfiedLinkError missing = new UnsatisfiedLinkError("no fake-native in java.library.path");
            final IllegalStateException wrapper = new IllegalStateException("binding failed", missing);
            missing.initCause(wrapper);
            throw wrapper;
        }

        @Override
        public IpcPlatform platform()
        {
            return IpcPlatform.WINDOWS;
        }
    }

    @ForPlatform(IpcPlatform.LINUX)
    public static final class Linux extends Base
    {
        @Override
        public IpcPlatform platform()
        {
            return IpcPlatform.LINUX;
        }
    }

    @ForPlatform(IpcPlatform.MACOS)
    public static final class MacOs extends Base
    {
        static
        {
            // Stands for loading a native library that does not exist on other systems.
            MACOS_INITIALIZED.set(true);
        }

        @Override
        public IpcPlatform platform()
        {
            return IpcPlatform.MACOS;
        }
    }

    public static final class Unannotated extends Base
    {
        @Override
        public IpcPlatform platform()
        {
            return IpcPlatform.WINDOWS;
        }
    }
}
