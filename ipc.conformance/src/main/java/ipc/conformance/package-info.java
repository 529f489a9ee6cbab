/**
 * The backend-neutral end-to-end suite, written against {@code ipc.api} alone and run by each backend module
 * against {@link ipc.api.IpcTransport#forHost()} where that backend is the host's ({@link ipc.conformance.HostSuite}).
 */
package ipc.conformance;
