/**
 * The backend-neutral end-to-end suite, written against {@code ipc.api} (and, for the raw peer of the containment
 * attacks, {@code ipc.shared}'s platform SPI) and run by each backend module against
 * {@link ipc.api.IpcTransport#forHost()} where that backend is the host's ({@link ipc.conformance.HostSuite}). Each
 * backend's test tree supplies a {@link ipc.conformance.BackendProbe}.
 */
package ipc.conformance;
