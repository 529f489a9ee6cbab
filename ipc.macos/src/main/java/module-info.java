/**
 * The macOS backend of the IPC platform: JNA bindings of macOS primitives and the platform SPI built on them.
 */
module ipc.macos {
    requires ipc.api;
    requires ipc.shared;
    requires com.sun.jna;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.service.component.annotations;

    // JNA reads and writes the fields of the Structure classes reflectively and proxies LibCVariadic.
    opens ipc.macos.jna to com.sun.jna;

    provides ipc.api.IpcTransport with ipc.macos.MacTransport;
}
