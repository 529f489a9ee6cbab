/**
 * Thin Java wrappers over the macOS bindings (POSIX shared memory, address waits, kqueue, Unix sockets),
 * allocation-free on the hot path; every {@code errno} becomes an exception in {@link ipc.macos.os.MacErrors}.
 */
package ipc.macos.os;
