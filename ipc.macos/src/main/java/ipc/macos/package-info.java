/**
 * The macOS backend: POSIX shared memory segments (unlinked at creation) passed with {@code SCM_RIGHTS},
 * {@code os_sync_wait_on_address} (or the private ulock, or a socket pair) on the shared wait words, a socket-pair
 * doorbell per connection watched by {@code kqueue}, Unix domain sockets in a private directory, and
 * {@code LOCAL_PEERCRED}/{@code LOCAL_PEERPID} identities. Private to the bundle; it registers
 * {@link ipc.api.IpcTransport}.
 */
package ipc.macos;
