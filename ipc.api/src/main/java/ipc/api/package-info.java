/**
 * The public API of the IPC platform: a transport per operating system that moves messages between
 * processes on one machine through shared memory.
 *
 * <p>Start with {@link ipc.api.IpcTransport}: in OSGi look it up as a service, elsewhere call
 * {@link ipc.api.IpcTransport#forHost()}.
 */
@Export
@Version("1.2.0")
package ipc.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
