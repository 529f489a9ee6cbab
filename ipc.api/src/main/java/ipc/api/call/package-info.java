/**
 * Calls on a channel: request/reply with pipelining, timeouts and cancellation, streamed replies with
 * {@link java.util.concurrent.Flow} back-pressure, and server-side request handlers, built on
 * {@link ipc.api.IpcChannel} and the same on every platform.
 *
 * <p>Start with {@link ipc.api.call.IpcCalls}. Decisions a user should know:
 * <ul>
 *   <li>A channel carries plain messages or calls, never both: every message of a call channel starts with a 16-byte
 *       call header, and anything else is a protocol violation that closes the channel.</li>
 *   <li>Requests, replies and items are byte arrays the receiver owns (one copy out of the ring), so they can be kept
 *       and handed to other threads; a borrowed view could not outlive the poll that read it. Where that copy
 *       matters, buffers avoid every array: {@link ipc.api.call.CallClient#call(java.nio.ByteBuffer,
 *       java.nio.ByteBuffer, java.time.Duration)} copies the reply straight into the caller's buffer, and a
 *       {@link ipc.api.call.RequestViewHandler} reads the request in place and answers with
 *       {@link ipc.api.call.Reply#send(java.nio.ByteBuffer)}.</li>
 *   <li>No thread per channel: a {@link ipc.api.call.CallDispatcher} (one shared by default) reads every client's
 *       channel, or the caller does ({@link ipc.api.call.CallOptions.Builder#callerDriven()}).</li>
 *   <li>Streams grant the server credits for what the subscriber requested, at most
 *       {@link ipc.api.call.CallOptions#maxCredits()} ahead, so what a stream holds is bounded.</li>
 *   <li>Hostile input is contained: a malformed frame fails its connection with
 *       {@link ipc.api.IpcProtocolException}, a frame that does not fit its call fails that call, and the server's
 *       dispatcher never waits on a client.</li>
 * </ul>
 * The wire format is documented in the implementation, next to the control-channel frame codec.
 */
@Export
@Version("1.1.0")
package ipc.api.call;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
