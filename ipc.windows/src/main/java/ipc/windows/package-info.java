/**
 * The Windows backend. Not implemented yet: the bundle resolves only on its own operating system and,
 * until its implementation lands, registers no service and provides no {@code ipc.api.IpcTransport}.
 */
package ipc.windows;
