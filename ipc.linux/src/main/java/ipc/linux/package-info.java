/**
 * The Linux backend: size-sealed memfd segments passed with {@code SCM_RIGHTS}, futex waits on the shared words, a
 * socketpair doorbell per connection watched by {@code epoll}, Unix domain sockets in a private directory, and
 * {@code SO_PEERCRED} identities. Private to the bundle; it registers {@link ipc.api.IpcTransport}.
 */
package ipc.linux;
