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

}
