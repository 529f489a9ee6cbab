/**
 * The IPC platform in an OSGi framework, for every backend: whiteboard servers, servers configured through
 * Configuration Admin, and Gogo shell commands. Only useful inside a framework; it exports nothing.
 */
module ipc.osgi {
    requires ipc.api;
    requires static osgi.core;
    requires static org.osgi.annotation.versioning;
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
}
