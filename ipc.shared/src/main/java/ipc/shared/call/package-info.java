/**
 * The implementation of {@code ipc.api.call}: call clients and their dispatcher, server-side request handling, on top
 * of any {@link ipc.api.IpcChannel}. Private to this bundle and module; reached through
 * {@link ipc.api.call.CallProvider}.
 */
package ipc.shared.call;
