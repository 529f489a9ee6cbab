/**
 * Calls on a channel: request/reply with pipelining, timeouts and cancellation, streamed replies with
 * {@link java.util.concurrent.Flow} back-pressure, and server-side request handlers, built on
 * {@link ipc.api.IpcChannel} and the same on every platform.
 *
 * <p>Start with {@link ipc.api.call.IpcCalls}. The wire format (a 16-byte header in front of every message of a call
 * channel) is documented in the implementation, next to the control-channel frame codec.
 */
@Export
@Version("1.0.0")
package ipc.api.call;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
