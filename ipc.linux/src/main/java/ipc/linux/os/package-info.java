/**
 * Thin Java wrappers over the Linux bindings (shared memory, futex, eventfd, epoll, Unix sockets), allocation-free on the hot path.
 */
package ipc.linux.os;
