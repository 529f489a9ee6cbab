/**
 * The IPC platform as OSGi services: {@link ipc.osgi.WhiteboardServers} binds a server for every
 * {@link ipc.api.IpcHandler} service with an {@value ipc.osgi.ServerProperties#NAME} property,
 * {@link ipc.osgi.ConfiguredServer} one for every {@value ipc.osgi.ServerProperties#FACTORY_PID} factory
 * configuration, and {@link ipc.osgi.IpcCommands} offers the {@code ipc:*} shell commands. Private to the bundle.
 */
package ipc.osgi;
