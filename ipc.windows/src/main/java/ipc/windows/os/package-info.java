/**
 * Checked Java wrappers over the Windows bindings (handles, file mappings, events, overlapped pipe I/O, completion
 * ports, tokens and security descriptors): every failing call becomes an exception in {@link
 * ipc.windows.os.WindowsErrors}, and no hot-path call allocates.
 */
package ipc.windows.os;
