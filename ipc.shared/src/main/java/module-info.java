/**
 * What is the same on every operating system: the segment layout, the SPSC ring, the frame codec, the wait
 * protocol, the platform SPI and the transport built on it. Exported only to the backends;
 * the implementation of calls ({@code ipc.api.call}) is provided as a service and not exported.
 */
module ipc.shared {
    requires transitive ipc.api;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.annotation.bundle;

    provides ipc.api.call.CallProvider with ipc.shared.call.SharedCallProvider;

    exports ipc.shared.ring to ipc.linux, ipc.macos, ipc.windows;
    exports ipc.shared.codec to ipc.linux, ipc.macos, ipc.windows;
    exports ipc.shared.wait to ipc.linux, ipc.macos, ipc.windows;
    exports ipc.shared.spi to ipc.linux, ipc.macos, ipc.windows;
    exports ipc.shared.transport to ipc.linux, ipc.macos, ipc.windows;
    exports ipc.shared.posix to ipc.linux, ipc.macos;
}
