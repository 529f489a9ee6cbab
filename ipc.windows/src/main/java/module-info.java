/**
 * The Windows backend of the IPC platform: JNA bindings of Windows's primitives and the platform SPI built on them.
 */
module ipc.windows {
    requires ipc.api;
    requires ipc.shared;
    requires com.sun.jna;
    requires com.sun.jna.platform;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.service.component.annotations;

    // JNA registers the direct-mapped natives of this package reflectively.
    opens ipc.windows.jna to com.sun.jna;

    provides ipc.api.IpcTransport with ipc.windows.WindowsTransport;
}
